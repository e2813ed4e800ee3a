package amdvfio.driver.ip.smu;

import amdvfio.driver.GpuException;

/** A message the SMU did not execute successfully; {@link #status()} says how it failed. */
public class SmuException extends GpuException {

    private final SmuStatus status;
    private final int response;

    public SmuException(String message, SmuStatus status, int response) {
        super(message);
        this.status = status;
        this.response = response;
    }

    public SmuStatus status() {
        return status;
    }

    /** The raw C2PMSG_90 value. */
    public int response() {
        return response;
    }
}
