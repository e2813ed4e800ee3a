package amdvfio.sim;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

/** {@code open} of a simulated device that has been removed from its slot (surprise or orderly). */
public class DeviceRemovedException extends VfioException {

    private static final long serialVersionUID = 1L;

    public DeviceRemovedException(PciAddress address) {
        super("the simulated device at " + address + " was removed; open the slot again after a re-plug");
    }
}
