package amdvfio.driver.ip.gmc;

import amdvfio.driver.asic.GmcTraits;
import amdvfio.driver.asic.IpDiscovery;
import amdvfio.driver.bo.RangeAllocator;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.reg.Field;
import java.lang.System.Logger.Level;

/**
 * The memory controller: where VRAM sits in the GPU's address space (FB location, programmed by
 * the VBIOS and only read here, as {@code mmhub_v1_0_get_fb_location} does), the VMID-0 GART for
 * host memory, and the VRAM allocator.
 *
 * <p>VRAM layout: the GART table at VRAM offset 0 (always inside BAR0, so the CPU can write it);
 * buffers after it up to the end of the CPU-visible part; the top 64 KiB hold the discovery
 * table and stay untouched.
 */
public final class GmcBlock implements IpBlock {

    /** amdgpu's default GART size is 256..512 MiB; 512 MiB here. */
    public static final long GART_SIZE = 512L << 20;
    private static final Field ENABLE_CONTEXT = Field.bit("ENABLE_CONTEXT", 0);
    private static final Field PAGE_TABLE_DEPTH = new Field("PAGE_TABLE_DEPTH", 1, 2);

    private final DeviceContext ctx;
    private final GmcTraits traits;
    private long fbBase;
    private long fbTop;
    private Gart gart;
    private RangeAllocator vramAllocator;

    public GmcBlock(DeviceContext ctx) {
        this.ctx = ctx;
        this.traits = ctx.profile().gmc();
    }

    @Override
    public String name() {
        return traits.blockName();
    }

    /** Reads the FB location and sets up the GART table and allocators (BAR0 writes only). */
    @Override
    public void swInit() {
        // MC_VM_FB_LOCATION_BASE/TOP [23:0] are in 16 MiB units (gmc_v9_0 / gfxhub_v2_0 get_fb_location).
        fbBase = (Integer.toUnsignedLong(ctx.read(traits.hub(), traits.fbLocationBase())) & 0xFFFFFF) << 24;
        fbTop = ((Integer.toUnsignedLong(ctx.read(traits.hub(), traits.fbLocationTop())) & 0xFFFFFF) << 24) | 0xFFFFFF;
        if (fbTop < fbBase) {
            fbTop = fbBase + ctx.vramSize() - 1;
        }
        // amdgpu_gmc_gart_location: place the GART after the FB, on a 4 GiB boundary.
        long gartStart = (fbBase + ctx.vramSize() + (1L << 32) - 1) & -(1L << 32);
        long tableBytes = Gart.tableBytes(GART_SIZE);
        gart = new Gart(ctx.vram(), 0, gartStart, GART_SIZE);
        for (long off = 0; off < tableBytes; off += 8) {
            ctx.vram().write64(off, 0);
        }
        long visible = Math.min(ctx.vramSize() - IpDiscovery.TMR_OFFSET_FROM_END, ctx.vram().size());
        long usable = (visible - tableBytes) & -Gart.PAGE;
        vramAllocator = new RangeAllocator("VRAM", tableBytes, usable, Gart.PAGE);
        ctx.log().log(Level.INFO, "{0}: VRAM {1} MiB at MC 0x{2}, GART 0x{3}..0x{4}", name(), ctx.vramSize() >> 20,
                Long.toHexString(fbBase), Long.toHexString(gart.start()), Long.toHexString(gart.end()));
    }

    /**
     * Points VMID 0 at the table, aperture start/end in 4 KiB pages, then enables the context.
     * The PT base is a physical VRAM address, not an MC address: {@code amdgpu_gmc_pd_addr} turns
     * the table's MC address into one with {@code amdgpu_gmc_vram_mc2pa} (FB offset 0 on a dGPU).
     */
    @Override
    public void hwInit() {
        var hub = traits.hub();
        long ptBase = gart.tableVramOffset();
        ctx.write(hub, traits.ptBaseLo(), (int) (ptBase | Gart.PTE_VALID));
        ctx.write(hub, traits.ptBaseHi(), (int) (ptBase >>> 32));
        ctx.write(hub, traits.ptStartLo(), (int) (gart.start() >>> 12));
        ctx.write(hub, traits.ptStartHi(), (int) (gart.start() >>> 44));
        ctx.write(hub, traits.ptEndLo(), (int) (gart.end() >>> 12));
        ctx.write(hub, traits.ptEndHi(), (int) (gart.end() >>> 44));
        int cntl = PAGE_TABLE_DEPTH.set(ENABLE_CONTEXT.set(0, 1), 0);
        ctx.write(hub, traits.context0Cntl(), cntl);
    }

    @Override
    public void earlyFini() {
        if (ctx.isPresent()) {
            ctx.update(traits.hub(), traits.context0Cntl(), ENABLE_CONTEXT, 0);
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
