package amdvfio.vfio.unplug;

import amdvfio.os.Syscalls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A device's life from probe to release, with the hot-unplug phases of amdgpu (5.14+):
 * <pre>
 * PROBING → ACTIVE ──REQ / ERR fatal / surprise / close──► UNPLUGGING ──► DETACHED ──last ref──► RELEASED
 *                                                        (early fini)   (no fds held;      (late fini)
 *                                                                         clients alive)
 * </pre>
 * Drivers register named early-fini steps (hardware may be gone: stop, disable, force-complete,
 * reroute, close fds — {@code amdgpu_device_fini_hw}) and late-fini steps (free software state —
 * {@code amdgpu_device_fini_sw}, run from {@code drm_driver.release} at the last reference). Both
 * lists run in <b>reverse registration order</b>, like {@code amdgpu_device_ip_fini_early}: what
 * was set up last is torn down first. A step that throws is recorded and the rest still run.
 *
 * <p>Reference counting: the device holds one reference of its own from construction, dropped
 * when early fini completes; each client {@link #acquire()}s one and {@link #release()}s it. Late
 * fini runs when the count reaches zero: on the teardown thread when no client is left, else on
 * the thread of the last {@link #release()} (the DRM model: the last close frees).
 *
 * <p>Threading: {@link #trigger} may be called from any thread any number of times, concurrently
 * (REQ and ERR together); exactly one call wins and wakes the platform thread
 * {@code amdvfio-teardown-<device>}, which runs early fini — never the caller's thread, so an
 * interrupt handler that triggers returns at once. That thread is started by {@link #activate()}
 * and waits for the loss, so no thread is created on the removal's critical path (a loss during
 * probe, before activation, starts it then). Registration is allowed until the trigger. All other
 * methods are safe from any thread.
 */
public final class Lifecycle {

    /** The states in order; a device only moves forward. */
    public enum State { PROBING, ACTIVE, UNPLUGGING, DETACHED, RELEASED }

    /** A fini callback; it may throw. */
    @FunctionalInterface
    public interface FiniStep {
        void run() throws Exception;
    }

    private record Named(String name, FiniStep step) {
    }

    /** Classes every removal uses, loaded with this one (at probe) rather than on the removal's path. */
    private static final List<Class<?>> REMOVAL_CLASSES =
            List.of(LossReason.class, TeardownReport.Phase.class, TeardownReport.Step.class);

    /** Tests only: activate() links nothing, so the removal pays each first call (RemovalLinkageTest). */
    static boolean testSkipRemovalLinking;

    private final String device;
    private final AtomicReference<State> state = new AtomicReference<>(State.PROBING);
    private final List<Named> early = new ArrayList<>();
    private final List<Named> late = new ArrayList<>();
    private final List<TeardownReport.Step> steps = new ArrayList<>();
    private final List<LossReason> ignored = new ArrayList<>();
    private final long[] entered = new long[State.values().length];
    private int refs = 1; // the device's own, dropped after early fini
    private volatile LossReason reason;
    private volatile Instant triggeredAt;
    private long triggerNanos;
    private long earlyFiniStarted = -1;
    private Thread teardownThread;

    public Lifecycle(String device) {
        this.device = device;
        Arrays.fill(entered, -1L);
    }

    public String device() {
        return device;
    }

    public State state() {
        return state.get();
    }

    /** The reason of the winning trigger, or null while none happened. */
    public LossReason lossReason() {
        return reason;
    }

    /** True once teardown began (UNPLUGGING or later). */
    public boolean isLost() {
        return state.get().ordinal() >= State.UNPLUGGING.ordinal();
    }

    /** Adds an early-fini step; steps run in reverse order of registration. */
    public synchronized void addEarlyFini(String name, FiniStep step) {
        checkRegistrable(name);
        early.add(new Named(name, step));
    }

    /** Adds a late-fini step; steps run in reverse order of registration. */
    public synchronized void addLateFini(String name, FiniStep step) {
        checkRegistrable(name);
        late.add(new Named(name, step));
    }

    private void checkRegistrable(String name) {
        if (isLost()) {
            throw new IllegalStateException("cannot register fini step '" + name + "' on " + device
                    + ": teardown already began (" + reason + ")");
        }
    }

    /**
     * PROBING → ACTIVE: the teardown thread starts and the native calls of a removal are linked
     * ({@link Syscalls#linkRemovalCalls()} and the reroute's mmap), so that the removal creates no
     * thread and links nothing (milliseconds in a fresh JVM, measured by {@code UnplugBreakdown}).
     * Returns false (and changes nothing) when a loss already began during probe.
     */
    public boolean activate() {
        if (state.compareAndSet(State.PROBING, State.ACTIVE)) {
            if (!testSkipRemovalLinking) {
                Syscalls.linkRemovalCalls();
                Remap.link();
            }
            startTeardownThread();
            return true;
        }
        if (isLost()) {
            return false;
        }
        throw new IllegalStateException(device + " is already " + state.get());
    }

    /**
     * Begins teardown for {@code why}. Exactly one call returns true — the first, from PROBING or
     * ACTIVE — and starts early fini on the teardown thread; later calls are recorded as ignored.
     */
    public boolean trigger(LossReason why) {
        while (true) {
            State s = state.get();
            if (s.ordinal() >= State.UNPLUGGING.ordinal()) {
                synchronized (this) {
                    ignored.add(why);
                }
                return false;
            }
            if (state.compareAndSet(s, State.UNPLUGGING)) {
                break;
            }
        }
        synchronized (this) {
            reason = why;
            triggeredAt = Instant.now();
            triggerNanos = System.nanoTime();
            entered[State.UNPLUGGING.ordinal()] = 0;
            startTeardownThread();
            notifyAll(); // wakes the waiting teardown thread
        }
        return true;
    }

    private synchronized void startTeardownThread() {
        if (teardownThread == null) {
            teardownThread = Thread.ofPlatform().daemon(true).name("amdvfio-teardown-" + device)
                    .unstarted(this::awaitLossThenTearDown);
            teardownThread.start();
        }
    }

    private void awaitLossThenTearDown() {
        synchronized (this) {
            while (!isLost()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // nobody but the trigger ends this wait; an interrupt is not a loss
                }
            }
        }
        teardown();
    }

    private void teardown() {
        List<Named> steps;
        synchronized (this) {
            earlyFiniStarted = System.nanoTime() - triggerNanos;
            steps = List.copyOf(early);
        }
        runReversed(TeardownReport.Phase.EARLY_FINI, steps);
        boolean last;
        synchronized (this) { // DETACHED and the drop of the device's own reference are one step
            moveTo(State.DETACHED);
            last = --refs == 0;
        }
        if (last) {
            runLateFini();
        }
    }

    /**
     * Takes a client reference (a DRM file open). Returns false once teardown began: a lost
     * device gets no new clients (a device that comes back is a new device).
     */
    public synchronized boolean acquire() {
        if (isLost()) {
            return false;
        }
        refs++;
        return true;
    }

    /** Drops a reference; the last one, after early fini, runs late fini on this thread. */
    public void release() {
        synchronized (this) {
            if (refs <= 0) {
                throw new IllegalStateException("release() on " + device + " without a matching acquire()");
            }
            if (--refs > 0 || state.get() != State.DETACHED) {
                return;
            }
        }
        runLateFini();
    }

    private void runLateFini() {
        List<Named> steps;
        synchronized (this) {
            steps = List.copyOf(late);
        }
        runReversed(TeardownReport.Phase.LATE_FINI, steps);
        moveTo(State.RELEASED);
    }

    /** Client references held now (the device's own not counted). */
    public synchronized int clientReferences() {
        return state.get().ordinal() >= State.DETACHED.ordinal() ? refs : refs - 1;
    }

    private void runReversed(TeardownReport.Phase phase, List<Named> list) {
        String thread = Thread.currentThread().getName();
        for (int i = list.size() - 1; i >= 0; i--) {
            Named n = list.get(i);
            long t0 = System.nanoTime();
            Throwable failure = null;
            try {
                n.step().run();
            } catch (Throwable t) { // a failing step must not stop the teardown: record and go on
                failure = t;
            }
            TeardownReport.Step s = new TeardownReport.Step(phase, n.name(), System.nanoTime() - t0, thread, failure);
            synchronized (this) {
                steps.add(s);
            }
        }
    }

    private void moveTo(State s) {
        synchronized (this) {
            state.set(s);
            entered[s.ordinal()] = System.nanoTime() - triggerNanos;
            notifyAll();
        }
    }

    /** Waits until the state is {@code target} or later; false on timeout. */
    public synchronized boolean awaitState(State target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state.get().ordinal() < target.ordinal()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The teardown so far (or in full, once RELEASED). */
    public synchronized TeardownReport report() {
        return new TeardownReport(device, reason, triggeredAt, triggerNanos, earlyFiniStarted, state.get(), entered, steps,
                ignored);
    }
}
