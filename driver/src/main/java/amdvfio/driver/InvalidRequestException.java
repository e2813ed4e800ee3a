package amdvfio.driver;

/** A request was refused before anything reached the hardware: bad size, offset out of a buffer, a buffer or fence of another client, an unexported fence. */
public class InvalidRequestException extends GpuException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
