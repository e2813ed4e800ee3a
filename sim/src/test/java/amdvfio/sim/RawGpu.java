package amdvfio.sim;

import amdvfio.os.EventFd;
import amdvfio.os.Mapping;
import amdvfio.sim.discovery.DiscoveryTable;
import amdvfio.sim.discovery.HwId;
import amdvfio.sim.gmc.Pte;
import amdvfio.sim.regs.GmcRegs;
import amdvfio.sim.regs.IhRegs;
import amdvfio.sim.regs.SdmaRegs;
import amdvfio.sim.regs.SocRegs;
import amdvfio.sim.sdma.SdmaVersion;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Test support: brings a simulated card up through raw register writes only, the way amdgpu's
 * ring test does — no driver code. Host memory (one DMA-mapped buffer) holds the SDMA ring, the
 * IH ring, writeback slots and data; the GART maps it at {@link #GART_START}. Register bases come
 * from the discovery table (Navi) or the fixed Vega10 bases, parsed here independently of the model.
 */
public final class RawGpu implements AutoCloseable {

    public static final long GART_START = 0x0000_0010_0000_0000L;
    public static final long HOST_BYTES = 4L << 20;
    public static final long PT_VRAM_OFFSET = 1L << 20;

    // layout of the host buffer
    public static final long RING = 0;                 // SDMA ring, 8 KiB (RB_SIZE 11)
    public static final int RING_DWORDS = 2048;
    public static final long IH_RING = 64 << 10;       // IH ring, 4 KiB (RB_SIZE 10)
    public static final int IH_RING_BYTES = 4096;
    public static final long WB = 128 << 10;           // writeback slots, 32 bytes each
    public static final long RPTR_WB = WB;
    public static final long WPTR_SHADOW = WB + 32;
    public static final long IH_WPTR_WB = WB + 64;
    public static final long FENCE = WB + 96;
    public static final long DATA = 1 << 20;           // data area

    public final SimProfile profile;
    public final PciDevice dev;
    public final Mmio regs;
    public final Mmio doorbells;
    public final Mapping host;
    public final DmaMapping dma;
    public final EventFd msi = EventFd.create("msi");
    public final Map<HwId, int[]> bases = new EnumMap<>(HwId.class);
    public long wptr; // bytes, monotonic

    public RawGpu(PciDevice dev, SimProfile profile) {
        this.profile = profile;
        this.dev = dev;
        this.regs = dev.mmio(5);
        this.doorbells = dev.mmio(2);
        this.host = Mapping.anonymous(HOST_BYTES);
        this.dma = dev.dma().map(host.segment());
        readBases();
    }

    public MemorySegment mem() {
        return host.segment();
    }

    public long gart(long hostOffset) {
        return GART_START + hostOffset;
    }

    public long iova(long hostOffset) {
        return dma.iova() + hostOffset;
    }

    // ------------------------------------------------------------------ registers

    public int rreg(int dword) {
        return regs.read32(dword * 4L);
    }

    public void wreg(int dword, int value) {
        regs.write32(dword * 4L, value);
    }

    /** Reads VRAM through the MM_INDEX/MM_INDEX_HI/MM_DATA window (tinygrad _read_vram). */
    public int vramRead(long addr) {
        wreg(SocRegs.MM_INDEX_HI, (int) (addr >>> 31));
        wreg(SocRegs.MM_INDEX, (int) ((addr & 0x7FFF_FFFFL) | 0x8000_0000L));
        return rreg(SocRegs.MM_DATA);
    }

    private void readBases() {
        if (!profile.usesDiscovery()) {
            for (var e : profile.ips()) {
                bases.put(e.hwId(), e.bases()); // vega10_reg_init.c: fixed
            }
            return;
        }
        long vram = (long) rreg(SocRegs.RCC_CONFIG_MEMSIZE) << 20;
        long at = vram - DiscoveryTable.TMR_OFFSET_FROM_END;
        byte[] bin = new byte[DiscoveryTable.TMR_SIZE];
        for (int i = 0; i < bin.length; i += 4) {
            int v = vramRead(at + i);
            for (int k = 0; k < 4; k++) {
                bin[i + k] = (byte) (v >>> (8 * k));
            }
        }
        parseDiscovery(bin, bases);
    }

    /** Parses a discovery binary as amdgpu_discovery_init/reg_base_init do; throws on a bad signature or checksum. */
    public static void parseDiscovery(byte[] bin, Map<HwId, int[]> out) {
        ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x28211407) {
            throw new AssertionError("bad binary signature");
        }
        int size = b.getShort(10) & 0xFFFF;
        if (DiscoveryTable.checksum(bin, 10, size - 10) != (b.getShort(8) & 0xFFFF)) {
            throw new AssertionError("bad binary checksum");
        }
        int off = b.getShort(12) & 0xFFFF;
        int sum = b.getShort(14) & 0xFFFF;
        if (b.getInt(off) != 0x53445049) {
            throw new AssertionError("bad IP discovery signature");
        }
        int ipSize = b.getShort(off + 6) & 0xFFFF;
        if (DiscoveryTable.checksum(bin, off, ipSize) != sum) {
            throw new AssertionError("bad IP discovery checksum");
        }
        int dieOff = b.getShort(off + 16) & 0xFFFF;
        int numIps = b.getShort(dieOff + 2) & 0xFFFF;
        int p = dieOff + 4;
        for (int i = 0; i < numIps; i++) {
            int hw = b.getShort(p) & 0xFFFF;
            int nb = b.get(p + 3) & 0xFF;
            int[] bs = new int[nb];
            for (int k = 0; k < nb; k++) {
                bs[k] = b.getInt(p + 8 + 4 * k);
            }
            for (HwId id : HwId.values()) {
                if (id.id() == hw) {
                    out.put(id, bs);
                }
            }
            p += 8 + 4 * nb;
        }
    }

    public int sdmaReg(int instance, int offset) {
        if (profile.sdma().version() == SdmaVersion.V4_0) {
            return bases.get(HwId.sdma(instance))[0] + offset;
        }
        int[] b = bases.get(HwId.SDMA0);
        return switch (instance) {
            case 0, 1 -> b[0] + offset + instance * 0x600;
            case 2 -> b[2] + offset;
            default -> b[2] + offset + 0x400;
        };
    }

    public int f32Cntl(int instance) {
        if (profile.sdma().version() == SdmaVersion.V6_0) {
            return bases.get(HwId.SDMA0)[1] + 0x589a + instance * 0x20;
        }
        return sdmaReg(instance, 0x02a);
    }

    public int ihReg(int offset) {
        return bases.get(HwId.OSSSYS)[0] + offset;
    }

    public int hubReg(int offset) {
        HwId hub = profile.hub() == GmcRegs.MMHUB_1_0 ? HwId.MMHUB : HwId.GC;
        return bases.get(hub)[0] + offset;
    }

    /** Navi: 0x100 + 0xA × instance doorbell64 → byte (index << 1) × 4; Vega10: 0xF0 + 2 × instance. */
    public long sdmaDoorbell(int instance) {
        int index64 = profile.sdma().version() == SdmaVersion.V4_0 ? 0xF0 + 2 * instance : 0x100 + 0xA * instance;
        return (long) (index64 << 1) * 4;
    }

    public long ihDoorbellIndex() {
        return profile.sdma().version() == SdmaVersion.V4_0 ? 0xF4 << 1 : 0x178 << 1;
    }

    // ------------------------------------------------------------------ bring-up

    public RawGpu busMaster() {
        dev.config().setBusMaster(true);
        return this;
    }

    /** A flat GART over the host buffer: PTEs in VRAM at PT_VRAM_OFFSET, VMID 0 context enabled. */
    public RawGpu gart() {
        Mmio vram = dev.mmio(0);
        long pages = HOST_BYTES / 4096;
        for (long i = 0; i < pages; i++) {
            vram.write64(PT_VRAM_OFFSET + i * 8, Pte.system(iova(i * 4096)));
        }
        GmcRegs h = profile.hub();
        wreg(hubReg(h.ptBaseLo()), (int) (PT_VRAM_OFFSET | Pte.VALID));
        wreg(hubReg(h.ptBaseLo() + 1), (int) (PT_VRAM_OFFSET >>> 32));
        wreg(hubReg(h.ptStartLo()), (int) (GART_START >>> 12));
        wreg(hubReg(h.ptStartLo() + 1), (int) (GART_START >>> 44));
        long end = GART_START + HOST_BYTES - 1;
        wreg(hubReg(h.ptEndLo()), (int) (end >>> 12));
        wreg(hubReg(h.ptEndLo() + 1), (int) (end >>> 44));
        wreg(hubReg(h.context0Cntl()), 1); // ENABLE_CONTEXT, PAGE_TABLE_DEPTH 0
        return this;
    }

    /** IH ring 0 per vega10_ih/navi10_ih irq_init; Vega10 uses a bus address (MC_SPACE 1), Navi an MC address. */
    public RawGpu ih(boolean writeback, boolean doorbell) {
        boolean bus = profile.ihBusAddressMcSpace() > 0;
        long ring = bus ? iova(IH_RING) : gart(IH_RING);
        long wb = bus ? iova(IH_WPTR_WB) : gart(IH_WPTR_WB);
        wreg(ihReg(IhRegs.RB_CNTL), 0);
        wreg(ihReg(IhRegs.RB_RPTR), 0);
        wreg(ihReg(IhRegs.RB_WPTR), 0);
        wreg(ihReg(IhRegs.RB_BASE), (int) (ring >>> 8));
        wreg(ihReg(IhRegs.RB_BASE_HI), (int) ((ring >>> 40) & 0xFF));
        int cntl = 0;
        cntl = IhRegs.MC_SPACE.set(cntl, bus ? profile.ihBusAddressMcSpace() : IhRegs.MC_SPACE_MC);
        cntl = IhRegs.WPTR_OVERFLOW_CLEAR.set(cntl, 1);
        cntl = IhRegs.WPTR_OVERFLOW_ENABLE.set(cntl, 1);
        cntl = IhRegs.RB_SIZE.set(cntl, Integer.numberOfTrailingZeros(IH_RING_BYTES / 4));
        cntl = IhRegs.WPTR_WRITEBACK_ENABLE.set(cntl, writeback ? 1 : 0);
        wreg(ihReg(IhRegs.RB_WPTR_ADDR_LO), (int) wb);
        wreg(ihReg(IhRegs.RB_WPTR_ADDR_HI), (int) ((wb >>> 32) & 0xFFFF));
        wreg(ihReg(IhRegs.RB_CNTL), cntl);
        wreg(ihReg(IhRegs.RB_CNTL), IhRegs.WPTR_OVERFLOW_CLEAR.set(cntl, 0));
        cntl = IhRegs.WPTR_OVERFLOW_CLEAR.set(cntl, 0);
        if (doorbell) {
            wreg(ihReg(IhRegs.DOORBELL_RPTR), (int) ihDoorbellIndex() | IhRegs.DB_ENABLE.mask());
        }
        dev.enableIrq(IrqType.MSI, List.of(msi));
        cntl = IhRegs.RB_ENABLE.set(cntl, 1);
        cntl = IhRegs.ENABLE_INTR.set(cntl, 1);
        wreg(ihReg(IhRegs.RB_CNTL), cntl);
        return this;
    }

    /** SDMA instance ring bring-up in the order of sdma_v*_gfx_resume (spec §3.4). */
    public RawGpu sdma(int i) {
        wreg(f32Cntl(i), 0); // unhalt
        wreg(sdmaReg(i, SdmaRegs.CNTL), SdmaRegs.TRAP_ENABLE.mask());
        int rbCntl = SdmaRegs.RB_SIZE.set(0, Integer.numberOfTrailingZeros(RING_DWORDS));
        wreg(sdmaReg(i, SdmaRegs.RB_CNTL), rbCntl);
        wreg(sdmaReg(i, SdmaRegs.RB_RPTR), 0);
        wreg(sdmaReg(i, SdmaRegs.RB_RPTR_HI), 0);
        wreg(sdmaReg(i, SdmaRegs.RB_WPTR), 0);
        wreg(sdmaReg(i, SdmaRegs.RB_WPTR_HI), 0);
        long rptrWb = gart(RPTR_WB + i * 256L);
        wreg(sdmaReg(i, SdmaRegs.RB_RPTR_ADDR_HI), (int) (rptrWb >>> 32));
        wreg(sdmaReg(i, SdmaRegs.RB_RPTR_ADDR_LO), (int) rptrWb & ~3);
        rbCntl = SdmaRegs.RPTR_WRITEBACK_ENABLE.set(rbCntl, 1);
        rbCntl = SdmaRegs.RPTR_WRITEBACK_TIMER.set(rbCntl, 4);
        long ring = gart(RING + i * 16384L);
        wreg(sdmaReg(i, SdmaRegs.RB_BASE), (int) (ring >>> 8));
        wreg(sdmaReg(i, SdmaRegs.RB_BASE_HI), (int) (ring >>> 40));
        wreg(sdmaReg(i, SdmaRegs.MINOR_PTR_UPDATE), 1);
        wreg(sdmaReg(i, SdmaRegs.DOORBELL), SdmaRegs.DOORBELL_ENABLE.mask());
        wreg(sdmaReg(i, SdmaRegs.DOORBELL_OFFSET), (int) sdmaDoorbell(i));
        wreg(sdmaReg(i, SdmaRegs.MINOR_PTR_UPDATE), 0);
        long shadow = gart(WPTR_SHADOW + i * 256L);
        wreg(sdmaReg(i, SdmaRegs.RB_WPTR_POLL_ADDR_LO), (int) shadow);
        wreg(sdmaReg(i, SdmaRegs.RB_WPTR_POLL_ADDR_HI), (int) (shadow >>> 32));
        wreg(sdmaReg(i, SdmaRegs.RB_CNTL), SdmaRegs.RB_ENABLE.set(rbCntl, 1));
        wreg(sdmaReg(i, SdmaRegs.IB_CNTL), SdmaRegs.IB_ENABLE.mask());
        return this;
    }

    // ------------------------------------------------------------------ submission (instance 0 unless said)

    /** Writes dwords into ring {@code i} at the current wptr (wrapping). */
    public RawGpu emitTo(int i, int... dws) {
        for (int d : dws) {
            long off = RING + i * 16384L + ((wptr / 4) % RING_DWORDS) * 4;
            mem().set(ValueLayout.JAVA_INT_UNALIGNED, off, d);
            wptr += 4;
        }
        return this;
    }

    public RawGpu emit(int... dws) {
        return emitTo(0, dws);
    }

    /** Pads with 1-dword NOPs to the ring fetch alignment (amdgpu_ring_commit). */
    public RawGpu pad(int i) {
        int align = profile.sdma().alignDwords();
        while ((wptr / 4) % align != 0) {
            emitTo(i, 0);
        }
        return this;
    }

    /** Pads, stores the wptr shadow, then one 64-bit doorbell store (sdma_v*_ring_set_wptr). */
    public RawGpu commit(int i) {
        pad(i);
        mem().set(ValueLayout.JAVA_LONG_UNALIGNED, WPTR_SHADOW + i * 256L, wptr);
        doorbells.write64(sdmaDoorbell(i), wptr);
        return this;
    }

    public RawGpu commit() {
        return commit(0);
    }

    public int fenceHeader() {
        return profile.sdma().version() == SdmaVersion.V4_0 ? 0x00000005 : 0x00030005;
    }

    public long rptrWriteback(int i) {
        return mem().get(ValueLayout.JAVA_LONG_UNALIGNED, RPTR_WB + i * 256L);
    }

    public int hostInt(long off) {
        return mem().get(ValueLayout.JAVA_INT_UNALIGNED, off);
    }

    public static boolean await(BooleanSupplier cond, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return cond.getAsBoolean();
    }

    /** Waits for at least one MSI on the eventfd and returns how many arrived. */
    public long awaitMsi(long millis) {
        long[] n = {0};
        await(() -> (n[0] += msi.drain()) > 0, millis);
        return n[0];
    }

    @Override
    public void close() {
        try {
            if (!dev.isClosed()) {
                dev.close();
            }
        } finally {
            msi.close();
            host.close();
        }
    }
}
