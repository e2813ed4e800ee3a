package amdvfio.driver.asic;

import amdvfio.driver.GpuException;

/** The IP discovery table is missing, corrupt, or lacks an IP block the driver needs. */
public final class DiscoveryException extends GpuException {

    private static final long serialVersionUID = 1L;

    public DiscoveryException(String message) {
        super(message);
    }
}
