package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.osssys_4_0_h;
import amdvfio.bindings.amdgpu.osssys_5_0_0_h;
import amdvfio.bindings.amdgpu.osssys_6_0_0_h;

/**
 * The interrupt handler's ring-0 registers and fields of one OSSSYS version (OSSSYS segment 0;
 * {@code osssys_4_0}, {@code osssys_5_0_0}, {@code osssys_6_0_0} offset and sh_mask headers).
 * {@link #rbGpuTsEnable} is null where RB_CNTL has no such field. Immutable.
 */
public final class IhRegs {

    public static final IhRegs OSSSYS_4_0 = new IhRegs(HeaderFacts.of(osssys_4_0_h.class));
    public static final IhRegs OSSSYS_5_0 = new IhRegs(HeaderFacts.of(osssys_5_0_0_h.class));
    public static final IhRegs OSSSYS_6_0 = new IhRegs(HeaderFacts.of(osssys_6_0_0_h.class));

    public final String header;
    public final Reg rbCntl;
    public final Reg rbBase;
    public final Reg rbBaseHi;
    public final Reg rbRptr;
    public final Reg rbWptr;
    public final Reg rbWptrAddrHi;
    public final Reg rbWptrAddrLo;
    public final Reg doorbellRptr;

    /** IH_RB_BASE_HI.ADDR: ring address bits [47:40]. */
    public final Field rbBaseHiAddr;
    /** IH_RB_WPTR_ADDR_HI.ADDR: writeback address bits [47:32]. */
    public final Field wptrAddrHiAddr;
    public final Field rbEnable;
    public final Field rbSize;
    public final Field rbGpuTsEnable;
    public final Field wptrWritebackEnable;
    public final Field rbFullDrainEnable;
    public final Field wptrOverflowEnable;
    public final Field enableIntr;
    public final Field mcSnoop;
    public final Field rptrRearm;
    public final Field mcSpace;
    public final Field wptrOverflowClear;
    public final Field wptrRbOverflow;
    public final Field wptrOffset;
    public final Field rptrOffset;
    public final Field doorbellOffset;
    public final Field doorbellEnable;

    private IhRegs(HeaderFacts h) {
        header = h.toString();
        rbCntl = h.reg("IH_RB_CNTL");
        rbBase = h.reg("IH_RB_BASE");
        rbBaseHi = h.reg("IH_RB_BASE_HI");
        rbRptr = h.reg("IH_RB_RPTR");
        rbWptr = h.reg("IH_RB_WPTR");
        rbWptrAddrHi = h.reg("IH_RB_WPTR_ADDR_HI");
        rbWptrAddrLo = h.reg("IH_RB_WPTR_ADDR_LO");
        doorbellRptr = h.reg("IH_DOORBELL_RPTR");
        rbBaseHiAddr = h.field("IH_RB_BASE_HI", "ADDR");
        wptrAddrHiAddr = h.field("IH_RB_WPTR_ADDR_HI", "ADDR");
        rbEnable = h.field("IH_RB_CNTL", "RB_ENABLE");
        rbSize = h.field("IH_RB_CNTL", "RB_SIZE");
        rbGpuTsEnable = h.has("IH_RB_CNTL__RB_GPU_TS_ENABLE__SHIFT") ? h.field("IH_RB_CNTL", "RB_GPU_TS_ENABLE") : null;
        wptrWritebackEnable = h.field("IH_RB_CNTL", "WPTR_WRITEBACK_ENABLE");
        rbFullDrainEnable = h.field("IH_RB_CNTL", "RB_FULL_DRAIN_ENABLE");
        wptrOverflowEnable = h.field("IH_RB_CNTL", "WPTR_OVERFLOW_ENABLE");
        enableIntr = h.field("IH_RB_CNTL", "ENABLE_INTR");
        mcSnoop = h.field("IH_RB_CNTL", "MC_SNOOP");
        rptrRearm = h.field("IH_RB_CNTL", "RPTR_REARM");
        mcSpace = h.field("IH_RB_CNTL", "MC_SPACE");
        wptrOverflowClear = h.field("IH_RB_CNTL", "WPTR_OVERFLOW_CLEAR");
        wptrRbOverflow = h.field("IH_RB_WPTR", "RB_OVERFLOW");
        wptrOffset = h.field("IH_RB_WPTR", "OFFSET");
        rptrOffset = h.field("IH_RB_RPTR", "OFFSET");
        doorbellOffset = h.field("IH_DOORBELL_RPTR", "OFFSET");
        doorbellEnable = h.field("IH_DOORBELL_RPTR", "ENABLE");
    }

    @Override
    public String toString() {
        return header;
    }
}
