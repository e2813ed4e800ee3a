package amdvfio.driver;

/** A call on a client (or one of its buffers) after it was closed. */
public class ClientClosedException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    public ClientClosedException(String message) {
        super(message);
    }
}
