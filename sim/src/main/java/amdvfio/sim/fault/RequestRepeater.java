package amdvfio.sim.fault;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Signals the device-request (REQ) channel the way vfio-pci does while a removal waits for the
 * user to release the device: from {@link #begin}, once after its delay, then every
 * {@code interval} ({@code vfio_pci_core_request}: "re-signal every 10 s"), until
 * {@link #cancel()}. One daemon thread, started with the card and idle until a removal begins,
 * so that the removal (whose REQ→release the driver is measured by) starts no thread — the
 * kernel's remover does not either.
 */
public final class RequestRepeater {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition cancelled = lock.newCondition();
    private final Runnable signal;
    private final Duration interval;
    private final Thread thread;
    private Duration delay; // null until begin
    private boolean done;
    private volatile int signals;

    public RequestRepeater(String name, Duration interval, Runnable signal) {
        this.signal = signal;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    /** The removal begins: the first signal after {@code delay}, then every interval. Once. */
    public RequestRepeater begin(Duration delay) {
        lock.lock();
        try {
            if (this.delay == null) {
                this.delay = delay;
                cancelled.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Signals once now, on the caller's thread — as {@code vfio_pci_core_request} does on the
     * remover's thread — counted like the repeats.
     */
    public RequestRepeater signalNow() {
        lock.lock();
        try {
            signals++;
        } finally {
            lock.unlock();
        }
        try {
            signal.run();
        } catch (RuntimeException ignored) {
            // a closed eventfd: the driver misbehaves, the kernel would keep going
        }
        return this;
    }

    public RequestRepeater start() {
        thread.start();
        return this;
    }

    private void run() {
        lock.lock();
        try {
            while (!done && delay == null) {
                try {
                    cancelled.await();
                } catch (InterruptedException e) {
                    return;
                }
            }
            long waitNanos = done ? 0 : delay.toNanos();
            while (!done) {
                if (waitNanos > 0) {
                    try {
                        waitNanos = cancelled.awaitNanos(waitNanos);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (done) {
                        return;
                    }
                    if (waitNanos > 0) {
                        continue;
                    }
                }
                signals++;
                lock.unlock();
                try {
                    signal.run();
                } catch (RuntimeException ignored) {
                    // a closed eventfd: the driver misbehaves, the kernel would keep going
                } finally {
                    lock.lock();
                }
                waitNanos = Math.max(1, interval.toNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many times REQ was signalled. */
    public int signals() {
        return signals;
    }

    /** Stops signalling and waits for the thread. Idempotent. */
    public void cancel() {
        stopSignalling();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops signalling without waiting for the thread (the device's release must not wait for
     * it); it ends by itself, {@link #thread()} is what to join. Idempotent.
     */
    public void stopSignalling() {
        lock.lock();
        try {
            done = true;
            cancelled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public Thread thread() {
        return thread;
    }
}
