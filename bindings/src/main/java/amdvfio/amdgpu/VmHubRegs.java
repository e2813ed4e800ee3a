package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.gc_10_1_0_h;
import amdvfio.bindings.amdgpu.gc_10_3_0_h;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.mmhub_1_0_h;
import amdvfio.bindings.amdgpu.mmhub_2_0_0_h;
import amdvfio.bindings.amdgpu.mmhub_3_0_0_h;

/**
 * One VM hub's VMID-0 context, frame-buffer location and invalidation engine 17 (the one amdgpu
 * uses for GART flushes, {@code gmc_v*_flush_gpu_tlb}: "Use register 17 for GART"), read from the
 * hub's generated header. The GFX hubs live inside GC ({@code GCVM_*}, {@code GCMC_VM_*}); the
 * MM hubs in MMHUB ({@code VM_*}/{@code MC_VM_*} on 1.0, {@code MMVM_*}/{@code MMMC_VM_*} later).
 * MMHUB 2.1 (Navi21) has no header of its own in Linux 6.12: {@code mmhub_v2_0.c} drives it with
 * {@code mmhub_2_0_0}'s VM registers, so {@link #MMHUB_2_0} serves it. Immutable.
 */
public final class VmHubRegs {

    public static final VmHubRegs MMHUB_1_0 = new VmHubRegs("MMHUB 1.0", 1, HwIp.MMHUB, HeaderFacts.of(mmhub_1_0_h.class), "MC_VM_", "VM_", true);
    public static final VmHubRegs MMHUB_2_0 = new VmHubRegs("MMHUB 2.0", 2, HwIp.MMHUB, HeaderFacts.of(mmhub_2_0_0_h.class), "MMMC_VM_", "MMVM_", true);
    public static final VmHubRegs MMHUB_3_0 = new VmHubRegs("MMHUB 3.0", 3, HwIp.MMHUB, HeaderFacts.of(mmhub_3_0_0_h.class), "MMMC_VM_", "MMVM_", true);
    public static final VmHubRegs GFXHUB_10_1 = new VmHubRegs("GFXHUB 2.0 (GC 10.1)", 2, HwIp.GC, HeaderFacts.of(gc_10_1_0_h.class), "GCMC_VM_", "GCVM_", false);
    public static final VmHubRegs GFXHUB_10_3 = new VmHubRegs("GFXHUB 2.1 (GC 10.3)", 2, HwIp.GC, HeaderFacts.of(gc_10_3_0_h.class), "GCMC_VM_", "GCVM_", false);
    public static final VmHubRegs GFXHUB_11_0 = new VmHubRegs("GFXHUB 3.0 (GC 11.0)", 3, HwIp.GC, HeaderFacts.of(gc_11_0_0_h.class), "GCMC_VM_", "GCVM_", false);

    public final String name;
    /**
     * The major version of amdgpu's file that drives the hub ({@code mmhub_v1_0}, {@code gfxhub_v2_0},
     * {@code gfxhub_v2_1}, {@code mmhub_v2_0}, {@code gfxhub_v3_0}, {@code mmhub_v3_0}): the few
     * values their {@code init_tlb_regs}/{@code init_cache_regs} choose differently follow it.
     */
    public final int hubMajor;
    /** The IP whose segment bases the offsets are relative to. */
    public final HwIp baseIp;
    /**
     * amdgpu takes the invalidation semaphore on MM hubs only ({@code gmc_v9_0/v10_0/v11_0_use_invalidate_semaphore}:
     * "vmhub == AMDGPU_MMHUB0(0)").
     */
    public final boolean useSemaphore;

    public final Reg fbLocationBase;
    public final Reg fbLocationTop;
    public final Reg fbOffset;
    public final Reg context0Cntl;
    public final Reg ptBaseLo;
    public final Reg ptBaseHi;
    public final Reg ptStartLo;
    public final Reg ptStartHi;
    public final Reg ptEndLo;
    public final Reg ptEndHi;
    public final Reg invReq;
    public final Reg invAck;
    public final Reg invSem;

