package amdvfio.sim.sdma;

/**
 * Why one SDMA queue stopped, if it did: the first error wins and stays until the F32 is reset
 * (a rising edge of F32_CNTL.HALT, or a device reset), as a stopped queue keeps its rptr at the
 * offending packet until amdgpu's recovery re-programs it. Also holds the injected hang, which
 * the same reset clears.
 *
 * <p>Guarded by the device's register lock (the {@code RegisterFile} monitor); {@link #ok()} is a
 * volatile read so the engine can test it between packets without taking the lock.
 */
final class EngineErrorState {

    private final Object lock;
    private final Runnable changed;
    private volatile SdmaError error = SdmaError.NONE;
    private String detail = "";
    private volatile boolean hung;

    /**
     * @param lock    the register lock that guards this state
     * @param changed told (under the lock) whenever the queue may have become runnable or not
     */
    EngineErrorState(Object lock, Runnable changed) {
        this.lock = lock;
        this.changed = changed;
    }

    /** Records {@code why} from the engine thread, which does not hold the register lock. */
    void fail(SdmaError why, String what) {
        synchronized (lock) {
            stop(why, what);
        }
    }

    /** Records {@code why} unless an earlier error is already recorded. Caller holds the register lock. */
    void stop(SdmaError why, String what) {
        if (error == SdmaError.NONE) {
            error = why;
            detail = what;
            changed.run();
        }
    }

    /** The F32 reset: error and hang cleared. Caller holds the register lock. */
    void clear() {
        error = SdmaError.NONE;
        detail = "";
        hung = false;
        changed.run();
    }

    /** Caller holds the register lock. */
    void hang(boolean h) {
        hung = h;
        changed.run();
    }

    boolean hung() {
        return hung;
    }

    SdmaError error() {
        return error;
    }

    String detail() {
        return detail;
    }

    /** No error and not hung: the queue may make progress. */
    boolean ok() {
        return error == SdmaError.NONE && !hung;
    }
}
