package amdvfio.driver;

/**
 * Base of every error the driver reports. Messages say what happened and what to do about it.
 * Subclasses name the case so callers can branch without parsing text.
 */
public class GpuException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GpuException(String message) {
        super(message);
    }

    public GpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
