package amdvfio.vfio.kernel;

import java.util.List;

/**
 * What the Type1 IOMMU of a container supports (struct vfio_iommu_type1_info and its
 * VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE capability).
 *
 * @param pageSizes  bitmap of supported IOMMU page sizes (bit n: 2^n bytes), 0 when not reported
 * @param iovaRanges usable IOVA ranges; empty when the kernel does not report them (before 5.4)
 * @param dmaAvail   how many more DMA mappings the container accepts (VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
 *                   vfio_iommu_type1's {@code dma_entry_limit}, 65535 by default), or -1 when not reported
 */
public record IommuInfo(long pageSizes, List<IovaRange> iovaRanges, long dmaAvail) {

    public IommuInfo {
        iovaRanges = List.copyOf(iovaRanges);
    }

    /** Without a DMA_AVAIL capability (kernels before 5.10). */
    public IommuInfo(long pageSizes, List<IovaRange> iovaRanges) {
        this(pageSizes, iovaRanges, -1);
    }

    /** An inclusive IOVA range {@code [start, end]}, as the kernel reports it. */
    public record IovaRange(long start, long end) {
    }

    /** The smallest supported IOMMU page, or {@code fallback} when none is reported. */
    public long minPageSize(long fallback) {
        return pageSizes == 0 ? fallback : Long.lowestOneBit(pageSizes);
    }
}
