package amdvfio.driver.reset;

import amdvfio.driver.GpuException;

/** The card must be reset and this driver cannot do it (yet) on this ASIC; nothing was touched. */
public class ResetUnavailableException extends GpuException {

    public ResetUnavailableException(String message) {
        super(message);
    }
}
