package amdvfio.driver;

/** The PCI function is not an AMD GPU this driver supports (vendor/device id not in a profile). */
public class UnsupportedDeviceException extends GpuException {

    private static final long serialVersionUID = 1L;

    public UnsupportedDeviceException(String message) {
        super(message);
    }
}
