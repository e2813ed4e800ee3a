package amdvfio.amdgpu;

/**
 * The registers of one SDMA instance's queue 0 (the GFX ring) and the fields amdvfio uses, each
 * read from the generated header of its IP version under the instance's own name
 * ({@code SDMA1_GFX_RB_CNTL}, {@code SDMA3_GFX_DOORBELL}, {@code SDMA1_F32_CNTL}): the header's
 * offset and segment are the instance's, so no instance stride is derived here.
 *
 * <p>A register or field the version does not have is null, and code tests for it rather than for
 * the version: {@link #rbWptrPollCntl} (gone in 6.0, where F32 polling is
 * {@link #f32WptrPollEnable} of RB_CNTL), {@link #utcL1Enable} (gone from CNTL in 6.0),
 * {@link #th1Reset} (F32_CNTL of 6.0 only). Immutable.
 */
public final class SdmaRegs {

    public final int instance;
    /** The IP whose segment bases the offsets are relative to (SDMA{n} on 4.0, GC inside Navi). */
    public final HwIp baseIp;

    public final Reg cntl;
    public final Reg statusReg;
    public final Reg f32Cntl;
    public final Reg semWaitFailTimerCntl;
    public final Reg ucodeAddr;
    public final Reg ucodeData;
    public final Reg rbCntl;
    public final Reg rbBase;
    public final Reg rbBaseHi;
    public final Reg rbRptr;
    public final Reg rbRptrHi;
    public final Reg rbWptr;
    public final Reg rbWptrHi;
    public final Reg rbWptrPollCntl;
    public final Reg rbRptrAddrHi;
    public final Reg rbRptrAddrLo;
    public final Reg ibCntl;
    public final Reg doorbell;
    public final Reg doorbellOffset;
    public final Reg rbWptrPollAddrHi;
    public final Reg rbWptrPollAddrLo;
    public final Reg minorPtrUpdate;

    public final Field trapEnable;
    public final Field utcL1Enable;
    public final Field statusIdle;
    public final Field halt;
    public final Field th1Reset;
    /** RB_BASE_HI.ADDR: ring address bits [63:40] as the field holds them. */
    public final Field rbBaseHiAddr;
    public final Field rbEnable;
    public final Field rbSize;
    public final Field f32WptrPollEnable;
    public final Field rptrWritebackEnable;
    public final Field rptrWritebackTimer;
    public final Field rbPriv;
    public final Field f32PollEnable;
    public final Field ibEnable;
    public final Field doorbellEnable;
    public final Field doorbellCaptured;
    public final Field doorbellOffsetField;
    public final Field minorPtrEnable;

    /**
     * @param queue the queue-0 register infix: "GFX" (4.0, 5.x) or "QUEUE0" (6.0)
     */
    SdmaRegs(HeaderFacts h, int instance, String queue, HwIp baseIp) {
        this.instance = instance;
        this.baseIp = baseIp;
        String e = "SDMA" + instance + "_";
        String q = e + queue + "_";
        cntl = h.reg(e + "CNTL");
        statusReg = h.reg(e + "STATUS_REG");
        f32Cntl = h.reg(e + "F32_CNTL");
        semWaitFailTimerCntl = h.reg(e + "SEM_WAIT_FAIL_TIMER_CNTL");
        ucodeAddr = h.reg(e + "UCODE_ADDR");
        ucodeData = h.reg(e + "UCODE_DATA");
        rbCntl = h.reg(q + "RB_CNTL");
        rbBase = h.reg(q + "RB_BASE");
        rbBaseHi = h.reg(q + "RB_BASE_HI");
        rbRptr = h.reg(q + "RB_RPTR");
        rbRptrHi = h.reg(q + "RB_RPTR_HI");
        rbWptr = h.reg(q + "RB_WPTR");
        rbWptrHi = h.reg(q + "RB_WPTR_HI");
        rbWptrPollCntl = h.has(q + "RB_WPTR_POLL_CNTL") ? h.reg(q + "RB_WPTR_POLL_CNTL") : null;
        rbRptrAddrHi = h.reg(q + "RB_RPTR_ADDR_HI");
        rbRptrAddrLo = h.reg(q + "RB_RPTR_ADDR_LO");
        ibCntl = h.reg(q + "IB_CNTL");
        doorbell = h.reg(q + "DOORBELL");
        doorbellOffset = h.reg(q + "DOORBELL_OFFSET");
        rbWptrPollAddrHi = h.reg(q + "RB_WPTR_POLL_ADDR_HI");
        rbWptrPollAddrLo = h.reg(q + "RB_WPTR_POLL_ADDR_LO");
        minorPtrUpdate = h.reg(q + "MINOR_PTR_UPDATE");

        trapEnable = h.field(e + "CNTL", "TRAP_ENABLE");
        utcL1Enable = optional(h, e + "CNTL", "UTC_L1_ENABLE");
        statusIdle = h.field(e + "STATUS_REG", "IDLE");
        halt = h.field(e + "F32_CNTL", "HALT");
        th1Reset = optional(h, e + "F32_CNTL", "TH1_RESET");
        rbBaseHiAddr = h.field(q + "RB_BASE_HI", "ADDR");
        rbEnable = h.field(q + "RB_CNTL", "RB_ENABLE");
        rbSize = h.field(q + "RB_CNTL", "RB_SIZE");
        f32WptrPollEnable = optional(h, q + "RB_CNTL", "F32_WPTR_POLL_ENABLE");
        rptrWritebackEnable = h.field(q + "RB_CNTL", "RPTR_WRITEBACK_ENABLE");
        rptrWritebackTimer = h.field(q + "RB_CNTL", "RPTR_WRITEBACK_TIMER");
        rbPriv = h.field(q + "RB_CNTL", "RB_PRIV");
        f32PollEnable = rbWptrPollCntl == null ? null : h.field(q + "RB_WPTR_POLL_CNTL", "F32_POLL_ENABLE");
        ibEnable = h.field(q + "IB_CNTL", "IB_ENABLE");
        doorbellEnable = h.field(q + "DOORBELL", "ENABLE");
        doorbellCaptured = h.field(q + "DOORBELL", "CAPTURED");
        doorbellOffsetField = h.field(q + "DOORBELL_OFFSET", "OFFSET");
        minorPtrEnable = h.field(q + "MINOR_PTR_UPDATE", "ENABLE");
    }

    private static Field optional(HeaderFacts h, String reg, String field) {
        return h.has(reg + "__" + field + "__SHIFT") ? h.field(reg, field) : null;
    }
}
