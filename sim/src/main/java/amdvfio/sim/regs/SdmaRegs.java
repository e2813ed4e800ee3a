package amdvfio.sim.regs;

/**
 * SDMA queue-0 (GFX ring) registers and fields, offsets relative to the SDMA instance.
 * Sources: 4.0 {@code sdma0/sdma0_4_0_offset.h} (= {@code sdma0_4_2_offset.h}) and
 * {@code _sh_mask.h}; 5.0 {@code gc/gc_10_1_0_offset.h}; 5.2 {@code gc/gc_10_3_0_offset.h};
 * 6.0 {@code gc/gc_11_0_0_offset.h} (regSDMA0_QUEUE0_*) and tinygrad {@code autogen/am/regs.py}.
 * Collected in docs/spec amd-sdma-ih.md §3.1–§3.2.
 */
public final class SdmaRegs {

    private SdmaRegs() {
    }

    // --- segment 0, same offset in every version (spec §3.1) ---
    public static final int CNTL = 0x01c;
    public static final int STATUS_REG = 0x025;
    /** F32_CNTL in segment 0 on 4.0 and 5.x; on 6.0 it is HYP register 0x589a in segment 1. */
    public static final int F32_CNTL_V4_V5 = 0x02a;
    public static final int F32_CNTL_V6 = 0x589a;
    public static final int UCODE_ADDR_V4 = 0x000;
    public static final int UCODE_DATA_V4 = 0x001;
    public static final int UCODE_ADDR_V5 = 0x5880;
    public static final int UCODE_DATA_V5 = 0x5881;
    public static final int RB_CNTL = 0x080;
    public static final int RB_BASE = 0x081;
    public static final int RB_BASE_HI = 0x082;
    public static final int RB_RPTR = 0x083;
    public static final int RB_RPTR_HI = 0x084;
    public static final int RB_WPTR = 0x085;
    public static final int RB_WPTR_HI = 0x086;
    /** 4.0 / 5.x only; 6.0 moved the F32 poll enable into RB_CNTL. */
    public static final int RB_WPTR_POLL_CNTL = 0x087;
    public static final int RB_RPTR_ADDR_HI = 0x088;
    public static final int RB_RPTR_ADDR_LO = 0x089;
    public static final int IB_CNTL = 0x08a;
    public static final int DOORBELL = 0x092;
    public static final int DOORBELL_OFFSET = 0x0ab;
    public static final int RB_WPTR_POLL_ADDR_HI = 0x0b2;
    public static final int RB_WPTR_POLL_ADDR_LO = 0x0b3;
    public static final int MINOR_PTR_UPDATE = 0x0b5;

    /** Stride between SDMA instances inside GC, segment-0 registers (SDMA1_REG_OFFSET, sdma_v5_0.c). */
    public static final int INSTANCE_STRIDE_SEG0 = 0x600;
    /** Stride of the HYP (segment 1) registers 0x5880.. (SDMA1_HYP_DEC_REG_OFFSET, sdma_v5_0.c). */
    public static final int INSTANCE_STRIDE_HYP = 0x20;
    /** SDMA3 sits 0x400 after SDMA2 in segment 2 (SDMA3_REG_OFFSET, sdma_v5_2.c). */
    public static final int SDMA3_OFFSET = 0x400;

    // --- RB_CNTL (spec §3.2) ---
    public static final Field RB_ENABLE = Field.bit("RB_ENABLE", 0);
    /** [5:1] per sdma0_4_2_sh_mask.h and 5.x/6.0 (4_0 header says [6:1]; harmless below 32). */
    public static final Field RB_SIZE = new Field("RB_SIZE", 1, 5);
    public static final Field WPTR_POLL_ENABLE_V6 = Field.bit("WPTR_POLL_ENABLE", 8);
    public static final Field F32_WPTR_POLL_ENABLE_V6 = Field.bit("F32_WPTR_POLL_ENABLE", 11);
    public static final Field RPTR_WRITEBACK_ENABLE = Field.bit("RPTR_WRITEBACK_ENABLE", 12);
    public static final Field RPTR_WRITEBACK_TIMER = new Field("RPTR_WRITEBACK_TIMER", 16, 20);
    public static final Field RB_PRIV = Field.bit("RB_PRIV", 23);
    public static final Field RB_VMID = new Field("RB_VMID", 24, 27);

    // --- RB_WPTR_POLL_CNTL (4.0/5.x) ---
    public static final Field POLL_ENABLE = Field.bit("ENABLE", 0);
    public static final Field F32_POLL_ENABLE = Field.bit("F32_POLL_ENABLE", 2);

    // --- IB_CNTL ---
    public static final Field IB_ENABLE = Field.bit("IB_ENABLE", 0);

    // --- DOORBELL / DOORBELL_OFFSET ---
    public static final Field DOORBELL_ENABLE = Field.bit("ENABLE", 28);
    public static final Field DOORBELL_CAPTURED = Field.bit("CAPTURED", 30);
    /** OFFSET [27:2]: a dword doorbell index, so the raw register value is the BAR2 byte offset. */
    public static final Field DOORBELL_OFFSET_FIELD = new Field("OFFSET", 2, 27);

    // --- CNTL ---
    public static final Field TRAP_ENABLE = Field.bit("TRAP_ENABLE", 0);

    // --- F32_CNTL ---
    public static final Field HALT = Field.bit("HALT", 0);

    // --- STATUS_REG ---
    /** SDMA0_STATUS_REG.IDLE (bit 0), what amdgpu's sdma_v*_is_idle tests. */
    public static final Field STATUS_IDLE = Field.bit("IDLE", 0);

    // --- MINOR_PTR_UPDATE ---
    public static final Field MINOR_PTR_ENABLE = Field.bit("ENABLE", 0);
}
