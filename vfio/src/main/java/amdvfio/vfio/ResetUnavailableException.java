package amdvfio.vfio;

/** {@link PciDevice#reset()} has no way to reset this function; the message says why and what would allow one. */
public class ResetUnavailableException extends VfioException {

    private static final long serialVersionUID = 1L;

    public ResetUnavailableException(String message) {
        super(message);
    }
}
