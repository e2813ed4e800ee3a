package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.bindings.amdgpu.osssys_4_0_h;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;

/**
 * {@code psp_v3_1_reroute_ih} (psp_v3_1.c:159-188, Linux 6.12), which amdgpu runs at the start of
 * every {@code psp_v3_1_ring_create}: the sOS is told to send the VMC and UMC clients' interrupts
 * to IH ring 1, one GFX_CTRL_CMD_ID_GBR_IH_SET each, with the client in C2PMSG_69 and an
 * {@code IH_CLIENT_CFG_DATA} value in C2PMSG_70. amdgpu ignores psp_wait_for's result here; we
 * do not: a sOS that never answers, or refuses, would leave the VMC/UMC interrupts on a ring
 * nobody reads, so either is a {@link PspException} naming the client.
 */
final class PspIhReroute {

    /** C2PMSG_69 selectors of psp_v3_1_reroute_ih: 3 = VMC, 4 = UMC (decimal in amdgpu too). */
    static final int VMC = 3;
    static final int UMC = 4;
    /**
     * The fields of IH_CLIENT_CFG_DATA (osssys_4_0) the data word is made of; the credit return
     * addresses are psp_v3_1.c's own values, not a header's.
     */
    private static final String CFG = "IH_CLIENT_CFG_DATA";
    private static final HeaderFacts OSSSYS = HeaderFacts.of(osssys_4_0_h.class);
    private static final Field CREDIT_RETURN_ADDR = OSSSYS.field(CFG, "CREDIT_RETURN_ADDR");
    private static final Field CLIENT_TYPE = OSSSYS.field(CFG, "CLIENT_TYPE");
    private static final Field RING_ID = OSSSYS.field(CFG, "RING_ID");
    private static final int VMC_CREDIT_RETURN_ADDR = 0x1244b;
    private static final int UMC_CREDIT_RETURN_ADDR = 0x1216b;
    private static final int RING_1 = 1;
    private static final long TIMEOUT_NANOS = 1_000_000_000L;

    private final PspMailbox mb;

    PspIhReroute(PspMailbox mb) {
        this.mb = mb;
    }

    /** The data word amdgpu sends for the VMC client. */
    static int vmcData() {
        return CREDIT_RETURN_ADDR.encode(VMC_CREDIT_RETURN_ADDR) | CLIENT_TYPE.encode(1) | RING_ID.encode(RING_1);
    }

    /** The data word amdgpu sends for the UMC client (CLIENT_TYPE 0). */
    static int umcData() {
        return CREDIT_RETURN_ADDR.encode(UMC_CREDIT_RETURN_ADDR) | CLIENT_TYPE.encode(0) | RING_ID.encode(RING_1);
    }

    void run() {
        send("reroute IH (VMC)", VMC, vmcData());
        send("reroute IH (UMC)", UMC, umcData());
    }

    private void send(String step, int client, int data) {
        mb.write(mb.regs.c2pmsg69, client);
        mb.write(mb.regs.c2pmsg70, data);
        mb.write(mb.regs.c2pmsg64, psp_gfx_if_h.GFX_CTRL_CMD_ID_GBR_IH_SET());
        int v = mb.waitFor(mb.regs.c2pmsg64, PspMailboxRegs.RESPONSE_READY, PspMailboxRegs.RESPONSE_READY, TIMEOUT_NANOS, step);
        int status = v & psp_gfx_if_h.GFX_CMD_STATUS_MASK();
        if (status != 0) {
            throw new PspException(step, status, String.format("PSP %s refused: C2PMSG_64 = 0x%08x", step, v));
        }
    }
}
