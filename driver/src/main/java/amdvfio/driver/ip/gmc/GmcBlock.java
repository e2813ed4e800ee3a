package amdvfio.driver.ip.gmc;

import amdvfio.amdgpu.Pte;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.driver.asic.IpDiscovery;
import amdvfio.driver.bo.RangeAllocator;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The memory controller: where VRAM sits in the GPU's address space (FB location, programmed by
 * the VBIOS and only read here, as {@code mmhub_v1_0_get_fb_location} does), the VMID-0 GART for
 * host memory in every hub a client of this driver translates through, the TLB flush after
 * page-table updates, and the VRAM allocator.
 *
 * <p>VRAM layout: the GART table at VRAM offset 0 (always inside BAR0, so the CPU can write it);
 * buffers after it up to the end of the CPU-visible part; the top 64 KiB hold the discovery
 * table and stay untouched.
 */
public final class GmcBlock implements IpBlock {

    /** amdgpu's default GART size is 256..512 MiB; 512 MiB here. */
    public static final long GART_SIZE = 512L << 20;

    private final DeviceContext ctx;
    private final List<VmHubRegs> hubs;
    private final TlbFlush tlb;
    private long fbBase;
    private long fbTop;
    private Gart gart;
    private RangeAllocator vramAllocator;
    /** VRAM offset of the page unmapped system-aperture accesses hit (amdgpu's mem_scratch). */
    private long defaultPage;

    /**
     * Test switch: each hub gets only its VMID-0 context, not its apertures, L1 TLB and L2 (the
     * driver before the cold boot relied on the VBIOS for those); the cold-boot test proves that
     * a cold card then faults.
     */
    static volatile boolean testSkipHubSetup;

    public GmcBlock(DeviceContext ctx) {
        this.ctx = ctx;
        this.hubs = ctx.profile().hubs();
        this.tlb = new TlbFlush(ctx, hubs);
    }

    @Override
    public String name() {
        return ctx.profile().sdmaHub().name;
    }

    /** Reads the FB location and sets up the GART table and allocators (BAR0 writes only). */
    @Override
    public void swInit() {
        VmHubRegs hub = ctx.profile().sdmaHub();
        // FB_LOCATION_BASE/TOP.FB_BASE are in 16 MiB units (gmc_v9_0 / gfxhub_v2_0 get_fb_location).
        fbBase = Integer.toUnsignedLong(hub.fbLocation.get(ctx.read(hub.baseIp, hub.fbLocationBase))) << 24;
        fbTop = (Integer.toUnsignedLong(hub.fbLocation.get(ctx.read(hub.baseIp, hub.fbLocationTop))) << 24) | ((1L << 24) - 1);
        if (fbTop < fbBase) {
            fbTop = fbBase + ctx.vramSize() - 1;
        }
        // amdgpu_gmc_gart_location: place the GART after the FB, on a 4 GiB boundary.
        long gartStart = (fbBase + ctx.vramSize() + (1L << 32) - 1) & -(1L << 32);
        long tableBytes = Gart.tableBytes(GART_SIZE);
        gart = new Gart(ctx.vram(), 0, gartStart, GART_SIZE, tlb::flushIfEnabled);
        for (long off = 0; off < tableBytes; off += 8) {
            ctx.vram().write64(off, 0);
        }
        long visible = Math.min(ctx.vramSize() - IpDiscovery.TMR_OFFSET_FROM_END, ctx.vram().size());
        long usable = (visible - tableBytes) & -Gart.PAGE;
        vramAllocator = new RangeAllocator("VRAM", tableBytes, usable, Gart.PAGE);
        defaultPage = vramAllocator.allocate(Gart.PAGE, Gart.PAGE);
        ctx.log().log(Level.INFO, "{0}: VRAM {1} MiB at MC 0x{2}, GART 0x{3}..0x{4}", name(), ctx.vramSize() >> 20,
                Long.toHexString(fbBase), Long.toHexString(gart.start()), Long.toHexString(gart.end()));
    }

    /**
     * Enables every hub as {@code gmc_v9_0/v10_0/v11_0_gart_enable} does, GFX hub first, then
     * MMHUB, and flushes their TLBs. On Navi the IH is an MMHUB client while SDMA uses the GFX hub,
     * so both are programmed; Vega10's SDMA and IH both use MMHUB 1.0.
     */
    @Override
    public void hwInit() {
        for (VmHubRegs hub : hubs) {
            program(hub);
        }
        tlb.enable();
        tlb.flush();
    }

    /**
     * One hub in the order of {@code *hub_v*_gart_enable}: init_gart_aperture_regs (VMID 0's table
     * and range), init_system_aperture_regs, init_tlb_regs, init_cache_regs ({@link HubApertures}),
     * then enable_system_domain (the context).
     */
    private void program(VmHubRegs hub) {
        gartAperture(hub);
        if (!testSkipHubSetup) {
            new HubApertures(hub).program(ctx, fbBase, fbBase + ctx.vramSize() - 1, defaultPage);
        }
        ctx.write(hub.baseIp, hub.context0Cntl, hub.pageTableDepth.set(hub.enableContext.set(0, 1), 0));
    }

    /**
     * The table's base, start and end in 4 KiB pages. The PT base is a physical VRAM address, not
     * an MC address: {@code amdgpu_gmc_pd_addr} turns the table's MC address into one with
     * {@code amdgpu_gmc_vram_mc2pa} (FB offset 0 on a dGPU).
     */
    private void gartAperture(VmHubRegs hub) {
        var ip = hub.baseIp;
        long ptBase = gart.tableVramOffset();
        ctx.write(ip, hub.ptBaseLo, (int) (ptBase | Pte.VALID));
        ctx.write(ip, hub.ptBaseHi, (int) (ptBase >>> 32));
        ctx.write(ip, hub.ptStartLo, (int) (gart.start() >>> 12));
        ctx.write(ip, hub.ptStartHi, (int) (gart.start() >>> 44));
        ctx.write(ip, hub.ptEndLo, (int) (gart.end() >>> 12));
        ctx.write(ip, hub.ptEndHi, (int) (gart.end() >>> 44));
    }

    /**
     * Programs one hub's VMID 0 again and flushes its TLB: gfx_v11_0 enables the GC hub only once
     * the RLC autoload is done ({@code gfx_v11_0_gfxhub_enable} after
     * {@code gfx_v11_0_wait_for_rlc_autoload_complete}), whatever the autoload did to it.
     */
    public void reenableHub(VmHubRegs hub) {
        program(hub);
        tlb.flush();
    }

    @Override
    public void earlyFini() {
        tlb.disable();
        if (ctx.isPresent()) {
            for (VmHubRegs hub : hubs) {
                ctx.update(hub.baseIp, hub.context0Cntl, hub.enableContext, 0);
            }
        }
    }

    @Override
    public void lateFini() {
        // The table and the allocators are plain memory; nothing to release.
    }

    public Gart gart() {
        return gart;
    }

    public RangeAllocator vramAllocator() {
        return vramAllocator;
    }

    /** GPU (MC) address of VRAM byte {@code offset}. */
    public long vramGpuAddress(long offset) {
        return fbBase + offset;
    }

    public long fbBase() {
        return fbBase;
    }
}
