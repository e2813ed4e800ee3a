package amdvfio.driver;

/** The device is gone (removed, link down, reads all ones): the ENODEV outcome of every later call. */
public class DeviceLostException extends GpuException {

    private static final long serialVersionUID = 1L;

    public DeviceLostException(String message) {
        super(message);
    }
}
