package amdvfio.driver.ring;

import amdvfio.driver.asic.SdmaTraits;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.vfio.Mmio;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An SDMA ring buffer in host memory: a 64-bit monotonic wptr in dwords (amdgpu's
 * {@code ring->wptr}), packets written at {@code wptr & mask}, and a commit that pads with NOPs
 * to the fetch alignment, stores the wptr (bytes) to the shadow the engine polls, then does one
 * 64-bit doorbell store ({@code sdma_v*_ring_set_wptr}, spec §3.5).
 *
 * <p>Writeback page layout (amdgpu gives each slot 32 bytes, {@code amdgpu_device_wb_get}):
 * <pre>
 *   +0    rptr writeback, bytes, 64-bit (RB_RPTR_ADDR)
 *   +32   wptr shadow, bytes, 64-bit (RB_WPTR_POLL_ADDR)
 *   +64   fence sequence, 32-bit (FENCE packets)
 *   +96   scratch for the ring test
 *   +128  scratch for the IB test
 * </pre>
 *
 * <p>Threading: everything but {@link #readFenceSeq} and {@link #readRptrBytes} happens under
 * {@link #lock()}, the only lock on the submission path.
 */
public final class Ring {

    public static final int RPTR_WB = 0;
    public static final int WPTR_SHADOW = 32;
    public static final int FENCE_SEQ = 64;
    public static final int RING_TEST_SLOT = 96;
    public static final int IB_TEST_SLOT = 128;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;

    private final String name;
    private final SdmaTraits traits;
    private final HostBuffer ringMemory;
    private final HostBuffer writeback;
    private final MemorySegment ring;
    private final MemorySegment wb;
    private final long mask;
    private final int alignDwords;
    private final Mmio doorbells;
    private final long doorbellOffset;
    private final PacketWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private long wptr;

    /**
     * @param doorbellOffset BAR2 byte offset of this ring's doorbell (dword index × 4)
     */
    public Ring(String name, SdmaTraits traits, HostBuffer ringMemory, HostBuffer writeback, Mmio doorbells,
                long doorbellOffset) {
        if (Long.bitCount(ringMemory.size()) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + ringMemory.size());
        }
        this.name = name;
        this.traits = traits;
        this.ringMemory = ringMemory;
        this.writeback = writeback;
        this.ring = ringMemory.segment();
        this.wb = writeback.segment();
        this.mask = ringMemory.size() / 4 - 1;
        this.alignDwords = traits.alignDwords();
        this.doorbells = doorbells;
        this.doorbellOffset = doorbellOffset;
        this.writer = new PacketWriter(traits);
    }

    public ReentrantLock lock() {
        return lock;
    }

    public PacketWriter writer() {
        return writer;
    }

    public MemorySegment buffer() {
        return ring;
    }

    public long mask() {
        return mask;
    }

    /** The monotonic write pointer in dwords. */
    public long wptr() {
        return wptr;
    }

    /** Moves the write pointer after packets were written at {@link #wptr()}. */
    public void advance(long dwords) {
        wptr += dwords;
    }

    /** Free dwords, keeping one alignment unit spare so a full ring never looks empty. */
    public long freeDwords() {
        long rptrDw = readRptrBytes() >>> 2;
        long used = (wptr - rptrDw) & mask;
        return mask + 1 - used - alignDwords;
    }

    public long sizeDwords() {
        return mask + 1;
    }

    /**
     * Pads to the fetch alignment, publishes the wptr to the shadow, then rings the doorbell
     * once with a 64-bit store. The release fence orders the packet stores before both.
     */
    public void commit() {
        wptr = writer.padTo(ring, wptr, mask, alignDwords);
        long bytes = wptr << 2;
        VarHandle.releaseFence();
        wb.set(U64, WPTR_SHADOW, bytes);
        VarHandle.fullFence();
        doorbells.write64(doorbellOffset, bytes);
    }

    /** The engine's rptr writeback, bytes. */
    public long readRptrBytes() {
        return (long) wb.get(U64, RPTR_WB);
    }

    /** The last sequence number a FENCE packet wrote. */
    public int readFenceSeq() {
        VarHandle.acquireFence();
        return wb.get(U32, FENCE_SEQ);
    }

    public int readSlot(int offset) {
        return wb.get(U32, offset);
    }

    public void writeSlot(int offset, int value) {
        wb.set(U32, offset, value);
    }

    /** Back to an empty ring after the engine was re-initialised with RB_RPTR = RB_WPTR = 0. */
    public void resetPointers() {
        wptr = 0;
        wb.set(U64, RPTR_WB, 0);
        wb.set(U64, WPTR_SHADOW, 0);
    }

    public long gpuAddress() {
        return ringMemory.gpuAddress();
    }

    public long sizeBytes() {
        return ringMemory.size();
    }

    public long writebackGpuAddress(int offset) {
        return writeback.gpuAddress() + offset;
    }

    public long doorbellOffset() {
        return doorbellOffset;
    }

    public String name() {
        return name;
    }

    public SdmaTraits traits() {
        return traits;
    }

    public void close() {
        ringMemory.close();
        writeback.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
