package amdvfio.vfio.kernel;

import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * DMA through the container's Type1v2 IOMMU: the shared {@link IovaAllocator} chooses and
 * records IOVAs, {@code VFIO_IOMMU_MAP_DMA/UNMAP_DMA} make them real. The allocator's record
 * is taken first and given back if the kernel refuses, so the two never disagree.
 *
 * <p>Threading: any thread (the allocator is synchronised, the kernel serialises the ioctls).
 */
final class KernelDmaSpace implements DmaSpace {

    private final VfioContainer container;
    private final IovaAllocator iovas;

    KernelDmaSpace(VfioContainer container, IovaAllocator iovas) {
        this.container = container;
        this.iovas = iovas;
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
            container.mapDma(m.host().address(), m.iova(), m.size());
            return m;
        } catch (RuntimeException e) {
            iovas.release(m);
            throw e;
        }
    }

    @Override
    public void unmap(DmaMapping mapping) {
        if (iovas.release(mapping)) {
            container.unmapDma(mapping.iova(), mapping.size());
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
