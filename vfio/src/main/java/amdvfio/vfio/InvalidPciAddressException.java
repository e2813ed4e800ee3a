package amdvfio.vfio;

/** Text that is not a PCI address, or a component out of range. */
public class InvalidPciAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPciAddressException(String message) {
        super(message);
    }
}
