package amdvfio.vfio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Book-keeping of a device's IOVA space: first-fit allocation of page-aligned ranges in one or
 * more usable windows {@code [base, limit)} (the IOMMU reports holes, e.g. the MSI window at
 * 0xfee00000 on x86), lowest window first; explicit placement with overlap detection, release. Both DMA space
 * implementations (kernel VFIO and the simulator) use it, so they allocate alike.
 *
 * <p>Thread-safe; DMA mapping is not a hot path.
 */
public final class IovaAllocator {

    private final long[] bases;
    private final long[] limits;
    private final long pageSize;
    private final TreeMap<Long, DmaMapping> byIova = new TreeMap<>();

    /**
     * @param base     lowest IOVA handed out (keep 0 unused so a null device address faults)
     * @param limit    one past the highest usable IOVA (the device's DMA mask, the IOMMU aperture)
     * @param pageSize granularity of mappings
     */
    public IovaAllocator(long base, long limit, long pageSize) {
        this(List.of(new long[] {base, limit}), pageSize);
    }

    /**
     * @param windows  usable {@code {base, limit}} pairs, ascending and disjoint, each page-aligned
     * @param pageSize granularity of mappings
     */
    public IovaAllocator(List<long[]> windows, long pageSize) {
        if (Long.bitCount(pageSize) != 1 || windows.isEmpty()) {
            throw new IllegalArgumentException("bad IOVA space: " + windows.size() + " windows, page size 0x"
                    + Long.toHexString(pageSize));
        }
        this.bases = new long[windows.size()];
        this.limits = new long[windows.size()];
        long previous = 0;
        for (int i = 0; i < bases.length; i++) {
            long base = windows.get(i)[0];
            long limit = windows.get(i)[1];
            if (base < previous || limit <= base || base % pageSize != 0) {
                throw new IllegalArgumentException(String.format(
                        "bad IOVA space: base 0x%x, limit 0x%x, page size 0x%x", base, limit, pageSize));
            }
            bases[i] = base;
            limits[i] = limit;
            previous = limit;
        }
        this.pageSize = pageSize;
    }

    /** Lowest IOVA handed out. */
    public long base() {
        return bases[0];
    }

    /** One past the highest usable IOVA. */
    public long limit() {
        return limits[limits.length - 1];
    }

    /** Checks that {@code host} can be DMA-mapped: page-aligned address and size, not empty. */
    public void checkMappable(MemorySegment host) {
        if (host.byteSize() == 0 || host.address() % pageSize != 0 || host.byteSize() % pageSize != 0) {
            throw new IllegalArgumentException(String.format(
                    "DMA needs page-aligned host memory of whole pages: address 0x%x, size 0x%x, page 0x%x",
                    host.address(), host.byteSize(), pageSize));
        }
    }

    /** Reserves the first free range that fits {@code host}, lowest window first, and records the mapping. */
    public synchronized DmaMapping allocate(MemorySegment host) {
        checkMappable(host);
        long size = host.byteSize();
        for (int w = 0; w < bases.length; w++) {
            long candidate = firstFit(bases[w], limits[w], size);
            if (candidate >= 0) {
                DmaMapping mapping = new DmaMapping(candidate, host);
                byIova.put(candidate, mapping);
                return mapping;
            }
        }
        throw new VfioException(String.format(
                "no free IOVA range of 0x%x bytes below 0x%x (%d mappings); unmap unused buffers",
                size, limit(), byIova.size()));
    }

    private long firstFit(long base, long limit, long size) {
        long candidate = base;
        for (DmaMapping m : byIova.subMap(base, limit).values()) {
            if (candidate + size <= m.iova()) {
                break;
            }
            candidate = Math.max(candidate, align(m.iova() + m.size()));
        }
        return candidate + size > limit || candidate + size < candidate ? -1 : candidate;
    }

    /** Records {@code host} at {@code iova}, which must be free and inside one window. */
    public synchronized DmaMapping place(MemorySegment host, long iova) {
        checkMappable(host);
        long size = host.byteSize();
        if (iova % pageSize != 0 || !insideOneWindow(iova, size)) {
            throw new IllegalArgumentException(String.format(
                    "IOVA 0x%x (+0x%x) is not page-aligned or outside the usable windows %s", iova, size, windows()));
        }
        Map.Entry<Long, DmaMapping> below = byIova.floorEntry(iova + size - 1);
        if (below != null && below.getValue().iova() + below.getValue().size() > iova) {
            throw new IovaOverlapException(iova, size, below.getValue());
        }
        DmaMapping mapping = new DmaMapping(iova, host);
        byIova.put(iova, mapping);
        return mapping;
    }

    private boolean insideOneWindow(long iova, long size) {
        for (int w = 0; w < bases.length; w++) {
            if (iova >= bases[w] && iova + size <= limits[w] && iova + size > iova) {
                return true;
            }
        }
        return false;
    }

    /** "[0x1000, 0xfee00000) [0xfef00000, 0x8000000000)". */
    public String windows() {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < bases.length; w++) {
            b.append(w == 0 ? "" : " ").append(String.format("[0x%x, 0x%x)", bases[w], limits[w]));
        }
        return b.toString();
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

    /** How many mappings are recorded. */
    public synchronized int count() {
        return byIova.size();
    }

    public synchronized List<DmaMapping> mappings() {
        return new ArrayList<>(byIova.values());
    }

    private long align(long v) {
        return (v + pageSize - 1) & -pageSize;
    }
}
