package amdvfio.sim.gmc;

import amdvfio.amdgpu.Pte;
import amdvfio.sim.SimDmaSpace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The memory path of VMID 0: MC address → VRAM or host memory, as the hub resolves it.
 *
 * <pre>
 *  MC address space (VMID 0)
 *  fbBase ........ fbBase+vram-1     frame buffer: VRAM offset = mc − fbBase, where the hub's
 *                                     system aperture covers it (else on to the GART)
 *  START<<12 ..... END<<12|0xfff      GART aperture (VM_CONTEXT0, ENABLE_CONTEXT=1, depth 0):
 *                                     PTE[(mc>>12) − START] at PAGE_TABLE_BASE (VRAM physical, or
 *                                     a bus address when the base has the SYSTEM bit)
 *  anything else                      fault
 * </pre>
 *
 * The translation goes through one {@link VmHub}: its L1 TLB and L2 enables, its system
 * aperture, its VMID-0 context registers and its TLB, which serves a walked translation until
 * the driver invalidates it. A hub whose L1 TLB or L2 is off refuses every access: a cold card
 * faults until the driver programs the hub. SDMA's path uses the hub
 * the engines translate through; on Navi the IH has its own path through MMHUB.
 * A system PTE's address is an IOVA, looked up in the DMA space; bus mastering must be on.
 * Every refused access becomes a {@link GpuFault} given to the fault sink and thrown as
 * {@link GpuFaultException}; after the device's release ({@link SimDmaSpace#released()}) every
 * access is refused, VRAM included. Thread-safe: it only reads registers and immutable state.
 */
public final class Gmc {

    private final MemorySegment vram;
    private final long fbBase;
    private final VmHub hub;
    private final SimDmaSpace dma;
    private final BooleanSupplier busMaster;
    private final Consumer<GpuFault> faultSink;
    private final LinkPacer pacer;
    /** False for the PSP's path, which does not go through the hub's VMID-0 programming ({@link #beforeTheHub}). */
    private final boolean throughHub;

    /** 48-bit MC addresses: GART page numbers have 36 bits (PAGE_TABLE_*_ADDR_HI32 [3:0] : LO32). */
    private static final long PAGE_NUMBER_MASK = (1L << 36) - 1;

    public Gmc(MemorySegment vram, long fbBase, VmHub hub, SimDmaSpace dma,
               BooleanSupplier busMaster, Consumer<GpuFault> faultSink, LinkPacer pacer) {
        this(vram, fbBase, hub, dma, busMaster, faultSink, pacer, true);
    }

    private Gmc(MemorySegment vram, long fbBase, VmHub hub, SimDmaSpace dma,
                BooleanSupplier busMaster, Consumer<GpuFault> faultSink, LinkPacer pacer, boolean throughHub) {
        this.throughHub = throughHub;
        this.vram = vram;
        this.fbBase = fbBase;
        this.hub = hub;
        this.dma = dma;
        this.busMaster = busMaster;
        this.faultSink = faultSink;
        this.pacer = pacer;
    }

    /** The same memory path through another hub (the IH's MMHUB on Navi). */
    public Gmc through(VmHub other) {
        return new Gmc(vram, fbBase, other, dma, busMaster, faultSink, pacer, throughHub);
    }

    /**
     * The PSP's path: it reaches VRAM and the GART whatever the hub's L1 TLB, L2 and aperture
     * registers say. The PSP is no client of the GFX hub nor of the VMID 0 the driver programs,
     * and its bootloader reads a cold card's memory; how MP0 reaches memory is not modelled
     * beyond that.
     */
    public Gmc beforeTheHub() {
        return new Gmc(vram, fbBase, hub, dma, busMaster, faultSink, pacer, false);
    }

    public VmHub hub() {
        return hub;
    }

    public long fbBase() {
        return fbBase;
    }

    public long fbTop() {
        return fbBase + vram.byteSize() - 1;
    }

    public MemorySegment vram() {
        return vram;
    }

    /** A resolved run of bytes: where they are and whether they crossed the PCIe link (host memory). */
    public record Run(MemorySegment segment, boolean host) {
    }

