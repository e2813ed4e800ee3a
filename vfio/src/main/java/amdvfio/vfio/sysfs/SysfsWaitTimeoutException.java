package amdvfio.vfio.sysfs;

import amdvfio.vfio.VfioException;

/** A function did not appear, vanish or bind within the time allowed. */
public class SysfsWaitTimeoutException extends VfioException {

    private static final long serialVersionUID = 1L;

    public SysfsWaitTimeoutException(String message) {
        super(message);
    }
}
