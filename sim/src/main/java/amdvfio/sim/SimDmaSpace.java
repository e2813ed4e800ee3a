package amdvfio.sim;

import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The simulated IOMMU: host memory reaches the GPU only through these mappings, allocated by the
 * same {@link IovaAllocator} the kernel backend uses. IOVA 0 .. 1 MiB stays unused so a null or
 * small device address faults. The device model resolves bus addresses with {@link #resolve}.
 */
public final class SimDmaSpace implements DmaSpace {

    /** 48-bit IOVA space, as a typical IOMMU aperture. */
    public static final long IOVA_BASE = 1L << 20;
    public static final long IOVA_LIMIT = 1L << 48;

    private final IovaAllocator allocator = new IovaAllocator(IOVA_BASE, IOVA_LIMIT, 4096);

    @Override
    public DmaMapping map(MemorySegment host) {
        return allocator.allocate(host);
    }

    @Override
    public DmaMapping mapAt(MemorySegment host, long iova) {
        return allocator.place(host, iova);
    }

    @Override
    public void unmap(DmaMapping mapping) {
        allocator.release(mapping);
    }

    @Override
    public List<DmaMapping> mappings() {
        return allocator.mappings();
    }

    /** Host bytes at {@code iova}, at most {@code maxLen} and not past the mapping's end; null if unmapped. */
    public MemorySegment resolve(long iova, long maxLen) {
        DmaMapping m = allocator.find(iova);
        if (m == null) {
            return null;
        }
        long off = iova - m.iova();
        return m.host().asSlice(off, Math.min(maxLen, m.size() - off));
    }

    /** Drops every mapping (device release). */
    public void clear() {
        for (DmaMapping m : allocator.mappings()) {
            allocator.release(m);
        }
    }
}