    /**
     * Resolves up to {@code maxLen} bytes at MC address {@code mc}: a contiguous run that may be
     * shorter (it stops at a GART page boundary or the end of a region).
     */
    public Run resolve(long mc, long maxLen, boolean write, String client) throws GpuFaultException {
        if (dma.released()) {
            throw fault(mc, client, write, GpuFault.Reason.DEVICE_RELEASED);
        }
        if (throughHub && !hub.enabled()) {
            throw fault(mc, client, write, GpuFault.Reason.HUB_NOT_ENABLED);
        }
        boolean inFb = mc >= fbBase && mc <= fbTop();
        if (inFb && (!throughHub || hub.inSystemAperture(mc))) {
            long off = mc - fbBase;
            return new Run(vram.asSlice(off, Math.min(maxLen, vram.byteSize() - off)), false);
        }
        int cntl = hub.context0Cntl();
        if (hub.contextEnabled(cntl)) {
            long startPage = hub.startPage() & PAGE_NUMBER_MASK;
            long endPage = hub.endPage() & PAGE_NUMBER_MASK;
            long page = mc >>> 12;
            if (page >= startPage && page <= endPage) {
                if (hub.pageTableDepth(cntl) != 0) {
                    throw fault(mc, client, write, GpuFault.Reason.UNSUPPORTED_PAGE_TABLE);
                }
                long pte = translate(page - startPage, mc, client, write);
                if ((pte & Pte.VALID) == 0) {
                    throw fault(mc, client, write, GpuFault.Reason.INVALID_PTE);
                }
                if ((pte & (write ? Pte.WRITEABLE : Pte.READABLE)) == 0) {
                    throw fault(mc, client, write, GpuFault.Reason.PERMISSION);
                }
                long inPage = mc & (Pte.PAGE - 1);
                long len = Math.min(maxLen, Pte.PAGE - inPage);
                long target = (pte & Pte.ADDRESS_MASK) + inPage;
                if ((pte & Pte.SYSTEM) != 0) {
                    len = coalesce(pte, page - startPage, endPage - page, len, maxLen);
                    return new Run(bus(target, len, write, client, mc), true);
                }
                if (target + len > vram.byteSize()) {
                    throw fault(mc, client, write, GpuFault.Reason.BEYOND_VRAM);
                }
                return new Run(vram.asSlice(target, len), false);
            }
        }
        throw fault(mc, client, write, inFb ? GpuFault.Reason.OUTSIDE_SYSTEM_APERTURE : GpuFault.Reason.UNMAPPED_ADDRESS);
    }

    /**
     * Extends a run over following PTEs that map the next IOVA pages with the same flags, so a
     * GART-mapped buffer that is contiguous in IOVA space is copied in large runs (up to 1 MiB).
     * The DMA lookup still cuts the run at the end of its mapping.
     */
    private long coalesce(long pte, long index, long pagesLeft, long len, long maxLen) {
        if (len >= maxLen || pagesLeft <= 0) {
            return len;
        }
        long base = hub.tableBase();
        if ((base & Pte.SYSTEM) != 0) {
            return len;
        }
        long table = base & Pte.ADDRESS_MASK;
        long flags = pte & ~Pte.ADDRESS_MASK;
        long next = (pte & Pte.ADDRESS_MASK) + Pte.PAGE;
        long limit = Math.min(maxLen, 1 << 20);
        for (long i = 1; i <= pagesLeft && len < limit; i++) {
            long at = table + (index + i) * 8;
            if (at + 8 > vram.byteSize()) {
                break;
            }
            Long cached = hub.cached(index + i);
            long e = cached != null ? cached : vram.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            hub.fill(index + i, e);
            if ((e & ~Pte.ADDRESS_MASK) != flags || (e & Pte.ADDRESS_MASK) != next) {
                break;
            }
            next += Pte.PAGE;
            len = Math.min(limit, len + Pte.PAGE);
        }
        return len;
    }

    /** Begins a device access to host memory: DMA unmaps wait for its end ({@link SimDmaSpace#beginAccess}). */
    public void beginAccess() {
        dma.beginAccess();
    }

    public void endAccess() {
        dma.endAccess();
    }

    /** True while a DMA unmap waits for accesses in flight: an engine holding access should let go. */
    public boolean unmapWaiting() {
        return dma.unmapWaiting();
    }

    /** Lets unmaps through while the calling engine parks; give the result back to {@link #resumeAccess}. */
    public int suspendAccess() {
        return dma.suspendAccess();
    }

    public void resumeAccess(int holds) {
        dma.resume(holds);
    }

    /** The DMA mapping generation: a cached host translation is stale once it changes. */
    public long dmaGeneration() {
        return dma.generation();
    }

    /** Resolves a bus address (IOVA) directly, as a bus-addressed IH ring (MC_SPACE 1/2) is. */
    public MemorySegment resolveBus(long iova, long maxLen, boolean write, String client) throws GpuFaultException {
        return bus(iova, maxLen, write, client, iova);
    }

    private MemorySegment bus(long iova, long len, boolean write, String client, long reported) throws GpuFaultException {
        if (dma.released()) {
            throw fault(reported, client, write, GpuFault.Reason.DEVICE_RELEASED);
        }
        if (!busMaster.getAsBoolean()) {
            throw fault(reported, client, write, GpuFault.Reason.BUS_MASTER_DISABLED);
        }
        MemorySegment s = dma.resolve(iova, len);
        if (s == null) {
            throw fault(reported, client, write, GpuFault.Reason.IOMMU);
        }
        return s;
    }

