package amdvfio.driver;

/** Bring-up found no running SDMA firmware: the ring test timed out. The driver assumes a warm card (firmware loaded by PSP/VBIOS, or the simulator); it does not load microcode. */
public class FirmwareNotRunningException extends GpuException {

    private static final long serialVersionUID = 1L;

    public FirmwareNotRunningException(String message) {
        super(message);
    }
}
