package amdvfio.sim.sdma;

import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fetches packet dwords through the GMC with a one-run translation cache (the F32's fetch
 * buffer): the resolved run around the last address is reused until the next burst, an SRBM
 * write, the address leaves it, or a DMA unmap (the generation changes: the run may be freed host
 * memory). Callers hold the DMA access ({@code Gmc.beginAccess}). Engine-thread confined.
 */
final class RingReader {

    private final Gmc gmc;
    private final String client;
    private long runStart = 1;
    private long runEnd = 0;
    private MemorySegment run;
    private long generation = -1;

    RingReader(Gmc gmc, String client) {
        this.gmc = gmc;
        this.client = client;
    }

    void reset() {
        runStart = 1;
        runEnd = 0;
        run = null;
    }

    int ringDword(long base, long mask, long ptrBytes) throws GpuFaultException {
        return linearDword(base + (ptrBytes & mask));
    }

    int linearDword(long addr) throws GpuFaultException {
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
