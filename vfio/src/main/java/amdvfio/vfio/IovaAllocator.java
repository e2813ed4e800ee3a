package amdvfio.vfio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Book-keeping of a device's IOVA space: first-fit allocation of page-aligned ranges in
 * {@code [base, limit)}, explicit placement with overlap detection, release. Both DMA space
 * implementations (kernel VFIO and the simulator) use it, so they allocate alike.
 *
 * <p>Thread-safe; DMA mapping is not a hot path.
 */
public final class IovaAllocator {

    private final long base;
    private final long limit;
    private final long pageSize;
    private final TreeMap<Long, DmaMapping> byIova = new TreeMap<>();

    /**
     * @param base     lowest IOVA handed out (keep 0 unused so a null device address faults)
     * @param limit    one past the highest usable IOVA (the device's DMA mask, the IOMMU aperture)
     * @param pageSize granularity of mappings
     */
    public IovaAllocator(long base, long limit, long pageSize) {
        if (Long.bitCount(pageSize) != 1 || base < 0 || limit <= base || base % pageSize != 0) {
            throw new IllegalArgumentException(String.format(
                    "bad IOVA space: base 0x%x, limit 0x%x, page size 0x%x", base, limit, pageSize));
        }
        this.base = base;
        this.limit = limit;
        this.pageSize = pageSize;
    }

    /** Checks that {@code host} can be DMA-mapped: page-aligned address and size, not empty. */
    public void checkMappable(MemorySegment host) {
        if (host.byteSize() == 0 || host.address() % pageSize != 0 || host.byteSize() % pageSize != 0) {
            throw new IllegalArgumentException(String.format(
                    "DMA needs page-aligned host memory of whole pages: address 0x%x, size 0x%x, page 0x%x",
                    host.address(), host.byteSize(), pageSize));
        }
    }

    /** Reserves the first free range that fits {@code host} and records the mapping. */
    public synchronized DmaMapping allocate(MemorySegment host) {
        checkMappable(host);
        long size = host.byteSize();
        long candidate = base;
        for (DmaMapping m : byIova.values()) {
            if (candidate + size <= m.iova()) {
                break;
            }
            candidate = Math.max(candidate, align(m.iova() + m.size()));
        }
        if (candidate + size > limit || candidate + size < candidate) {
            throw new VfioException(String.format(
                    "no free IOVA range of 0x%x bytes below 0x%x (%d mappings); unmap unused buffers",
                    size, limit, byIova.size()));
        }
        DmaMapping mapping = new DmaMapping(candidate, host);
        byIova.put(candidate, mapping);
        return mapping;
    }

    /** Records {@code host} at {@code iova}, which must be free and inside the space. */
    public synchronized DmaMapping place(MemorySegment host, long iova) {
        checkMappable(host);
        long size = host.byteSize();
        if (iova % pageSize != 0 || iova < base || iova + size > limit || iova + size < iova) {
            throw new IllegalArgumentException(String.format(
                    "IOVA 0x%x (+0x%x) is not page-aligned or outside [0x%x, 0x%x)", iova, size, base, limit));
        }
        Map.Entry<Long, DmaMapping> below = byIova.floorEntry(iova + size - 1);
        if (below != null && below.getValue().iova() + below.getValue().size() > iova) {
            throw new IovaOverlapException(iova, size, below.getValue());
        }
        DmaMapping mapping = new DmaMapping(iova, host);
        byIova.put(iova, mapping);
        return mapping;
    }

    /** Forgets {@code mapping}; returns false if it was not recorded. */
    public synchronized boolean release(DmaMapping mapping) {
        return byIova.remove(mapping.iova(), mapping);
    }

    /** The mapping that holds {@code iova}, or null. */
    public synchronized DmaMapping find(long iova) {
        Map.Entry<Long, DmaMapping> e = byIova.floorEntry(iova);
        return e != null && iova < e.getValue().iova() + e.getValue().size() ? e.getValue() : null;
    }

    public synchronized List<DmaMapping> mappings() {
        return new ArrayList<>(byIova.values());
    }

    private long align(long v) {
        return (v + pageSize - 1) & -pageSize;
    }
}
