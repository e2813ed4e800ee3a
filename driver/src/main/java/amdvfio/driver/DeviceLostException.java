package amdvfio.driver;

/** The device is gone (removed, link down, reads all ones): the ENODEV outcome of every later call. */
public class DeviceLostException extends GpuException {

    private static final long serialVersionUID = 1L;

    public DeviceLostException(String message) {
        super(message);
    }

    /** A loss found out through another failure (a probe step that read all ones). */
    public DeviceLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
