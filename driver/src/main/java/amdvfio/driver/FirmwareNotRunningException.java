package amdvfio.driver;

/**
 * Bring-up's ring or IB test timed out: an SDMA engine did not execute what it was given. Its
 * firmware does not run (the PSP did not start it, or a reused warm card's stopped), or it cannot
 * reach its ring or the test's memory through its VM hub. The message says which engine and what
 * the card-state step found.
 */
public class FirmwareNotRunningException extends GpuException {

    private static final long serialVersionUID = 1L;

    public FirmwareNotRunningException(String message) {
        super(message);
    }
}
