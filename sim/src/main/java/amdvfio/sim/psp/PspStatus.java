package amdvfio.sim.psp;

import amdvfio.bindings.amdgpu.psp_gfx_if_h;

/**
 * The statuses the model's PSP answers with. {@link #UNKNOWN_COMMAND} is psp_gfx_if.h's own;
 * no public source lists the codes a PSP returns for a refused order, payload or parameter, so
 * the others are the model's (non-zero, which is all amdgpu and TG test: {@code psp_cmd_submit_buf}
 * fails on {@code resp.status != 0}, TG raises). The bootloader reports its refusals in C2PMSG_35
 * bits [7:0], as psp_v13_0 reads them on 13.0.6+.
 */
public final class PspStatus {

    public static final int OK = 0;
    public static final int UNKNOWN_COMMAND = psp_gfx_if_h.PSP_ERR_UNKNOWN_COMMAND();
    /** A step out of order (SOS before SYS_DRV, SETUP_TMR before the SMU image on 13.0.0, LOAD_IP_FW before SETUP_TMR). */
    public static final int BAD_ORDER = 0x1;
    /** The payload is not the image the PSP expects (its signature check fails on hardware). */
    public static final int BAD_PAYLOAD = 0x2;
    /** A parameter is out of range (alignment, size, address). */
    public static final int BAD_PARAMETER = 0x3;
    /** A firmware type this ASIC's PSP does not take. */
    public static final int UNSUPPORTED_TYPE = 0x4;

    private PspStatus() {
    }
}
