package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Base of the SDMA packet flyweights: a view of {@code DWORDS} dwords starting at a dword index
 * of a ring (or an IB). Stores go to {@code ((index + k) & mask) * 4}, so a packet wraps the ring
 * the way {@code amdgpu_ring_write} does. Reused per ring: wrapping allocates nothing.
 *
 * <p>Threading: a flyweight belongs to one ring and is used under that ring's lock.
 */
public abstract class PacketFlyweight<T extends PacketFlyweight<T>> {

    private static final ValueLayout.OfInt DW = ValueLayout.JAVA_INT;
    /**
     * Zeros to copy padding from. {@code MemorySegment.fill} of the 980-byte SDMA 4.0 pad took
     * 31 ns on JDK 25.0.3 (SegmentBulkOperations.fill via Unsafe.setMemory) and a copy of the same
     * bytes from here 9 ns; C's memset of them about 3 ns.
     */
    private static final MemorySegment ZEROS = Arena.global().allocate(4096, 64);
    /** Up to this many bytes fill stays in Java (SegmentBulkOperations' native threshold is 2^5). */
    private static final long SMALL_FILL = 32;

    /** The version's packet facts (opcodes, field widths) from its generated pkt_open header. */
    protected final SdmaPackets pkt;
    private MemorySegment buffer;
    private long index;
    private long mask;

    protected PacketFlyweight(SdmaPackets pkt) {
        this.pkt = pkt;
    }

    /** Points this flyweight at dword {@code dwIndex} of {@code buffer}, a ring of {@code mask + 1} dwords. */
    @SuppressWarnings("unchecked")
    public final T wrap(MemorySegment buffer, long dwIndex, long mask) {
        this.buffer = buffer;
        this.index = dwIndex;
        this.mask = mask;
        return (T) this;
    }

    /** Points this flyweight at dword {@code dwIndex} of a linear buffer (an IB, a test array). */
    public final T wrap(MemorySegment buffer, long dwIndex) {
        return wrap(buffer, dwIndex, -1L);
    }

    protected final void put(int k, int value) {
        buffer.set(DW, ((index + k) & mask) << 2, value);
    }

    /**
     * Zeroes dwords {@code [from, from + count)} of the packet with bulk fills, split where the
     * ring wraps: the SDMA 4.0 fetch alignment pads up to 255 dwords per commit, which one
     * store per dword made the most expensive part of a small submission.
     */
    protected final void zero(int from, int count) {
        long start = (index + from) & mask;
        long size = mask + 1;
        long first = mask == -1L ? count : Math.min(count, size - start);
        clear(start << 2, first << 2);
        if (first < count) {
            clear(0, (count - first) << 2);
        }
    }

    private void clear(long offset, long bytes) {
        if (bytes <= SMALL_FILL) {
            buffer.asSlice(offset, bytes).fill((byte) 0); // a Java loop in the JDK: cheaper than a copy's checks
            return;
        }
        while (bytes > 0) {
            long n = Math.min(bytes, ZEROS.byteSize());
            MemorySegment.copy(ZEROS, 0, buffer, offset, n);
            offset += n;
            bytes -= n;
        }
    }

    protected final int get(int k) {
        return buffer.get(DW, ((index + k) & mask) << 2);
    }

    /** Dword {@code k} of the packet as it stands (tests compare these with hand-encoded values). */
    public final int dword(int k) {
        return get(k);
    }

    protected static int lo(long v) {
        return (int) v;
    }

    protected static int hi(long v) {
        return (int) (v >>> 32);
    }

    /** Header dword: op, sub_op (SDMA_PKT_HEADER_op / sub_op). */
    protected final int header(int op, int subOp) {
        return pkt.header(op, subOp);
    }
}
