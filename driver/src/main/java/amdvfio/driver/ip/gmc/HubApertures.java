package amdvfio.driver.ip.gmc;

import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.HeaderFacts;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.mmhub_3_0_0_h;
import amdvfio.driver.ip.DeviceContext;
import java.util.Optional;

/**
 * What a cold card's VM hub needs besides its VMID-0 context, as amdgpu's
 * {@code gfxhub_v3_0_gart_enable} / {@code mmhub_v3_0_gart_enable} program it before the
 * context (spec amd-cold-boot.md §4.2, §4.3): the system aperture over VRAM with its default
 * page, AGP off (tinygrad's choice; amdgpu maps a real AGP window this driver does not use), the
 * L1 TLB in advanced-driver mode with system access mode 3, and the L2 cache on with the L1 TLBs
 * and the L2 invalidated. On a warm card the VBIOS or the earlier run left these; programming them
 * again is what amdgpu does on every init. Not yet: the L2 tuning of CNTL3–5, MTYPE UC in the L1
 * TLB (the headers carry no MTYPE_UC value), the context-1 identity aperture. GC 11 and MMHUB
 * 3.0 (Navi31) only so far.
 */
final class HubApertures {

    /** AGP_BOT above AGP_TOP disables the AGP aperture (tinygrad: BOT = 0xFFFFFFFFFFFF >> 24, TOP = 0). */
    private static final int AGP_OFF_BOTTOM = (int) (((1L << 48) - 1) >>> 24);
    /** MX_L1_TLB_CNTL.SYSTEM_ACCESS_MODE 3: "both GART and system aperture" (gfxhub_v3_0_init_tlb_regs). */
    private static final int SYSTEM_ACCESS_BOTH = 3;

    private final HwIp ip;
    private final Reg agpBase;
    private final Reg agpBot;
    private final Reg agpTop;
    private final Reg apertureLow;
    private final Reg apertureHigh;
    private final Reg defaultLsb;
    private final Reg defaultMsb;
    private final Reg l1Tlb;
    private final Reg l2;
    private final Reg l2Cntl2;
    private final Field[] l1On;
    private final Field systemAccessMode;
    private final Field unmappedAccess;
    private final Field[] l2On;
    private final Field[] l2Off;
    private final Field[] invalidate;

    private HubApertures(HwIp ip, HeaderFacts h, String mc, String vm) {
        this.ip = ip;
        agpBase = h.reg(mc + "AGP_BASE");
        agpBot = h.reg(mc + "AGP_BOT");
        agpTop = h.reg(mc + "AGP_TOP");
        apertureLow = h.reg(mc + "SYSTEM_APERTURE_LOW_ADDR");
        apertureHigh = h.reg(mc + "SYSTEM_APERTURE_HIGH_ADDR");
        defaultLsb = h.reg(mc + "SYSTEM_APERTURE_DEFAULT_ADDR_LSB");
        defaultMsb = h.reg(mc + "SYSTEM_APERTURE_DEFAULT_ADDR_MSB");
        String tlb = mc + "MX_L1_TLB_CNTL";
        l1Tlb = h.reg(tlb);
        l1On = new Field[] {h.field(tlb, "ENABLE_L1_TLB"), h.field(tlb, "ENABLE_ADVANCED_DRIVER_MODEL")};
        systemAccessMode = h.field(tlb, "SYSTEM_ACCESS_MODE");
        unmappedAccess = h.field(tlb, "SYSTEM_APERTURE_UNMAPPED_ACCESS");
        String cntl = vm + "L2_CNTL";
        l2 = h.reg(cntl);
        l2On = new Field[] {h.field(cntl, "ENABLE_L2_CACHE"), h.field(cntl, "ENABLE_DEFAULT_PAGE_OUT_TO_SYSTEM_MEMORY"),
                h.field(cntl, "CONTEXT1_IDENTITY_ACCESS_MODE")};
        l2Off = new Field[] {h.field(cntl, "ENABLE_L2_FRAGMENT_PROCESSING"), h.field(cntl, "L2_PDE0_CACHE_TAG_GENERATION_MODE"),
                h.field(cntl, "PDE_FAULT_CLASSIFICATION"), h.field(cntl, "IDENTITY_MODE_FRAGMENT_SIZE")};
        l2Cntl2 = h.reg(vm + "L2_CNTL2");
        invalidate = new Field[] {h.field(vm + "L2_CNTL2", "INVALIDATE_ALL_L1_TLBS"), h.field(vm + "L2_CNTL2", "INVALIDATE_L2_CACHE")};
    }

    static Optional<HubApertures> forHub(VmHubRegs hub) {
        if (hub == VmHubRegs.GFXHUB_11_0) {
            return Optional.of(new HubApertures(HwIp.GC, HeaderFacts.of(gc_11_0_0_h.class), "GCMC_VM_", "GCVM_"));
        }
        if (hub == VmHubRegs.MMHUB_3_0) {
            return Optional.of(new HubApertures(HwIp.MMHUB, HeaderFacts.of(mmhub_3_0_0_h.class), "MMMC_VM_", "MMVM_"));
        }
        return Optional.empty();
    }

    /**
     * init_system_aperture_regs, init_tlb_regs, init_cache_regs.
     *
     * @param fbStart      MC address of VRAM's first byte
     * @param fbEnd        MC address of VRAM's last byte
     * @param defaultPage  VRAM (physical) address of the page unmapped system-aperture accesses hit
     */
    void program(DeviceContext ctx, long fbStart, long fbEnd, long defaultPage) {
        ctx.write(ip, agpBase, 0);
        ctx.write(ip, agpBot, AGP_OFF_BOTTOM);
        ctx.write(ip, agpTop, 0);
        ctx.write(ip, apertureLow, (int) (fbStart >>> 18));
        ctx.write(ip, apertureHigh, (int) (fbEnd >>> 18));
        ctx.write(ip, defaultLsb, (int) (defaultPage >>> 12));
        ctx.write(ip, defaultMsb, (int) (defaultPage >>> 44));
        int tlb = unmappedAccess.set(systemAccessMode.set(ctx.read(ip, l1Tlb), SYSTEM_ACCESS_BOTH), 0);
        for (Field f : l1On) {
            tlb = f.set(tlb, 1);
        }
        ctx.write(ip, l1Tlb, tlb);
        int cache = ctx.read(ip, l2);
        for (Field f : l2On) {
            cache = f.set(cache, 1);
        }
        for (Field f : l2Off) {
            cache = f.set(cache, 0);
        }
        ctx.write(ip, l2, cache);
        int inv = 0;
        for (Field f : invalidate) {
            inv = f.set(inv, 1);
        }
        ctx.write(ip, l2Cntl2, inv);
    }
}
