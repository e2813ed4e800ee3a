package amdvfio.sim.sdma;

import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Ring fetch: the dwords of the packet at a ring position ({@link #atRing}, wrapping at the ring
 * size) or at a linear address ({@link #atLinear}, an IB), read through the GMC with a one-run
 * translation cache (the F32's fetch buffer). The resolved run around the last address is reused
 * until {@link #reset}, the address leaves it, or a DMA unmap (the generation changes: the run may
 * be freed host memory). Callers hold the DMA access ({@code Gmc.beginAccess}). Engine-thread
 * confined; positioning allocates nothing.
 */
final class RingReader implements Fetch {

    private final Gmc gmc;
    private final String client;
    private long runStart = 1;
    private long runEnd = 0;
    private MemorySegment run;
    private long generation = -1;

    private boolean ring;
    private long base;
    private long mask;
    private long start;

    RingReader(Gmc gmc, String client) {
        this.gmc = gmc;
        this.client = client;
    }

    /** Drops the cached run (a new burst, an SRBM write that may have moved the GART). */
    void reset() {
        runStart = 1;
        runEnd = 0;
        run = null;
    }

    /** Positions at byte pointer {@code ptr} of the ring at {@code base} with size − 1 {@code mask}. */
    RingReader atRing(long base, long mask, long ptr) {
        this.ring = true;
        this.base = base;
        this.mask = mask;
        this.start = ptr;
        return this;
    }

    /** Positions at MC address {@code addr} of a linear buffer. */
    RingReader atLinear(long addr) {
        this.ring = false;
        this.start = addr;
        return this;
    }

    @Override
    public int dword(long index) throws GpuFaultException {
        long at = start + index * 4;
        return linearDword(ring ? base + (at & mask) : at);
    }

    private int linearDword(long addr) throws GpuFaultException {
        long g = gmc.dmaGeneration();
        if (addr < runStart || addr + 4 > runEnd || g != generation) {
            generation = g;
            MemorySegment s = gmc.resolve(addr, 1 << 20, false, client).segment();
            run = s;
            runStart = addr;
            runEnd = addr + s.byteSize();
            if (s.byteSize() < 4) {
                return gmc.readInt(addr, client);
            }
        }
        return run.get(ValueLayout.JAVA_INT_UNALIGNED, addr - runStart);
    }
}
