package amdvfio.vfio;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The device's view of host memory through the IOMMU (VFIO_IOMMU_MAP_DMA / UNMAP_DMA). Host
 * segments must be page-aligned and a whole number of pages. The device can reach host memory
 * only through these mappings: anything else is an IOMMU fault.
 */
public interface DmaSpace {

    /** Maps {@code host} at an IOVA chosen by the allocator (page-aligned, first fit). */
    DmaMapping map(MemorySegment host);

    /**
     * Maps {@code host} at {@code iova}.
     *
     * @throws IovaOverlapException if the range overlaps an existing mapping
     */
    DmaMapping mapAt(MemorySegment host, long iova);

    /** Removes {@code mapping}; the IOVA range becomes free again. */
    void unmap(DmaMapping mapping);

    /** The current mappings, by IOVA. */
    List<DmaMapping> mappings();
}
