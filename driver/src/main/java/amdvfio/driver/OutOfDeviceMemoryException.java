package amdvfio.driver;

/** No free range of the requested size and alignment in VRAM or in the GART aperture. */
public class OutOfDeviceMemoryException extends GpuException {

    private static final long serialVersionUID = 1L;

    public OutOfDeviceMemoryException(String message) {
        super(message);
    }
}
