package amdvfio.sim.sdma;

/**
 * Why one SDMA queue stopped, if it did: the first error wins and stays until the F32 is reset
 * (a rising edge of F32_CNTL.HALT, or a device reset), as a stopped queue keeps its rptr at the
 * offending packet until amdgpu's recovery re-programs it. Also holds the injected hang, which
 * the same reset clears.
 *
 * <p>An F32 reset also aborts the packet in flight: the engine {@link #arm arms} itself with the
 * reset count when it starts work, and whatever that work reports after a reset — an error, a
 * read pointer — belongs to the old context and is dropped, so a halt during a long copy cannot
 * stop, or move the pointers of, the re-programmed queue.
 *
 * <p>Guarded by the device's register lock (the {@code RegisterFile} monitor); {@link #ok()} and
 * {@link #current()} are volatile reads so the engine can test them between packets without the lock.
 */
final class EngineErrorState {

    private final Object lock;
    private final Runnable changed;
    private volatile SdmaError error = SdmaError.NONE;
    private String detail = "";
    private volatile boolean hung;
    /** F32 resets so far. */
    private volatile long resets;
    /** The reset count the engine's current work started under; engine thread only. */
    private long armed;

    /**
     * @param lock    the register lock that guards this state
     * @param changed told (under the lock) whenever the queue may have become runnable or not
     */
    EngineErrorState(Object lock, Runnable changed) {
        this.lock = lock;
        this.changed = changed;
    }

    /** The engine starts work under the current F32 context. Engine thread. */
    void arm() {
        armed = resets;
    }

    /** False once the F32 was reset after {@link #arm}: the work in flight was aborted. Engine thread. */
    boolean current() {
        return resets == armed;
    }

    /**
     * Records {@code why} from the engine thread, which does not hold the register lock; dropped
     * if the F32 was reset since the work began. Returns whether it was recorded.
     */
    boolean fail(SdmaError why, String what) {
        synchronized (lock) {
            if (!current()) {
                return false;
            }
            stop(why, what);
            return true;
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

    /** The F32 reset: error and hang cleared, the work in flight aborted. Caller holds the register lock. */
    void clear() {
        resets++;
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