    // What {@code *hub_v*_init_system_aperture_regs}, {@code init_tlb_regs} and {@code init_cache_regs}
    // program before the context: the AGP and system apertures, the L1 TLB and the L2 cache.
    public final Reg agpBase;
    public final Reg agpBot;
    public final Reg agpTop;
    public final Reg apertureLow;
    public final Reg apertureHigh;
    public final Reg apertureDefaultLsb;
    public final Reg apertureDefaultMsb;
    public final Reg l1TlbCntl;
    public final Reg l2Cntl;
    public final Reg l2Cntl2;
    public final Field enableL1Tlb;
    public final Field systemAccessMode;
    public final Field advancedDriverModel;
    public final Field unmappedAccess;
    /** MX_L1_TLB_CNTL.ATC_EN, which only MMHUB 1.0 has and {@code mmhub_v1_0_init_tlb_regs} sets; null elsewhere. */
    public final Field atcEnable;
    public final Field enableL2Cache;
    public final Field l2FragmentProcessing;
    public final Field pdeCacheTagGenerationMode;
    public final Field pdeFaultClassification;
    public final Field context1IdentityAccessMode;
    public final Field identityModeFragmentSize;
    public final Field defaultPageOutToSystemMemory;
    public final Field invalidateAllL1Tlbs;
    public final Field invalidateL2Cache;

    /** FB_LOCATION_BASE/TOP [23:0], 16 MiB units ({@code *_get_fb_location}). */
    public final Field fbLocation;
    public final Field enableContext;
    public final Field pageTableDepth;
    public final Field perVmidInvalidateReq;
    public final Field flushType;
    public final Field invalidateL2Ptes;
    public final Field invalidateL2Pde0;
    public final Field invalidateL2Pde1;
    public final Field invalidateL2Pde2;
    public final Field invalidateL1Ptes;
    public final Field perVmidInvalidateAck;
    public final Field semaphore;