    private long readPte(long base, long index, long mc, String client, boolean write) throws GpuFaultException {
        long table = base & Pte.ADDRESS_MASK;
        long at = table + index * 8;
        if ((base & Pte.SYSTEM) != 0) {
            return bus(at, 8, false, client, mc).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
        if (at + 8 > vram.byteSize()) {
            throw fault(mc, client, write, GpuFault.Reason.BEYOND_VRAM);
        }
        return vram.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
    }

    /** The PTE of GART page {@code index}: from the hub's TLB if it holds one, else walked and cached. */
    private long translate(long index, long mc, String client, boolean write) throws GpuFaultException {
        long base = hub.tableBase();
        Long cached = hub.cached(index);
        if (cached != null) {
            if ((base & Pte.SYSTEM) == 0) {
                long table = readPte(base, index, mc, client, write);
                if (table != cached) {
                    hub.staleUse(mc, cached, table, client);
                }
            }
            return cached;
        }
        long pte = readPte(base, index, mc, client, write);
        hub.fill(index, pte);
        return pte;
    }

    /** Records a refused access by another client of the memory path (the IH) and returns the exception. */
    public GpuFaultException refuse(long address, String client, boolean write, GpuFault.Reason reason) {
        return fault(address, client, write, reason);
    }

    private GpuFaultException fault(long address, String client, boolean write, GpuFault.Reason reason) {
        GpuFault f = new GpuFault(address, client, write, reason, System.nanoTime());
        faultSink.accept(f);
        return new GpuFaultException(f);
    }

    // --- convenience accessors used by the engines ---

    public int readInt(long mc, String client) throws GpuFaultException {
        MemorySegment s = resolve(mc, 4, false, client).segment();
        if (s.byteSize() >= 4) {
            return s.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) { // the dword straddles a region end: each byte resolves (or faults) on its own
            v |= (resolve(mc + i, 1, false, client).segment().get(ValueLayout.JAVA_BYTE, 0) & 0xFF) << (8 * i);
        }
        return v;
    }

    public void writeInt(long mc, int value, String client) throws GpuFaultException {
        MemorySegment s = resolve(mc, 4, true, client).segment();
        if (s.byteSize() >= 4) {
            s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
            return;
        }
        for (int i = 0; i < 4; i++) { // resolve every byte before storing any: a fault writes nothing
            resolve(mc + i, 1, true, client);
        }
        for (int i = 0; i < 4; i++) {
            resolve(mc + i, 1, true, client).segment().set(ValueLayout.JAVA_BYTE, 0, (byte) (value >>> (8 * i)));
        }
    }

    public long readLong(long mc, String client) throws GpuFaultException {
        Run r = resolve(mc, 8, false, client);
        if (r.segment().byteSize() >= 8) {
            return r.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
        return Integer.toUnsignedLong(readInt(mc, client)) | ((long) readInt(mc + 4, client) << 32);
    }

    public void writeLong(long mc, long value, String client) throws GpuFaultException {
        Run r = resolve(mc, 8, true, client);
        if (r.segment().byteSize() >= 8) {
            r.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
            return;
        }
        writeInt(mc, (int) value, client);
        writeInt(mc + 4, (int) (value >>> 32), client);
    }

    /** Copies {@code len} bytes MC→MC in contiguous runs with bulk copies, paced across the link. */
    public void copy(long src, long dst, long len, String client) throws GpuFaultException {
        while (len > 0) {
            Run s = resolve(src, len, false, client);
            Run d = resolve(dst, s.segment().byteSize(), true, client);
            long n = d.segment().byteSize();
            MemorySegment.copy(s.segment(), 0, d.segment(), 0, n);
            if (s.host() != d.host()) {
                pacer.cross(n);
            }
            src += n;
            dst += n;
            len -= n;
        }
    }

    /** Fills {@code len} bytes with the 32-bit {@code pattern} (little-endian, repeating every 4 bytes). */
    public void fill(long dst, int pattern, long len, String client) throws GpuFaultException {
        long phase = 0;
        while (len > 0) {
            Run d = resolve(dst, len, true, client);
            MemorySegment seg = d.segment();
            long n = seg.byteSize();
            fillPattern(seg, pattern, phase);
            if (d.host()) {
                pacer.cross(n);
            }
            phase = (phase + n) & 3;
            dst += n;
            len -= n;
        }
    }

    private static void fillPattern(MemorySegment seg, int pattern, long phase) {
        int p = Integer.rotateRight(pattern, (int) (phase * 8));
        byte b0 = (byte) p;
        if (p == (b0 & 0xFF) * 0x01010101) {
            seg.fill(b0);
            return;
        }
        long n = seg.byteSize();
        long i = 0;
        long words = n / 4;
        for (long w = 0; w < words; w++, i += 4) {
            seg.set(ValueLayout.JAVA_INT_UNALIGNED, i, p);
        }
        for (; i < n; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) (p >>> (8 * (i & 3))));
        }
    }

    /** Bytes crossing the link for a host-side transfer of the engines' own small writes. */
    public void paceHost(long bytes) {
        pacer.cross(bytes);
    }
}
