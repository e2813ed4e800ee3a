package amdvfio.sim.sdma;

import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.ih.InterruptHandler;
import amdvfio.sim.ih.IvEntry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One engine's view of memory: MC accesses through the GMC under the engine's client name, the
 * DMA access it holds while it touches host memory (so an unmap waits for the packet in flight),
 * and what a refused access does — the queue stops with PAGE_FAULT and the page-fault IV is posted.
 */
final class EngineMemory {

    private final Gmc gmc;
    private final String client;
    private final InterruptHandler ih;
    private final IvSource iv;

    /** Who posts this engine's IVs: client id, src ids, ring id. */
    record IvSource(int clientId, int pageFaultSrcId, int trapSrcId, int ringId, LongSupplier clock) {
    }

    EngineMemory(Gmc gmc, String client, InterruptHandler ih, IvSource iv) {
        this.gmc = gmc;
        this.client = client;
        this.ih = ih;
        this.iv = iv;
    }

    Gmc gmc() {
        return gmc;
    }

    String client() {
        return client;
    }

    void beginAccess() {
        gmc.beginAccess();
    }

    void endAccess() {
        gmc.endAccess();
    }

    /** Lets a waiting unmap through between two packets: a queued writer goes first, readers block behind it. */
    void yieldToUnmap() {
        if (gmc.unmapWaiting()) {
            gmc.endAccess();
            gmc.beginAccess();
        }
    }

    /** Parks without holding DMA access: an unmap must not wait for a poll that may never pass. */
    void parkReleased(long nanos) {
        int holds = gmc.suspendAccess();
        try {
            LockSupport.parkNanos(nanos);
        } finally {
            gmc.resumeAccess(holds);
        }
    }

    int readInt(long mc) throws GpuFaultException {
        return gmc.readInt(mc, client);
    }

    void writeInt(long mc, int value) throws GpuFaultException {
        gmc.writeInt(mc, value, client);
    }

    long readLong(long mc) throws GpuFaultException {
        return gmc.readLong(mc, client);
    }

    void writeLong(long mc, long value) throws GpuFaultException {
        gmc.writeLong(mc, value, client);
    }

    void copy(long src, long dst, long bytes) throws GpuFaultException {
        gmc.copy(src, dst, bytes, client);
    }

    void fill(long dst, int pattern, long bytes) throws GpuFaultException {
        gmc.fill(dst, pattern, bytes, client);
    }

    /** Writes {@code n} dwords taken from {@code data} starting at its dword {@code first}, in contiguous runs. */
    void writeDwords(long dst, Fetch data, int first, int n) throws GpuFaultException {
        int i = 0;
        while (i < n) {
            Gmc.Run run = gmc.resolve(dst + i * 4L, (n - i) * 4L, true, client);
            MemorySegment s = run.segment();
            int k = (int) (s.byteSize() / 4);
            if (k == 0) {
                gmc.writeInt(dst + i * 4L, data.dword(first + i), client);
                i++;
                continue;
            }
            for (int j = 0; j < k; j++) {
                s.set(ValueLayout.JAVA_INT_UNALIGNED, j * 4L, data.dword(first + i + j));
            }
            if (run.host()) {
                gmc.paceHost(k * 4L);
            }
            i += k;
        }
    }

    /** Writes a 64-bit value (a pointer writeback) in its own access; a refusal is a page fault. */
    boolean writeBack(long mc, long value, EngineErrorState errors) {
        GpuFault fault = null;
        gmc.beginAccess();
        try {
            gmc.writeLong(mc, value, client);
        } catch (GpuFaultException e) {
            fault = e.fault();
        } finally {
            gmc.endAccess();
        }
        if (fault != null) {
            pageFault(fault, errors);
            return false;
        }
        return true;
    }

    /** Stops the queue with PAGE_FAULT and posts the page-fault IV (the IH takes its own DMA access). */
    void pageFault(GpuFault f, EngineErrorState errors) {
        if (f.reason() == GpuFault.Reason.DEVICE_RELEASED) {
            return; // the engine is winding down after the release: no error state, no IV for the next open
        }
        if (!errors.fail(SdmaError.PAGE_FAULT, f.toString())) {
            return; // the faulting packet was aborted by an F32 reset: the new context does not hear of it
        }
        long a = f.address();
        // src_data as gmc_v9_0_process_interrupt decodes VM faults: [0] = addr >> 12,
        // [1] bits 3:0 = addr[47:44], bit 5 = write (AMDGPU_GMC9_FAULT_SOURCE_DATA_WRITE)
        int d1 = (int) ((a >>> 44) & 0xF) | (f.write() ? 0x20 : 0);
        ih.post(IvEntry.of(iv.clientId(), iv.pageFaultSrcId(), iv.ringId(), iv.clock().getAsLong(), (int) (a >>> 12), d1));
    }

    void trap(int intContext) {
        ih.post(IvEntry.of(iv.clientId(), iv.trapSrcId(), iv.ringId(), iv.clock().getAsLong(), intContext));
    }
}
