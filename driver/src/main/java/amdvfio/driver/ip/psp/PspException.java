package amdvfio.driver.ip.psp;

import amdvfio.driver.GpuException;

/**
 * The PSP refused or did not answer a step of the cold boot: a bootloader component, the KM
 * ring, or a GPCOM command. The message names the step and the status the PSP gave (or the
 * register that never became ready), as amdgpu's "PSP load kdb failed!" / "PSP create ring
 * failed!" / "failed to load ip FW" do.
 */
public final class PspException extends GpuException {

    private static final long serialVersionUID = 1L;

    private final String step;
    private final int status;

    PspException(String step, int status, String message) {
        super(message);
        this.step = step;
        this.status = status;
    }

    /** The step that failed ("SOS", "ring create", "LOAD_IP_FW SDMA_UCODE_TH0"…). */
    public String step() {
        return step;
    }

    /** The PSP's status for it, or -1 when it never answered. */
    public int status() {
        return status;
    }
}
