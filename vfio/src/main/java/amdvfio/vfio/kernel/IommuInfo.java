package amdvfio.vfio.kernel;

import java.util.List;

/**
 * What the Type1 IOMMU of a container supports (struct vfio_iommu_type1_info and its
 * VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE capability).
 *
 * @param pageSizes  bitmap of supported IOMMU page sizes (bit n: 2^n bytes), 0 when not reported
 * @param iovaRanges usable IOVA ranges; empty when the kernel does not report them (before 5.4)
 */
public record IommuInfo(long pageSizes, List<IovaRange> iovaRanges) {

    public IommuInfo {
        iovaRanges = List.copyOf(iovaRanges);
    }

    /** An inclusive IOVA range {@code [start, end]}, as the kernel reports it. */
    public record IovaRange(long start, long end) {
    }

    /** The smallest supported IOMMU page, or {@code fallback} when none is reported. */
    public long minPageSize(long fallback) {
        return pageSizes == 0 ? fallback : Long.lowestOneBit(pageSizes);
    }
}
