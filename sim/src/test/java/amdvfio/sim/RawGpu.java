package amdvfio.sim;

import amdvfio.os.EventFd;
import amdvfio.os.Mapping;
import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.DoorbellRange;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.IhRegs;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.sim.discovery.DiscoveryTable;
import amdvfio.amdgpu.Pte;
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
    public final Map<HwIp, int[]> bases = new EnumMap<>(HwIp.class);
    /** amdgpu's doorbell assignment: soc15.c on Vega10, nv.c/soc21.c on Navi. */
    public final DoorbellLayout layout;
    public long wptr; // bytes, monotonic

    public RawGpu(PciDevice dev, SimProfile profile) {
        this.profile = profile;
        this.dev = dev;
        this.regs = dev.mmio(5);
        this.doorbells = dev.mmio(2);
        this.host = Mapping.anonymous(HOST_BYTES);
        this.dma = dev.dma().map(host.segment());
        this.layout = profile.usesDiscovery() ? DoorbellLayout.NAVI10 : DoorbellLayout.SOC15;
        readBases();
        routeDoorbells();
    }

    /**
     * The NBIO doorbell aperture and routes ({@code soc15_common_hw_init} / {@code nbio_v*_*_doorbell_range}):
     * every SDMA engine and the IH. Without them the model drops the doorbells, as the BIF does.
     */
    public RawGpu routeDoorbells() {
        NbioRegs n = profile.nbio();
        int[] nb = bases.get(HwIp.NBIF);
        wreg(n.doorbellAperEn.address(nb), n.doorbellAperEnable.encode(1));
        for (int i = 0; i < profile.sdmaCount(); i++) {
            DoorbellRange r = n.sdmaRoute(i);
            if (r != null) {
                int size = n.sdmaRouteShared ? r.sizeValue() * profile.sdmaCount() : r.sizeValue();
                wreg(r.reg().address(nb), r.encode(0, layout.sdmaDword(i), size));
            }
        }
        wreg(n.ihRoute.reg().address(nb), n.ihRoute.encode(0, layout.ihDword(), n.ihRoute.sizeValue()));
        return this;
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

    /** A register by absolute dword: BAR5, or beyond it through the NBIO's PCIE index/data pair. */
    public int rreg(int dword) {
        if (dword * 4L + 4 <= regs.size()) {
            return regs.read32(dword * 4L);
        }
        selectIndirect(dword);
        return regs.read32(pcieData() * 4L);
    }

    public void wreg(int dword, int value) {
        if (dword * 4L + 4 <= regs.size()) {
            regs.write32(dword * 4L, value);
            return;
        }
        selectIndirect(dword);
        regs.write32(pcieData() * 4L, value);
    }

    private void selectIndirect(int dword) {
        int index = profile.nbio().pcieIndex.address(bases.get(HwIp.NBIF));
        regs.write32(index * 4L, dword * 4);
        regs.read32(index * 4L);
    }

    private int pcieData() {
        return profile.nbio().pcieData.address(bases.get(HwIp.NBIF));
    }

    /** Reads VRAM through the MM_INDEX/MM_INDEX_HI/MM_DATA window (tinygrad _read_vram). */
    public int vramRead(long addr) {
        wreg(FixedRegs.MM_INDEX_HI, (int) (addr >>> 31));
        wreg(FixedRegs.MM_INDEX, (int) addr | FixedRegs.MM_INDEX_APER_VRAM);
        return rreg(FixedRegs.MM_DATA);
    }

    private void readBases() {
        if (!profile.usesDiscovery()) {
            for (var e : profile.ips()) {
                bases.put(e.hwId(), e.bases()); // vega10_reg_init.c: fixed
            }
            return;
        }
        long vram = (long) rreg(FixedRegs.RCC_CONFIG_MEMSIZE) << 20;
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
    public static void parseDiscovery(byte[] bin, Map<HwIp, int[]> out) {
        ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != DiscoveryTable.BINARY_SIGNATURE) {
            throw new AssertionError("bad binary signature");
        }
        int size = b.getShort(10) & 0xFFFF;
        if (DiscoveryTable.checksum(bin, 10, size - 10) != (b.getShort(8) & 0xFFFF)) {
            throw new AssertionError("bad binary checksum");
        }
        int off = b.getShort(12) & 0xFFFF;
        int sum = b.getShort(14) & 0xFFFF;
        if (b.getInt(off) != DiscoveryTable.DISCOVERY_TABLE_SIGNATURE) {
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
            HwIp id = HwIp.byHwId(hw);
            if (id != null) {
                out.put(id, bs);
            }
            p += 8 + 4 * nb;
        }
    }

    public SdmaRegs sdmaRegs(int instance) {
        return profile.sdmaRegs(instance);
    }

    /** Absolute dword of SDMA {@code instance}'s register {@code reg}. */
    public int sdmaReg(int instance, Reg reg) {
        return reg.address(bases.get(sdmaRegs(instance).baseIp));
    }

    public int f32Cntl(int instance) {
        return sdmaReg(instance, sdmaRegs(instance).f32Cntl);
    }

    public IhRegs ihRegs() {
        return profile.ih().regs();
    }

    public int ihReg(Reg reg) {
        return reg.address(bases.get(HwIp.OSSSYS));
    }

    public int hubReg(VmHubRegs hub, Reg reg) {
        return reg.address(bases.get(hub.baseIp));
    }

    /** The BAR2 byte offset of SDMA {@code instance}'s doorbell. */
    public long sdmaDoorbell(int instance) {
        return 4L * layout.sdmaDword(instance);
    }

    public long ihDoorbellIndex() {
        return layout.ihDword();
    }

    // ------------------------------------------------------------------ bring-up

    public RawGpu busMaster() {
        dev.config().setBusMaster(true);
        return this;
    }

    /** A flat GART over the host buffer: PTEs in VRAM at PT_VRAM_OFFSET, VMID 0 context enabled. */
    public RawGpu gart() {
        return gart(true);
    }

    /** As {@link #gart()}; with {@code ihHubToo} false only the hub SDMA translates through is programmed. */
    public RawGpu gart(boolean ihHubToo) {
        Mmio vram = dev.mmio(0);
        long pages = HOST_BYTES / 4096;
        for (long i = 0; i < pages; i++) {
            vram.write64(PT_VRAM_OFFSET + i * 8, Pte.system(iova(i * 4096)));
        }
        context0(profile.hub());
        flushTlb(profile.hub()); // gmc_v*_gart_enable flushes after (re)programming the table
        if (ihHubToo && profile.ihHub() != profile.hub()) {
            context0(profile.ihHub()); // the IH is an MMHUB client on Navi
            flushTlb(profile.ihHub());
        }
        return this;
    }

    private void context0(VmHubRegs h) {
        wreg(hubReg(h, h.ptBaseLo), (int) (PT_VRAM_OFFSET | Pte.VALID));
        wreg(hubReg(h, h.ptBaseHi), (int) (PT_VRAM_OFFSET >>> 32));
        wreg(hubReg(h, h.ptStartLo), (int) (GART_START >>> 12));
        wreg(hubReg(h, h.ptStartHi), (int) (GART_START >>> 44));
        long end = GART_START + HOST_BYTES - 1;
        wreg(hubReg(h, h.ptEndLo), (int) (end >>> 12));
        wreg(hubReg(h, h.ptEndHi), (int) (end >>> 44));
        wreg(hubReg(h, h.context0Cntl), h.enableContext.encode(1)); // PAGE_TABLE_DEPTH 0
    }

    /** Invalidates VMID 0's translations in {@code h} through engine 17 (gmc_v*_flush_gpu_tlb). */
    public RawGpu flushTlb(VmHubRegs h) {
        wreg(hubReg(h, h.invReq), h.invalidateRequest(0));
        return this;
    }

    /** IH ring 0 per vega10_ih/navi10_ih irq_init; Vega10 uses a bus address (MC_SPACE 1), Navi an MC address. */
    public RawGpu ih(boolean writeback, boolean doorbell) {
        boolean bus = profile.ihBusAddressMcSpace() > 0;
        long ring = bus ? iova(IH_RING) : gart(IH_RING);
        long wb = bus ? iova(IH_WPTR_WB) : gart(IH_WPTR_WB);
        IhRegs r = ihRegs();
        wreg(ihReg(r.rbCntl), 0);
        wreg(ihReg(r.rbRptr), 0);
        wreg(ihReg(r.rbWptr), 0);
        wreg(ihReg(r.rbBase), (int) (ring >>> 8));
        wreg(ihReg(r.rbBaseHi), r.rbBaseHiAddr.encode((int) (ring >>> 40)));
        int cntl = 0;
        cntl = r.mcSpace.set(cntl, bus ? profile.ihBusAddressMcSpace() : IhIp.MC_SPACE_MC);
        cntl = r.wptrOverflowClear.set(cntl, 1);
        cntl = r.wptrOverflowEnable.set(cntl, 1);
        cntl = r.rbSize.set(cntl, Integer.numberOfTrailingZeros(IH_RING_BYTES / 4));
        cntl = r.wptrWritebackEnable.set(cntl, writeback ? 1 : 0);
        wreg(ihReg(r.rbWptrAddrLo), (int) wb);
        wreg(ihReg(r.rbWptrAddrHi), r.wptrAddrHiAddr.encode((int) (wb >>> 32)));
        wreg(ihReg(r.rbCntl), cntl);
        wreg(ihReg(r.rbCntl), r.wptrOverflowClear.set(cntl, 0));
        cntl = r.wptrOverflowClear.set(cntl, 0);
        if (doorbell) {
            wreg(ihReg(r.doorbellRptr), r.doorbellOffset.encode((int) ihDoorbellIndex()) | r.doorbellEnable.mask());
        }
        dev.enableIrq(IrqType.MSI, List.of(msi));
        cntl = r.rbEnable.set(cntl, 1);
        cntl = r.enableIntr.set(cntl, 1);
        wreg(ihReg(r.rbCntl), cntl);
        return this;
    }

    /** SDMA instance ring bring-up in the order of sdma_v*_gfx_resume (spec §3.4). */
    public RawGpu sdma(int i) {
        SdmaRegs r = sdmaRegs(i);
        wreg(f32Cntl(i), 0); // unhalt (HALT = 0, and on 6.0 TH1_RESET = 0)
        wreg(sdmaReg(i, r.cntl), r.trapEnable.mask());
        int rbCntl = r.rbSize.set(0, Integer.numberOfTrailingZeros(RING_DWORDS));
        wreg(sdmaReg(i, r.rbCntl), rbCntl);
        wreg(sdmaReg(i, r.rbRptr), 0);
        wreg(sdmaReg(i, r.rbRptrHi), 0);
        wreg(sdmaReg(i, r.rbWptr), 0);
        wreg(sdmaReg(i, r.rbWptrHi), 0);
        long rptrWb = gart(RPTR_WB + i * 256L);
        wreg(sdmaReg(i, r.rbRptrAddrHi), (int) (rptrWb >>> 32));
        wreg(sdmaReg(i, r.rbRptrAddrLo), (int) rptrWb & ~3);
        rbCntl = r.rptrWritebackEnable.set(rbCntl, 1);
        rbCntl = r.rptrWritebackTimer.set(rbCntl, 4);
        long ring = gart(RING + i * 16384L);
        wreg(sdmaReg(i, r.rbBase), (int) (ring >>> 8));
        wreg(sdmaReg(i, r.rbBaseHi), (int) (ring >>> 40));
        wreg(sdmaReg(i, r.minorPtrUpdate), 1);
        wreg(sdmaReg(i, r.doorbell), r.doorbellEnable.mask());
        wreg(sdmaReg(i, r.doorbellOffset), (int) sdmaDoorbell(i));
        wreg(sdmaReg(i, r.minorPtrUpdate), 0);
        long shadow = gart(WPTR_SHADOW + i * 256L);
        wreg(sdmaReg(i, r.rbWptrPollAddrLo), (int) shadow);
        wreg(sdmaReg(i, r.rbWptrPollAddrHi), (int) (shadow >>> 32));
        wreg(sdmaReg(i, r.rbCntl), r.rbEnable.set(rbCntl, 1));
        wreg(sdmaReg(i, r.ibCntl), r.ibEnable.mask());
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
        return profile.sdma().ip().fenceHeader();
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
