package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Base of the SDMA packet flyweights: a view of {@code DWORDS} dwords starting at a dword index
 * of a ring (or an IB). Stores go to {@code ((index + k) & mask) * 4}, so a packet wraps the ring
 * the way {@code amdgpu_ring_write} does. Reused per ring: wrapping allocates nothing.
 *
 * <p>Threading: a flyweight belongs to one ring and is used under that ring's lock.
 */
public abstract class PacketFlyweight<T extends PacketFlyweight<T>> {

    /**
     * Unaligned layouts: every offset is a whole number of dwords by construction, so the aligned
     * layout's per-store alignment check could never fail and only cost time.
     */
    private static final ValueLayout.OfInt DW = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian like the GPU's dwords, so {@link #pair} puts its first dword at the lower address. */
    private static final ValueLayout.OfLong QW = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        // stored even when unchanged: C2 then sees the caller's segment in the store methods and
        // reuses its checks (skipping the store to save the GC's write barrier measured 2 ns
        // slower per submission)
        this.buffer = buffer;
        this.index = dwIndex;
        this.mask = mask;
        return (T) this;
    }

    /** Points this flyweight at dword {@code dwIndex} of a linear buffer (an IB, a test array). */
    public final T wrap(MemorySegment buffer, long dwIndex) {
        return wrap(buffer, dwIndex, -1L);
    }

    /*
     * The store methods take every dword as an argument and read the flyweight's fields into
     * locals before the first store, so no field is read between stores (the per-dword put they
     * replaced read buffer, index and mask for each dword: 10 ns for a WRITE + FENCE + TRAP on
     * JDK 25, against 4 ns from locals). A packet that does not wrap is stored at consecutive
     * offsets, two dwords per 8-byte store ({@link #pair}); one that wraps (at most one per lap of
     * the ring) takes storeWrapped(), the per-dword form.
     */

    protected final T store(int dw0) {
        return storeWrapped(1, dw0, 0, 0, 0, 0, 0, 0);
    }

    protected final T store(int dw0, int dw1) {
        MemorySegment b = buffer;
        long o = linearOffset(2);
        if (o < 0) {
            return storeWrapped(2, dw0, dw1, 0, 0, 0, 0, 0);
        }
        b.set(QW, o, pair(dw0, dw1));
        return self();
    }

    protected final T store(int dw0, int dw1, int dw2) {
        MemorySegment b = buffer;
        long o = linearOffset(3);
        if (o < 0) {
            return storeWrapped(3, dw0, dw1, dw2, 0, 0, 0, 0);
        }
        b.set(QW, o, pair(dw0, dw1));
        b.set(DW, o + 8, dw2);
        return self();
    }

    protected final T store(int dw0, int dw1, int dw2, int dw3) {
        MemorySegment b = buffer;
        long o = linearOffset(4);
        if (o < 0) {
            return storeWrapped(4, dw0, dw1, dw2, dw3, 0, 0, 0);
        }
        b.set(QW, o, pair(dw0, dw1));
        b.set(QW, o + 8, pair(dw2, dw3));
        return self();
    }

    protected final T store(int dw0, int dw1, int dw2, int dw3, int dw4) {
        MemorySegment b = buffer;
        long o = linearOffset(5);
        if (o < 0) {
            return storeWrapped(5, dw0, dw1, dw2, dw3, dw4, 0, 0);
        }
        b.set(QW, o, pair(dw0, dw1));
        b.set(QW, o + 8, pair(dw2, dw3));
        b.set(DW, o + 16, dw4);
        return self();
    }

    protected final T store(int dw0, int dw1, int dw2, int dw3, int dw4, int dw5) {
        MemorySegment b = buffer;
        long o = linearOffset(6);
        if (o < 0) {
            return storeWrapped(6, dw0, dw1, dw2, dw3, dw4, dw5, 0);
        }
        b.set(QW, o, pair(dw0, dw1));
        b.set(QW, o + 8, pair(dw2, dw3));
        b.set(QW, o + 16, pair(dw4, dw5));
        return self();
    }

    protected final T store(int dw0, int dw1, int dw2, int dw3, int dw4, int dw5, int dw6) {
        MemorySegment b = buffer;
        long o = linearOffset(7);
        if (o < 0) {
            return storeWrapped(7, dw0, dw1, dw2, dw3, dw4, dw5, dw6);
        }
        b.set(QW, o, pair(dw0, dw1));
        b.set(QW, o + 8, pair(dw2, dw3));
        b.set(QW, o + 16, pair(dw4, dw5));
        b.set(DW, o + 24, dw6);
        return self();
    }

    /** Byte offset of dword 0 when all {@code dwords} of the packet lie before the ring's end, else −1. */
    private long linearOffset(int dwords) {
        long m = mask;
        long at = index & m;
        return m == -1L || at + dwords <= m + 1 ? at << 2 : -1;
    }

    /** The per-dword form: packet dwords 0 to {@code count - 1} of {@code dw0..dw6}, each where it falls in the ring. */
    private T storeWrapped(int count, int dw0, int dw1, int dw2, int dw3, int dw4, int dw5, int dw6) {
        wrapped(0, dw0);
        if (count > 1) {
            wrapped(1, dw1);
        }
        if (count > 2) {
            wrapped(2, dw2);
        }
        if (count > 3) {
            wrapped(3, dw3);
        }
        if (count > 4) {
            wrapped(4, dw4);
        }
        if (count > 5) {
            wrapped(5, dw5);
        }
        if (count > 6) {
            wrapped(6, dw6);
        }
        return self();
    }

    /** Stores packet dword {@code k} at {@code ((index + k) & mask) * 4}, as {@code amdgpu_ring_write}. */
    private void wrapped(int k, int value) {
        buffer.set(DW, ((index + k) & mask) << 2, value);
    }

    /**
     * Two consecutive packet dwords as one little-endian 8-byte store: half the stores, and half
     * the segment bounds checks.
     */
    private static long pair(int first, int second) {
        return Integer.toUnsignedLong(first) | ((long) second << 32);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /**
     * Zeroes dwords {@code [from, from + count)} of the packet, split where the ring wraps: the
     * SDMA 4.0 fetch alignment pads up to 255 dwords per commit, which one store per dword made
     * the most expensive part of a small submission.
     */
    protected final void zero(int from, int count) {
        MemorySegment b = buffer;
        long m = mask;
        long start = (index + from) & m;
        long first = m == -1L ? count : Math.min(count, m + 1 - start);
        clear(b, start << 2, first << 2);
        if (first < count) {
            clear(b, 0, (count - first) << 2);
        }
    }

    /**
     * Whole 64-byte blocks in an int-counted loop of 8-byte stores, which C2 turns into vector
     * stores without a safepoint poll per store; the rest (under 64 bytes, the whole pad on
     * SDMA 5.x/6.0) with at most four straight-line steps, where a loop's pre/main/post setup cost
     * more than the stores. On JDK 25 MemorySegment.fill (Unsafe.setMemory) took 30 ns for the
     * 980-byte SDMA 4.0 pad, and a copy from a zero page 11 ns.
     */
    private static void clear(MemorySegment b, long offset, long bytes) {
        int quads = (int) (bytes >>> 6) << 3;
        for (int q = 0; q < quads; q++) {
            b.set(QW, offset + ((long) q << 3), 0L);
        }
        long o = offset + ((long) quads << 3);
        if ((bytes & 32) != 0) {
            b.set(QW, o, 0L);
            b.set(QW, o + 8, 0L);
            b.set(QW, o + 16, 0L);
            b.set(QW, o + 24, 0L);
            o += 32;
        }
        if ((bytes & 16) != 0) {
            b.set(QW, o, 0L);
            b.set(QW, o + 8, 0L);
            o += 16;
        }
        if ((bytes & 8) != 0) {
            b.set(QW, o, 0L);
            o += 8;
        }
        if ((bytes & 4) != 0) {
            b.set(DW, o, 0); // bytes is a whole number of dwords
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
