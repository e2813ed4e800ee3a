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

    /**
     * Copies the dwords from the current position into {@code into}, at most {@code max} of them and
     * at least one: as many as the cached run holds before it ends or, on a ring, before the wrap.
     * The F32's fetch of several dwords at once, for a scan that would otherwise read them one by one.
     */
    int fetch(int[] into, int max) throws GpuFaultException {
        long addr = ring ? base + (start & mask) : start;
        long bytes = cover(addr) ? Math.min(runEnd - addr, max * 4L) : 0;
        if (ring) {
            bytes = Math.min(bytes, mask + 1 - (start & mask));
        }
        int n = (int) (bytes / 4);
        if (n == 0) {
            into[0] = linearDword(addr);
            return 1;
        }
        MemorySegment.copy(run, ValueLayout.JAVA_INT_UNALIGNED, addr - runStart, into, 0, n);
        return n;
    }

    private int linearDword(long addr) throws GpuFaultException {
        if (!cover(addr)) {
            return gmc.readInt(addr, client);
        }
        return run.get(ValueLayout.JAVA_INT_UNALIGNED, addr - runStart);
    }

    /**
     * Makes the cached run hold the dword at {@code addr}, resolving it again when it does not or
     * when a DMA unmap happened since; false when the run resolved there is shorter than a dword.
     */
    private boolean cover(long addr) throws GpuFaultException {
        long g = gmc.dmaGeneration();
        if (addr >= runStart && addr + 4 <= runEnd && g == generation) {
            return true;
        }
        generation = g;
        MemorySegment s = gmc.resolve(addr, 1 << 20, false, client).segment();
        run = s;
        runStart = addr;
        runEnd = addr + s.byteSize();
        return s.byteSize() >= 4;
    }
}
