package amdvfio.vfio.event;

import amdvfio.os.EventFd;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciDevice;

/** Lets tests of other packages use the IRQ-recording test double. */
public final class IrqRecordingDeviceAccess {

    private IrqRecordingDeviceAccess() {
    }

    public static PciDevice newDevice() {
        return new IrqRecordingDevice(true);
    }

    /** The REQ eventfd the event loop routed to {@code device}. */
    public static EventFd req(PciDevice device) {
        return ((IrqRecordingDevice) device).routed.get(IrqType.REQ).get(0);
    }
}
