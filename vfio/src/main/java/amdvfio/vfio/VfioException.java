package amdvfio.vfio;

/**
 * A device could not be opened or used. Every message says what happened and what to do about
 * it ("bind it with: amdvfio bind 0000:03:00.0"). Subclasses name the case.
 */
public class VfioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VfioException(String message) {
        super(message);
    }

    public VfioException(String message, Throwable cause) {
        super(message, cause);
    }
}
