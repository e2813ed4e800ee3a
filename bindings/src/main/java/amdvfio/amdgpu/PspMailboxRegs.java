package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.mp_11_0_h;
import amdvfio.bindings.amdgpu.mp_13_0_0_h;
import amdvfio.bindings.amdgpu.mp_9_0_h;

/**
 * The PSP's (MP0's) C2PMSG mailbox registers of one MP version, read from its generated header
 * (spec amd-cold-boot.md §2.1): the bootloader command/status (35) and payload address (36), the
 * IFWI steady state (33), the KM ring control (64), write pointer (67), address (69/70) and size
 * (71), the sOS sign of life (81) and version (58). Offsets are relative to MP0 segment 0
 * ({@link HwIp#MP0}). Immutable; shared by the driver and the simulator.
 */
public final class PspMailboxRegs {

    public static final PspMailboxRegs MP_9_0 = new PspMailboxRegs("MP 9.0", HeaderFacts.of(mp_9_0_h.class));
    public static final PspMailboxRegs MP_11_0 = new PspMailboxRegs("MP 11.0", HeaderFacts.of(mp_11_0_h.class));
    public static final PspMailboxRegs MP_13_0_0 = new PspMailboxRegs("MP 13.0.0", HeaderFacts.of(mp_13_0_0_h.class));

    /** RLC_RLCS_BOOTLOAD_STATUS.BOOTLOAD_COMPLETE (GC 11.0.0), what the RLC autoload sets (gfx_v11_0_wait_for_rlc_autoload_complete). */
    public static final Reg GC11_RLC_BOOTLOAD_STATUS = HeaderFacts.of(gc_11_0_0_h.class).reg("RLC_RLCS_BOOTLOAD_STATUS");
    public static final Field GC11_BOOTLOAD_COMPLETE = HeaderFacts.of(gc_11_0_0_h.class).field("RLC_RLCS_BOOTLOAD_STATUS", "BOOTLOAD_COMPLETE");
    /** CP_STAT (GC 11.0.0): 0 = the command processor is idle, the other half of the autoload wait. */
    public static final Reg GC11_CP_STAT = HeaderFacts.of(gc_11_0_0_h.class).reg("CP_STAT");

    /**
     * Bit 31 of C2PMSG_35 (the bootloader) and C2PMSG_64 (the KM ring): the PSP has answered and
     * takes the next command. Not in a register header: psp_v3_1/v11_0/v13_0.c wait for
     * {@code 0x80000000} under the same mask on both registers.
     */
    public static final int RESPONSE_READY = 1 << 31;

    public final String name;
    public final Reg c2pmsg33;
    public final Reg c2pmsg35;
    public final Reg c2pmsg36;
    public final Reg c2pmsg58;
    public final Reg c2pmsg64;
    public final Reg c2pmsg67;
    public final Reg c2pmsg69;
    public final Reg c2pmsg70;
    public final Reg c2pmsg71;
    public final Reg c2pmsg81;

    private PspMailboxRegs(String name, HeaderFacts h) {
        this.name = name;
        this.c2pmsg33 = h.reg("MP0_SMN_C2PMSG_33");
        this.c2pmsg35 = h.reg("MP0_SMN_C2PMSG_35");
        this.c2pmsg36 = h.reg("MP0_SMN_C2PMSG_36");
        this.c2pmsg58 = h.reg("MP0_SMN_C2PMSG_58");
        this.c2pmsg64 = h.reg("MP0_SMN_C2PMSG_64");
        this.c2pmsg67 = h.reg("MP0_SMN_C2PMSG_67");
        this.c2pmsg69 = h.reg("MP0_SMN_C2PMSG_69");
        this.c2pmsg70 = h.reg("MP0_SMN_C2PMSG_70");
        this.c2pmsg71 = h.reg("MP0_SMN_C2PMSG_71");
        this.c2pmsg81 = h.reg("MP0_SMN_C2PMSG_81");
    }

    /** The set for an MP0 major version (9 → Vega10's psp_v3_1, 11 → Navi10/21, 13 → Navi31). */
    public static PspMailboxRegs forMp0Major(int major) {
        return switch (major) {
            case 9, 3 -> MP_9_0;
            case 11 -> MP_11_0;
            case 13 -> MP_13_0_0;
            default -> throw new IllegalArgumentException("no PSP mailbox registers for MP0 " + major);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
