package amdvfio.driver.fence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The completion of one submitted job: a sequence number on one ring's timeline, written by the
 * engine's FENCE packet and announced by the TRAP interrupt (or found by the fallback poll). A
 * fence completes exactly once, either successfully or with a {@link FenceError}.
 *
 * <p>Fences can be waited on from any thread, queried without blocking, given callbacks, and used
 * as dependencies of jobs on other rings and other devices. A client may only use fences it
 * created or imported ({@code GpuClient.importFence}).
 *
 * <p>Threading: all methods are thread-safe. Callbacks run on the thread that completes the fence
 * (usually the interrupt thread), or at once on the caller's thread if it is already complete;
 * they must not block.
 */
public final class Fence {

    private static final int PENDING = 0;
    private static final int SIGNALED = 1;
    private static final int FAILED = 2;

    private final Object owner;
    private final String timeline;
    private final long seq;
    private final Runnable poller;
    private volatile int state;
    private volatile FenceError error;
    private List<Consumer<Fence>> callbacks;

    /**
     * @param owner    the client (or driver component) that created it
     * @param timeline the ring's name, e.g. "sdma0 of 0000:03:00.0"
     * @param poller   reads the ring's fence word now (for polling waits); may be a no-op
     */
    public Fence(Object owner, String timeline, long seq, Runnable poller) {
        this.owner = owner;
        this.timeline = timeline;
        this.seq = seq;
        this.poller = poller;
    }

    /** True once the fence completed, successfully or not; never blocks. */
    public boolean isComplete() {
        return state != PENDING;
    }

    /** True once the fence completed successfully. */
    public boolean isSignaled() {
        return state == SIGNALED;
    }

    /** Why the fence failed, or null while pending or when it succeeded. */
    public FenceError error() {
        return error;
    }

    /**
     * Blocks until the fence completes or {@code timeout} passes; returns whether it completed
     * (check {@link #error()} for how). Woken by the interrupt thread.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        if (state != PENDING) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (state == PENDING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /**
     * Busy-polls the ring's fence word until the fence completes or {@code timeout} passes, without
     * waiting for the interrupt: lowest latency, one core spent.
     */
    public boolean awaitPolling(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state == PENDING) {
            poller.run();
            if (state != PENDING) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** Runs {@code callback} once the fence completes (now, if it already has). */
    public void onComplete(Consumer<Fence> callback) {
        synchronized (this) {
            if (state == PENDING) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                return;
            }
        }
        callback.accept(this);
    }

    /** Completes the fence successfully. Driver-internal: called by the ring that owns the timeline. */
    public void signal() {
        complete(SIGNALED, null);
    }

    /** Completes the fence with {@code why}. Driver-internal. */
    public void fail(FenceError why) {
        complete(FAILED, why);
    }

    public Object owner() {
        return owner;
    }

    public long seq() {
        return seq;
    }

    public String timeline() {
        return timeline;
    }

    private void complete(int newState, FenceError why) {
        List<Consumer<Fence>> run;
        synchronized (this) {
            if (state != PENDING) {
                return;
            }
            error = why;
            state = newState;
            notifyAll();
            run = callbacks;
            callbacks = null;
        }
        if (run != null) {
            for (Consumer<Fence> c : run) {
                c.accept(this);
            }
        }
    }

    @Override
    public String toString() {
        return "Fence[" + timeline + " #" + seq + (state == PENDING ? " pending" : state == SIGNALED ? " signaled" : " " + error) + "]";
    }
}
