package amdvfio.sim.regs;

/**
 * Interrupt handler ring-0 registers (OSSSYS segment 0). Sources: {@code oss/osssys_4_0_offset.h},
 * {@code osssys_5_0_0_offset.h}, {@code osssys_6_0_0_offset.h} and the matching {@code _sh_mask.h}
 * (spec §4.1). The ring-0 offsets are the same in 4.0, 5.0 and 6.0.
 */
public final class IhRegs {

    private IhRegs() {
    }

    public static final int RB_CNTL = 0x080;
    public static final int RB_BASE = 0x081;
    public static final int RB_BASE_HI = 0x082;
    public static final int RB_RPTR = 0x083;
    public static final int RB_WPTR = 0x084;
    public static final int RB_WPTR_ADDR_HI = 0x085;
    public static final int RB_WPTR_ADDR_LO = 0x086;
    public static final int DOORBELL_RPTR = 0x087;

    // IH_RB_CNTL
    public static final Field RB_ENABLE = Field.bit("RB_ENABLE", 0);
    public static final Field RB_SIZE = new Field("RB_SIZE", 1, 5);
    public static final Field WPTR_WRITEBACK_ENABLE = Field.bit("WPTR_WRITEBACK_ENABLE", 8);
    public static final Field RB_FULL_DRAIN_ENABLE = Field.bit("RB_FULL_DRAIN_ENABLE", 9);
    public static final Field WPTR_OVERFLOW_ENABLE = Field.bit("WPTR_OVERFLOW_ENABLE", 16);
    public static final Field ENABLE_INTR = Field.bit("ENABLE_INTR", 17);
    public static final Field MC_SPACE = new Field("MC_SPACE", 28, 30);
    public static final Field WPTR_OVERFLOW_CLEAR = Field.bit("WPTR_OVERFLOW_CLEAR", 31);

    // IH_RB_WPTR
    public static final Field RB_OVERFLOW = Field.bit("RB_OVERFLOW", 0);
    public static final Field WPTR_OFFSET = new Field("OFFSET", 2, 17);

    // IH_RB_RPTR
    public static final Field RPTR_OFFSET = new Field("OFFSET", 2, 17);

    // IH_DOORBELL_RPTR
    public static final Field DB_OFFSET = new Field("OFFSET", 0, 25);
    public static final Field DB_ENABLE = Field.bit("ENABLE", 28);

    /** MC_SPACE = 4: the ring address is a GPU MC (VMID 0) address (vega10_ih.c, navi10_ih.c). */
    public static final int MC_SPACE_MC = 4;
}
