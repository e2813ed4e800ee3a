package amdvfio.driver.ip.gmc;

import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.driver.ip.DeviceContext;

/**
 * What a cold card's VM hub needs between its GART aperture and its VMID-0 context, as amdgpu's
 * {@code *hub_v*_gart_enable} programs it ({@code mmhub_v1_0}, {@code gfxhub_v2_0},
 * {@code gfxhub_v2_1}, {@code mmhub_v2_0}, {@code gfxhub_v3_0}, {@code mmhub_v3_0}; spec
 * amd-cold-boot.md §4.2, §4.3, §7): {@code init_system_aperture_regs} (AGP off, the system
 * aperture over VRAM, its default page), {@code init_tlb_regs} (L1 TLB on, advanced-driver mode,
 * system access mode 3) and {@code init_cache_regs} (L2 cache on, the L1 TLBs and the L2
 * invalidated). One class for every hub: the registers come from the hub's own header through
 * {@link VmHubRegs} ({@code MC_VM_}/{@code VM_}, {@code GCMC_VM_}/{@code GCVM_},
 * {@code MMMC_VM_}/{@code MMVM_}); the values that differ by generation follow
 * {@link VmHubRegs#hubMajor}. On a warm card the VBIOS or an earlier run left these; amdgpu
 * programs them again on every init, and so does this.
 *
 * <p>AGP: amdgpu 6.12 leaves AGP off unless {@code amdgpu.agp=1} ({@code amdgpu_agp = -1},
 * {@code amdgpu_gmc_set_agp_default}: start 0xffffffffffff, end 0), as tinygrad does, so the
 * aperture is exactly the FB. Not programmed here: the protection-fault default page and
 * {@code PROTECTION_FAULT_CNTL2} (not in the generated selections), MTYPE UC in the L1 TLB (the
 * headers carry no MTYPE_UC value), the L2 tuning of CNTL3–5, the context-1 identity aperture.
 */
final class HubApertures {

    /** amdgpu_gmc_set_agp_default's agp_start, 0xffffffffffff, as AGP_BOT takes it (>> 24); TOP 0: AGP off. */
    private static final int AGP_OFF_BOTTOM = (int) (((1L << 48) - 1) >>> 24);
    /** MX_L1_TLB_CNTL.SYSTEM_ACCESS_MODE 3: "both GART and system aperture" (every *_init_tlb_regs). */
    private static final int SYSTEM_ACCESS_BOTH = 3;

    private final VmHubRegs hub;

    HubApertures(VmHubRegs hub) {
        this.hub = hub;
    }

    /**
     * init_system_aperture_regs, init_tlb_regs, init_cache_regs, in that order.
     *
     * @param fbStart      MC address of VRAM's first byte
     * @param fbEnd        MC address of VRAM's last byte
     * @param defaultPage  VRAM (physical) address of the page unmapped system-aperture accesses hit
     */
    void program(DeviceContext ctx, long fbStart, long fbEnd, long defaultPage) {
        systemAperture(ctx, fbStart, fbEnd, defaultPage);
        tlb(ctx);
        cache(ctx);
    }

    private void systemAperture(DeviceContext ctx, long fbStart, long fbEnd, long defaultPage) {
        var ip = hub.baseIp;
        ctx.write(ip, hub.agpBase, 0);
        ctx.write(ip, hub.agpBot, AGP_OFF_BOTTOM);
        ctx.write(ip, hub.agpTop, 0);
        ctx.write(ip, hub.apertureLow, (int) (fbStart >>> VmHubRegs.APERTURE_SHIFT));
        ctx.write(ip, hub.apertureHigh, (int) (fbEnd >>> VmHubRegs.APERTURE_SHIFT));
        ctx.write(ip, hub.apertureDefaultLsb, (int) (defaultPage >>> 12));
        ctx.write(ip, hub.apertureDefaultMsb, (int) (defaultPage >>> 44));
    }

    /** mmhub_v1_0_init_tlb_regs also sets ATC_EN, a field the later hubs no longer have. */
    private void tlb(DeviceContext ctx) {
        int v = ctx.read(hub.baseIp, hub.l1TlbCntl);
        v = hub.enableL1Tlb.set(v, 1);
        v = hub.systemAccessMode.set(v, SYSTEM_ACCESS_BOTH);
        v = hub.advancedDriverModel.set(v, 1);
        v = hub.unmappedAccess.set(v, 0);
        if (hub.atcEnable != null) {
            v = hub.atcEnable.set(v, 1);
        }
        ctx.write(hub.baseIp, hub.l1TlbCntl, v);
    }

    /**
     * mmhub_v1_0_init_cache_regs turns L2 fragment processing on; the v2/v3 hubs turn it off and
     * send default-page accesses to system memory instead.
     */
    private void cache(DeviceContext ctx) {
        int v = ctx.read(hub.baseIp, hub.l2Cntl);
        v = hub.enableL2Cache.set(v, 1);
        if (hub.hubMajor == 1) {
            v = hub.l2FragmentProcessing.set(v, 1);
        } else {
            v = hub.l2FragmentProcessing.set(v, 0);
            v = hub.defaultPageOutToSystemMemory.set(v, 1);
        }
        for (Field off : new Field[] {hub.pdeCacheTagGenerationMode, hub.pdeFaultClassification, hub.identityModeFragmentSize}) {
            v = off.set(v, 0);
        }
        v = hub.context1IdentityAccessMode.set(v, 1);
        ctx.write(hub.baseIp, hub.l2Cntl, v);
        int inv = ctx.read(hub.baseIp, hub.l2Cntl2);
        inv = hub.invalidateAllL1Tlbs.set(inv, 1);
        inv = hub.invalidateL2Cache.set(inv, 1);
        ctx.write(hub.baseIp, hub.l2Cntl2, inv);
    }
}
