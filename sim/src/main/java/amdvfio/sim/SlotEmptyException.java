package amdvfio.sim;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

/** {@code open} of a simulated slot that holds no device (never plugged, or removed). */
public class SlotEmptyException extends VfioException {

    private static final long serialVersionUID = 1L;

    public SlotEmptyException(PciAddress address, String why) {
        super("no simulated device at " + address + ": " + why + "; plug one with SimBus.plug(" + address + ", ...)");
    }
}
