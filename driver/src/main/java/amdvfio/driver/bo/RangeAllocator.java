package amdvfio.driver.bo;

import amdvfio.driver.OutOfDeviceMemoryException;
import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocator of aligned ranges in {@code [base, base + size)}, with free-space
 * coalescing: the free list is a map of start → length, and a freed range merges with its free
 * neighbours, so freeing everything gives back one range. Used for VRAM and the GART aperture.
 *
 * <p>Threading: all methods are synchronized; allocation is not a hot path.
 */
public final class RangeAllocator {

    private final String name;
    private final long base;
    private final long size;
    private final long granule;
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final TreeMap<Long, Long> used = new TreeMap<>();
    private long freeBytes;

    /**
     * @param granule smallest unit handed out (a power of two); every size is rounded up to it
     */
    public RangeAllocator(String name, long base, long size, long granule) {
        if (size <= 0 || Long.bitCount(granule) != 1 || base % granule != 0 || size % granule != 0) {
            throw new IllegalArgumentException(String.format("bad %s range: base 0x%x size 0x%x granule 0x%x",
                    name, base, size, granule));
        }
        this.name = name;
        this.base = base;
        this.size = size;
        this.granule = granule;
        free.put(base, size);
        freeBytes = size;
    }

    /** Reserves {@code bytes} (rounded up to the granule) at an address aligned to {@code alignment}. */
    public synchronized long allocate(long bytes, long alignment) {
        if (bytes <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("allocation of " + bytes + " bytes aligned to " + alignment + " in " + name);
        }
        long want = roundUp(bytes, granule);
        long align = Math.max(alignment, granule);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = start + e.getValue();
            long at = roundUp(start, align);
            if (at + want <= end && at + want > at) {
                free.remove(start);
                if (at > start) {
                    free.put(start, at - start);
                }
                if (at + want < end) {
                    free.put(at + want, end - at - want);
                }
                used.put(at, want);
                freeBytes -= want;
                return at;
            }
        }
        throw new OutOfDeviceMemoryException(String.format(
                "%s: no free range of %d bytes aligned to %d (free %d of %d bytes, largest free range %d); "
                        + "free buffers or allocate less", name, want, align, freeBytes, size, largestFree()));
    }

    /** Returns a range handed out by {@link #allocate}; neighbouring free ranges merge. */
    public synchronized void free(long address) {
        Long length = used.remove(address);
        if (length == null) {
            throw new IllegalArgumentException(String.format("%s: 0x%x is not an allocated range", name, address));
        }
        long start = address;
        long len = length;
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() == start) {
            start = below.getKey();
            len += below.getValue();
            free.remove(below.getKey());
        }
        Long aboveLen = free.remove(address + length);
        if (aboveLen != null) {
            len += aboveLen;
        }
        free.put(start, len);
        freeBytes += length;
    }

    public synchronized long freeBytes() {
        return freeBytes;
    }

    /** Number of separate free ranges (1 when nothing is allocated: coalescing works). */
    public synchronized int freeRanges() {
        return free.size();
    }

    public synchronized long largestFree() {
        return free.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    private static long roundUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
