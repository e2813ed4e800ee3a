package amdvfio.driver.fence;

/** Why a fence completed without its work having run to the end, with the errno amdgpu uses. */
public enum FenceError {
    /** The device is gone; the work will never run (amdgpu force-completes with -ENODEV). */
    DEVICE_LOST(-19),
    /** The job ran past its timeout and was stopped by engine recovery (-ETIME). */
    TIMEOUT(-62),
    /**
     * The job was not run because a fence it depended on failed, with any error and on any device
     * (-ECANCELED). Says nothing about this fence's own device; see {@code Job.Builder.dependsOn}.
     */
    CANCELED(-125);

    private final int errno;

    FenceError(int errno) {
        this.errno = errno;
    }

    /** The negative errno, as a {@code dma_fence} error would carry it. */
    public int errno() {
        return errno;
    }
}
