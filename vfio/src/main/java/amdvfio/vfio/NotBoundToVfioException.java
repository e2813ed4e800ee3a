package amdvfio.vfio;

/** The function exists but is bound to another driver (or none), so VFIO cannot open it. */
public class NotBoundToVfioException extends VfioException {

    private static final long serialVersionUID = 1L;

    private final String driver;

    /** @param driver the driver it is bound to now, or null when it is bound to none */
    public NotBoundToVfioException(PciAddress address, String driver) {
        super(address + " is " + (driver == null ? "not bound to any driver" : "bound to " + driver)
                + ", not vfio-pci; bind it with: amdvfio bind " + address);
        this.driver = driver;
    }

    /** The driver the function is bound to, or null. */
    public String driver() {
        return driver;
    }
}
