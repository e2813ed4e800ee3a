package amdvfio.vfio;

/** No PCI function with that address exists (no directory in /sys/bus/pci/devices). */
public class DeviceNotFoundException extends VfioException {

    private static final long serialVersionUID = 1L;

    public DeviceNotFoundException(PciAddress address, String where) {
        super("no PCI function " + address + " in " + where
                + "; see 'amdvfio list' for the functions present"
                + " (if it was removed, 'echo 1 > /sys/bus/pci/rescan' as root brings it back)");
    }
}
