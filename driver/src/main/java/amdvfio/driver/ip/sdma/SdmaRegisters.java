package amdvfio.driver.ip.sdma;

import amdvfio.driver.asic.HwIp;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.SdmaGeneration;
import amdvfio.driver.reg.Field;
import amdvfio.driver.reg.Reg;

/**
 * SDMA queue-0 registers (spec §3.1/§3.2; {@code sdma0_4_0_offset.h}, {@code gc_10_1_0_offset.h},
 * {@code gc_10_3_0_offset.h}, {@code gc_11_0_0_offset.h}) and where each instance's copy lives:
 * <ul>
 *   <li>4.0: inside each SDMA IP's own segment 0 (SDMA0 0x1260, SDMA1 0x1460 on Vega10);</li>
 *   <li>5.x/6.0: inside GC. Segment-0 registers at GC seg 0 + 0x600 × instance, HYP registers
 *       (0x5880..) at GC seg 1 + 0x20 × instance; on 5.2 instances 2 and 3 at GC seg 2 (+0x400
 *       for 3) — {@code sdma_v5_0_get_reg_offset}, {@code sdma_v5_2_get_reg_offset}.</li>
 * </ul>
 * Immutable.
 */
public final class SdmaRegisters {

    public static final Reg CNTL = Reg.of("SDMA0_CNTL", 0x01c);
    public static final Reg STATUS_REG = Reg.of("SDMA0_STATUS_REG", 0x025);
    public static final Reg F32_CNTL_V4_V5 = Reg.of("SDMA0_F32_CNTL", 0x02a);
    public static final Reg F32_CNTL_V6 = new Reg("SDMA0_F32_CNTL", 0x589a, 1);
    public static final Reg SEM_WAIT_FAIL_TIMER_CNTL_V4_V5 = Reg.of("SDMA0_SEM_WAIT_FAIL_TIMER_CNTL", 0x021);
    public static final Reg SEM_WAIT_FAIL_TIMER_CNTL_V6 = Reg.of("SDMA0_SEM_WAIT_FAIL_TIMER_CNTL", 0x022);
    public static final Reg RB_CNTL = Reg.of("SDMA0_GFX_RB_CNTL", 0x080);
    public static final Reg RB_BASE = Reg.of("SDMA0_GFX_RB_BASE", 0x081);
    public static final Reg RB_BASE_HI = Reg.of("SDMA0_GFX_RB_BASE_HI", 0x082);
    public static final Reg RB_RPTR = Reg.of("SDMA0_GFX_RB_RPTR", 0x083);
    public static final Reg RB_RPTR_HI = Reg.of("SDMA0_GFX_RB_RPTR_HI", 0x084);
    public static final Reg RB_WPTR = Reg.of("SDMA0_GFX_RB_WPTR", 0x085);
    public static final Reg RB_WPTR_HI = Reg.of("SDMA0_GFX_RB_WPTR_HI", 0x086);
    public static final Reg RB_WPTR_POLL_CNTL = Reg.of("SDMA0_GFX_RB_WPTR_POLL_CNTL", 0x087);
    public static final Reg RB_RPTR_ADDR_HI = Reg.of("SDMA0_GFX_RB_RPTR_ADDR_HI", 0x088);
    public static final Reg RB_RPTR_ADDR_LO = Reg.of("SDMA0_GFX_RB_RPTR_ADDR_LO", 0x089);
    public static final Reg IB_CNTL = Reg.of("SDMA0_GFX_IB_CNTL", 0x08a);
    public static final Reg DOORBELL = Reg.of("SDMA0_GFX_DOORBELL", 0x092);
    public static final Reg DOORBELL_OFFSET = Reg.of("SDMA0_GFX_DOORBELL_OFFSET", 0x0ab);
    public static final Reg RB_WPTR_POLL_ADDR_HI = Reg.of("SDMA0_GFX_RB_WPTR_POLL_ADDR_HI", 0x0b2);
    public static final Reg RB_WPTR_POLL_ADDR_LO = Reg.of("SDMA0_GFX_RB_WPTR_POLL_ADDR_LO", 0x0b3);
    public static final Reg MINOR_PTR_UPDATE = Reg.of("SDMA0_GFX_MINOR_PTR_UPDATE", 0x0b5);

    public static final Field RB_ENABLE = Field.bit("RB_ENABLE", 0);
    public static final Field RB_SIZE = new Field("RB_SIZE", 1, 5);
    public static final Field F32_WPTR_POLL_ENABLE_V6 = Field.bit("F32_WPTR_POLL_ENABLE", 11);
    public static final Field RPTR_WRITEBACK_ENABLE = Field.bit("RPTR_WRITEBACK_ENABLE", 12);
    public static final Field RPTR_WRITEBACK_TIMER = new Field("RPTR_WRITEBACK_TIMER", 16, 20);
    public static final Field RB_PRIV = Field.bit("RB_PRIV", 23);
    public static final Field F32_POLL_ENABLE = Field.bit("F32_POLL_ENABLE", 2);
    public static final Field IB_ENABLE = Field.bit("IB_ENABLE", 0);
    public static final Field DOORBELL_ENABLE = Field.bit("ENABLE", 28);
    public static final Field DOORBELL_OFFSET_FIELD = new Field("OFFSET", 2, 27);
    public static final Field TRAP_ENABLE = Field.bit("TRAP_ENABLE", 0);
    public static final Field UTC_L1_ENABLE = Field.bit("UTC_L1_ENABLE", 1);
    public static final Field HALT = Field.bit("HALT", 0);
    public static final Field MINOR_PTR_ENABLE = Field.bit("ENABLE", 0);

    private static final int INSTANCE_STRIDE_SEG0 = 0x600;  // SDMA1_REG_OFFSET
    private static final int INSTANCE_STRIDE_HYP = 0x20;    // SDMA1_HYP_DEC_REG_OFFSET
    private static final int SDMA3_OFFSET = 0x400;          // SDMA3_REG_OFFSET (5.2)

    private final SdmaGeneration generation;
    private final IpBases bases;
    private final int instance;

    public SdmaRegisters(SdmaGeneration generation, IpBases bases, int instance) {
        this.generation = generation;
        this.bases = bases;
        this.instance = instance;
    }

    /** Absolute dword address of {@code reg} for this instance. */
    public int address(Reg reg) {
        if (generation == SdmaGeneration.V4_0) {
            return bases.base(HwIp.sdma(instance), reg.segment()) + reg.offset();
        }
        if (reg.segment() == 1) {
            return bases.base(HwIp.GC, 1) + reg.offset() + INSTANCE_STRIDE_HYP * instance;
        }
        if (instance >= 2) {
            return bases.base(HwIp.GC, 2) + reg.offset() + (instance == 3 ? SDMA3_OFFSET : 0);
        }
        return bases.base(HwIp.GC, 0) + reg.offset() + INSTANCE_STRIDE_SEG0 * instance;
    }

    public Reg f32Cntl() {
        return generation == SdmaGeneration.V6_0 ? F32_CNTL_V6 : F32_CNTL_V4_V5;
    }

    public Reg semWaitFailTimerCntl() {
        return generation == SdmaGeneration.V6_0 ? SEM_WAIT_FAIL_TIMER_CNTL_V6 : SEM_WAIT_FAIL_TIMER_CNTL_V4_V5;
    }
}
