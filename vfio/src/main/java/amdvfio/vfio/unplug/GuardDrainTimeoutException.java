package amdvfio.vfio.unplug;

import amdvfio.vfio.VfioException;

import java.time.Duration;

/** Threads were still inside guarded sections when {@link DeviceGuard#unplug} gave up waiting. */
public class GuardDrainTimeoutException extends VfioException {

    private static final long serialVersionUID = 1L;

    private final long inside;

    public GuardDrainTimeoutException(long inside, Duration waited) {
        super(inside + " thread(s) still inside a guarded device section after " + waited.toMillis()
                + " ms; a section must not block (no waits on fences or locks while entered): take a thread dump");
        this.inside = inside;
    }

    public long inside() {
        return inside;
    }
}
