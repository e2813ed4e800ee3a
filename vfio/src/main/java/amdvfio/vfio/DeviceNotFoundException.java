package amdvfio.vfio;

/** No PCI function with that address exists (no directory in /sys/bus/pci/devices). */
public class DeviceNotFoundException extends VfioException {

    private static final long serialVersionUID = 1L;

    public DeviceNotFoundException(PciAddress address, String where) {
        super("no PCI function " + address + " in " + where
                + "; see 'amdvfio list' for the functions present (was it removed? try: amdvfio rescan)");
    }
}
