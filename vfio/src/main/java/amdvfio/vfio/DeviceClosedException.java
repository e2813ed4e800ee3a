package amdvfio.vfio;

/** A call on a device handle after {@link PciDevice#close()}. */
public class DeviceClosedException extends VfioException {

    private static final long serialVersionUID = 1L;

    public DeviceClosedException(PciAddress address, String what) {
        super(what + " on " + address + " after the device was closed; open it again");
    }
}
