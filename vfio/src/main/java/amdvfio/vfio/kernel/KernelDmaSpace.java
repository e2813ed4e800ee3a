package amdvfio.vfio.kernel;

import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;

import amdvfio.os.Errno;
import amdvfio.os.SyscallException;
import amdvfio.vfio.DmaLimitException;
import amdvfio.vfio.VfioException;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * DMA through the container's Type1v2 IOMMU: the shared {@link IovaAllocator} chooses and
 * records IOVAs, {@code VFIO_IOMMU_MAP_DMA/UNMAP_DMA} make them real. The allocator's record
 * is taken first and given back if the kernel refuses, so the two never disagree.
 *
 * <p>The container allows {@code dma_avail} more mappings (read from the IOMMU info at open;
 * this container is ours alone, so the count is ours): past it the kernel answers ENOSPC, which
 * becomes a {@link DmaLimitException} before the ioctl is even made. An unmap must remove
 * exactly the bytes mapped: the kernel returns the count, and anything else means the
 * allocator and the kernel disagree.
 *
 * <p>Threading: any thread (the allocator is synchronised, the kernel serialises the ioctls).
 */
final class KernelDmaSpace implements DmaSpace {

    private final DmaOps container;
    private final IovaAllocator iovas;
    private final long mappingLimit;

    /** The two ioctls, so the book-keeping can be tested without a kernel. */
    interface DmaOps {
        void mapDma(long vaddr, long iova, long size);

        /** Returns the bytes the kernel unmapped. */
        long unmapDma(long iova, long size);
    }

    /**
     * @param mappingLimit the container's {@code dma_avail} at open (no mapping made yet), or -1 when unknown
     */
    KernelDmaSpace(DmaOps container, IovaAllocator iovas, long mappingLimit) {
        this.container = container;
        this.iovas = iovas;
        this.mappingLimit = mappingLimit;
    }

    /** The container's mapping limit, or -1 when the kernel does not report it. */
    long mappingLimit() {
        return mappingLimit;
    }

    @Override
    public DmaMapping map(MemorySegment host) {
        return commit(iovas.allocate(host));
    }

    @Override
    public DmaMapping mapAt(MemorySegment host, long iova) {
        return commit(iovas.place(host, iova));
    }

    private DmaMapping commit(DmaMapping m) {
        try {
            int count = iovas.count();
            if (mappingLimit >= 0 && count > mappingLimit) {
                throw new DmaLimitException(mappingLimit, count - 1);
            }
            container.mapDma(m.host().address(), m.iova(), m.size());
            return m;
        } catch (SyscallException e) {
            iovas.release(m);
            if (e.is(Errno.ENOSPC)) {
                throw new DmaLimitException(mappingLimit, iovas.count());
            }
            throw VfioErrors.mappingDma(m.iova(), m.size(), e);
        } catch (RuntimeException e) {
            iovas.release(m);
            throw e;
        }
    }

    @Override
    public void unmap(DmaMapping mapping) {
        if (iovas.release(mapping)) {
            long unmapped = container.unmapDma(mapping.iova(), mapping.size());
            if (unmapped != mapping.size()) {
                throw new VfioException(String.format("VFIO_IOMMU_UNMAP_DMA of IOVA [0x%x, 0x%x) unmapped 0x%x bytes, not "
                        + "0x%x: the kernel's mappings and ours disagree (was the range mapped by someone else, or in parts?)",
                        mapping.iova(), mapping.iova() + mapping.size(), unmapped, mapping.size()));
            }
        }
    }

    @Override
    public List<DmaMapping> mappings() {
        return iovas.mappings();
    }

    /** Unmaps everything, ignoring failures (the container going away drops them anyway). */
    void unmapAll() {
        for (DmaMapping m : iovas.mappings()) {
            iovas.release(m);
            try {
                container.unmapDma(m.iova(), m.size());
            } catch (RuntimeException ignored) {
                // closing the container releases the pinning regardless
            }
        }
    }
}