    private VmHubRegs(String name, int hubMajor, HwIp baseIp, HeaderFacts h, String mc, String vm, boolean useSemaphore) {
        this.name = name;
        this.hubMajor = hubMajor;
        this.baseIp = baseIp;
        this.useSemaphore = useSemaphore;
        String ctx = vm + "CONTEXT0_";
        String inv = vm + "INVALIDATE_ENG17_";
        fbLocationBase = h.reg(mc + "FB_LOCATION_BASE");
        fbLocationTop = h.reg(mc + "FB_LOCATION_TOP");
        fbOffset = h.reg(mc + "FB_OFFSET");
        context0Cntl = h.reg(ctx + "CNTL");
        ptBaseLo = h.reg(ctx + "PAGE_TABLE_BASE_ADDR_LO32");
        ptBaseHi = h.reg(ctx + "PAGE_TABLE_BASE_ADDR_HI32");
        ptStartLo = h.reg(ctx + "PAGE_TABLE_START_ADDR_LO32");
        ptStartHi = h.reg(ctx + "PAGE_TABLE_START_ADDR_HI32");
        ptEndLo = h.reg(ctx + "PAGE_TABLE_END_ADDR_LO32");
        ptEndHi = h.reg(ctx + "PAGE_TABLE_END_ADDR_HI32");
        invReq = h.reg(inv + "REQ");
        invAck = h.reg(inv + "ACK");
        invSem = h.reg(inv + "SEM");
        fbLocation = h.field(mc + "FB_LOCATION_BASE", "FB_BASE");
        enableContext = h.field(ctx + "CNTL", "ENABLE_CONTEXT");
        pageTableDepth = h.field(ctx + "CNTL", "PAGE_TABLE_DEPTH");
        perVmidInvalidateReq = h.field(inv + "REQ", "PER_VMID_INVALIDATE_REQ");
        flushType = h.field(inv + "REQ", "FLUSH_TYPE");
        invalidateL2Ptes = h.field(inv + "REQ", "INVALIDATE_L2_PTES");
        invalidateL2Pde0 = h.field(inv + "REQ", "INVALIDATE_L2_PDE0");
        invalidateL2Pde1 = h.field(inv + "REQ", "INVALIDATE_L2_PDE1");
        invalidateL2Pde2 = h.field(inv + "REQ", "INVALIDATE_L2_PDE2");
        invalidateL1Ptes = h.field(inv + "REQ", "INVALIDATE_L1_PTES");
        perVmidInvalidateAck = h.field(inv + "ACK", "PER_VMID_INVALIDATE_ACK");
        semaphore = h.field(inv + "SEM", "SEMAPHORE");
        agpBase = h.reg(mc + "AGP_BASE");
        agpBot = h.reg(mc + "AGP_BOT");
        agpTop = h.reg(mc + "AGP_TOP");
        apertureLow = h.reg(mc + "SYSTEM_APERTURE_LOW_ADDR");
        apertureHigh = h.reg(mc + "SYSTEM_APERTURE_HIGH_ADDR");
        apertureDefaultLsb = h.reg(mc + "SYSTEM_APERTURE_DEFAULT_ADDR_LSB");
        apertureDefaultMsb = h.reg(mc + "SYSTEM_APERTURE_DEFAULT_ADDR_MSB");
        String tlb = mc + "MX_L1_TLB_CNTL";
        l1TlbCntl = h.reg(tlb);
        enableL1Tlb = h.field(tlb, "ENABLE_L1_TLB");
        systemAccessMode = h.field(tlb, "SYSTEM_ACCESS_MODE");
        advancedDriverModel = h.field(tlb, "ENABLE_ADVANCED_DRIVER_MODEL");
        unmappedAccess = h.field(tlb, "SYSTEM_APERTURE_UNMAPPED_ACCESS");
        atcEnable = h.has(tlb + "__ATC_EN__SHIFT") ? h.field(tlb, "ATC_EN") : null;
        String l2 = vm + "L2_CNTL";
        l2Cntl = h.reg(l2);
        l2Cntl2 = h.reg(l2 + "2");
        enableL2Cache = h.field(l2, "ENABLE_L2_CACHE");
        l2FragmentProcessing = h.field(l2, "ENABLE_L2_FRAGMENT_PROCESSING");
        pdeCacheTagGenerationMode = h.field(l2, "L2_PDE0_CACHE_TAG_GENERATION_MODE");
        pdeFaultClassification = h.field(l2, "PDE_FAULT_CLASSIFICATION");
        context1IdentityAccessMode = h.field(l2, "CONTEXT1_IDENTITY_ACCESS_MODE");
        identityModeFragmentSize = h.field(l2, "IDENTITY_MODE_FRAGMENT_SIZE");
        defaultPageOutToSystemMemory = h.field(l2, "ENABLE_DEFAULT_PAGE_OUT_TO_SYSTEM_MEMORY");
        invalidateAllL1Tlbs = h.field(l2 + "2", "INVALIDATE_ALL_L1_TLBS");
        invalidateL2Cache = h.field(l2 + "2", "INVALIDATE_L2_CACHE");
    }

    /**
     * The system aperture in MC bytes as LOW/HIGH_ADDR give it (256 KiB units,
     * {@code init_system_aperture_regs} writes {@code fb_start >> 18} / {@code fb_end >> 18}).
     */
    public static final int APERTURE_SHIFT = 18;

    /**
     * The legacy-mode invalidation request for {@code vmid} that {@code *hub_v*_get_invalidate_req}
     * builds: that VMID's bit, flush type 0, every L2 PTE/PDE level and the L1 PTEs.
     */
    public int invalidateRequest(int vmid) {
        int req = perVmidInvalidateReq.encode(1 << vmid) | flushType.encode(0);
        for (Field f : new Field[] {invalidateL2Ptes, invalidateL2Pde0, invalidateL2Pde1, invalidateL2Pde2, invalidateL1Ptes}) {
            req = f.set(req, 1);
        }
        return req;
    }

    @Override
    public String toString() {
        return name;
    }
}
