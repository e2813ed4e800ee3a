package amdvfio.bench.driver;

import amdvfio.bench.CBaselines;
import amdvfio.driver.Job;
import amdvfio.driver.asic.AsicProfiles;
import amdvfio.driver.asic.SdmaTraits;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.ip.gmc.Gart;
import amdvfio.driver.ring.PacketWriter;
import amdvfio.driver.ring.Ring;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;
import amdvfio.vfio.Mmio;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The driver-side cost of one small job: encode a WRITE + FENCE + TRAP into the ring, pad to the
 * fetch alignment, store the wptr shadow, and do the 64-bit doorbell store — into a sink that
 * plays an engine consuming instantly: the doorbell "register" is host memory whose store is
 * copied to the rptr writeback, so the ring never fills and no device or simulator is involved.
 * Only the driver's hot path; it should allocate nothing.
 *
 * <p>{@code cEncodeAndCommitSmallJob} is its C twin ({@code encode_commit} in baselines.c): it
 * walks the same job (a command array with the kind, the destination buffer object, offset and
 * value, as {@link Job} holds them), writes the same packets into the same ring memory, and does the
 * same shadow and doorbell stores under a mutex as the Java ring's lock. The setup checks that both
 * write the same dwords. Target: Java ≤ 1.1× C.
 *
 * <p>Both rows time {@link #BATCH} submissions per invocation and report the time per submission:
 * the C side makes one critical downcall per batch, so neither row carries a per-submission call
 * that the other does not (one downcall per submission had added about 2 ns to C's 20).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SubmitEncodeBenchmark.BATCH)
public class SubmitEncodeBenchmark {

    /** Submissions per benchmark invocation, on both sides. */
    static final int BATCH = 100;

    @Param({"vega10", "navi10"})
    public String asic;

    private Ring ring;
    private PacketWriter writer;
    private Job job;
    private HostBuffer target;
    private HostBuffer ringMem;
    private HostBuffer wbMem;
    private MemorySegment wb;
    private int seq;
    private MemorySegment cRing;
    private Arena cArena;
    private MemorySegment cJob;
    private long fenceAddress;
    private int alignDwords;

    @Setup(Level.Trial)
    public void setup() {
        SdmaTraits traits = asic.equals("vega10") ? AsicProfiles.VEGA10.sdma() : AsicProfiles.NAVI10.sdma();
        DmaSpace dma = new NoIommu();
        Gart gart = new Gart(new HeapMmio(1 << 20), 0, 1L << 32, 64L << 20, () -> { });
        ringMem = HostBuffer.allocate("bench-ring", 256 << 10, dma, gart);
        wbMem = HostBuffer.allocate("bench-wb", 4096, dma, gart);
        target = HostBuffer.allocate("bench-target", 4096, dma, gart);
        wb = wbMem.segment();
        Mmio doorbell = new HeapMmio(8) {
            @Override
            public void write64(long offset, long value) {
                wb.set(ValueLayout.JAVA_LONG, Ring.RPTR_WB, value); // the "engine" consumed everything
            }
        };
        ring = new Ring("bench", traits, ringMem, wbMem, doorbell, 0);
        writer = ring.writer();
        BufferObject bo = BufferObject.gtt(this, 4096, target, () -> { });
        job = Job.builder().writeDword(bo, 0, 42).build();
        fenceAddress = ring.writebackGpuAddress(Ring.FENCE_SEQ);
        cJob = cJobOf(bo, 42);
        try {
            cRing = (MemorySegment) CBaselines.RING_NEW.invokeExact(ring.buffer(), ring.mask(),
                    wb.asSlice(Ring.WPTR_SHADOW), wb.asSlice(Ring.RPTR_WB), traits.fenceHeader(), traits.alignDwords());
        } catch (Throwable t) {
            throw new IllegalStateException("amdvfio_ring_new", t);
        }
        alignDwords = traits.alignDwords();
        checkBothWriteTheSameDwords(alignDwords);
    }

    /** The job as the C twin reads it: one WRITE command whose destination is a buffer object. */
    private MemorySegment cJobOf(BufferObject bo, int value) {
        cArena = Arena.ofShared();
        MemorySegment cBo = cArena.allocate(CBaselines.BO);
        cBo.set(ValueLayout.JAVA_LONG, 0, bo.gpuAddress());
        MemorySegment cmd = cArena.allocate(CBaselines.CMD);
        cmd.set(ValueLayout.JAVA_INT, CBaselines.CMD.byteOffset(MemoryLayout.PathElement.groupElement("kind")), Job.WRITE);
        cmd.set(ValueLayout.ADDRESS, CBaselines.CMD.byteOffset(MemoryLayout.PathElement.groupElement("dst")), cBo);
        cmd.set(ValueLayout.JAVA_LONG, CBaselines.CMD.byteOffset(MemoryLayout.PathElement.groupElement("dst_offset")), 0L);
        cmd.set(ValueLayout.JAVA_LONG, CBaselines.CMD.byteOffset(MemoryLayout.PathElement.groupElement("value")), value);
        // passed by address in the global scope: a shared arena's segment as a downcall argument
        // costs an atomic acquire and release of the arena per call (8-9 ns here), which the Java
        // side does not pay
        return MemorySegment.ofAddress(cmd.address());
    }

    /** One submission from each side at ring dword 0 (both wptrs start there): the ring bytes must match. */
    private void checkBothWriteTheSameDwords(int alignDwords) {
        long bytes = 4L * alignDwords;
        MemorySegment mem = ring.buffer();
        mem.fill((byte) 0x5A);
        long javaEnd = submitOnce();
        byte[] java = mem.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE);
        mem.fill((byte) 0x5A);
        seq--; // the same sequence number
        long cEnd;
        try {
            cEnd = (long) CBaselines.ENCODE_COMMIT_BATCH.invokeExact(cRing, cJob, 1, fenceAddress, ++seq, 1);
        } catch (Throwable t) {
            throw new IllegalStateException("amdvfio_encode_commit_batch", t);
        }
        byte[] c = mem.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE);
        if (javaEnd != cEnd || !Arrays.equals(java, c)) {
            throw new IllegalStateException("the C twin does not write what the driver writes: wptr " + javaEnd + " vs " + cEnd);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Throwable {
        CBaselines.RING_FREE.invokeExact(cRing);
        cArena.close();
        ringMem.close();
        wbMem.close();
        target.close();
    }

    @Benchmark
    public long encodeAndCommitSmallJob() {
        long wptr = 0;
        for (int i = 0; i < BATCH; i++) {
            wptr = submitOnce();
        }
        return wptr;
    }

    /** One submission, as the driver's scheduler makes it. */
    private long submitOnce() {
        ring.lock().lock();
        try {
            long start = ring.wptr();
            long pos = writer.encode(job, ring.buffer(), start, ring.mask());
            pos = writer.encodeFence(ring.buffer(), pos, ring.mask(), ring.writebackGpuAddress(Ring.FENCE_SEQ), ++seq);
            ring.advance(pos - start);
            ring.commit();
            return ring.wptr();
        } finally {
            ring.lock().unlock();
        }
    }

    @Benchmark
    public long cEncodeAndCommitSmallJob() throws Throwable {
        long wptr = (long) CBaselines.ENCODE_COMMIT_BATCH.invokeExact(cRing, cJob, 1, fenceAddress, seq + 1, BATCH);
        seq += BATCH;
        return wptr;
    }

    /**
     * The same submission without its packets: lock, move the wptr on by one alignment unit (so
     * commit pads nothing), publish, unlock. With {@link #encodeAndCommitSmallJob} it splits the
     * cost into this fixed part and the packet writing; {@code cLockAndPublishOnly} is its twin.
     */
    @Benchmark
    public long lockAndPublishOnly() {
        long wptr = 0;
        for (int i = 0; i < BATCH; i++) {
            ring.lock().lock();
            try {
                ring.advance(alignDwords);
                ring.commit();
                wptr = ring.wptr();
            } finally {
                ring.lock().unlock();
            }
        }
        return wptr;
    }

    @Benchmark
    public long cLockAndPublishOnly() throws Throwable {
        return (long) CBaselines.LOCK_PUBLISH_BATCH.invokeExact(cRing, BATCH);
    }

    /** A DMA space without an IOMMU: IOVA = an allocator's choice, nothing mapped anywhere. */
    static final class NoIommu implements DmaSpace {
        private final IovaAllocator iova = new IovaAllocator(1L << 20, 1L << 40, 4096);

        @Override
        public DmaMapping map(MemorySegment host) {
            return iova.allocate(host);
        }

        @Override
        public DmaMapping mapAt(MemorySegment host, long at) {
            return iova.place(host, at);
        }

        @Override
        public void unmap(DmaMapping mapping) {
            iova.release(mapping);
        }

        @Override
        public List<DmaMapping> mappings() {
            return iova.mappings();
        }
    }

    /** Registers in heap memory: a no-op BAR. */
    static class HeapMmio implements Mmio {
        private final MemorySegment mem;

        HeapMmio(long size) {
            mem = Arena.ofAuto().allocate(size, 8);
        }

        @Override
        public long size() {
            return mem.byteSize();
        }

        @Override
        public int read32(long offset) {
            return mem.get(ValueLayout.JAVA_INT, offset);
        }

        @Override
        public void write32(long offset, int value) {
            mem.set(ValueLayout.JAVA_INT, offset, value);
        }

        @Override
        public long read64(long offset) {
            return mem.get(ValueLayout.JAVA_LONG, offset);
        }

        @Override
        public void write64(long offset, long value) {
            mem.set(ValueLayout.JAVA_LONG, offset, value);
        }
    }
}
