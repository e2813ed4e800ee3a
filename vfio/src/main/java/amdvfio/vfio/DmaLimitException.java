package amdvfio.vfio;

/**
 * The container accepts no more DMA mappings: vfio_iommu_type1 counts one entry per
 * {@code VFIO_IOMMU_MAP_DMA} against its {@code dma_entry_limit} (65535 by default) and answers
 * ENOSPC past it (drivers/vfio/vfio_iommu_type1.c, vfio_dma_do_map).
 */
public class DmaLimitException extends VfioException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public DmaLimitException(long limit, int mappings) {
        super("the kernel's VFIO DMA mapping limit is reached: " + mappings + " mappings of " + limit
                + " allowed (vfio_iommu_type1 dma_entry_limit); map fewer, larger buffers, or raise it: "
                + "modprobe vfio_iommu_type1 dma_entry_limit=<n> (or /sys/module/vfio_iommu_type1/parameters/dma_entry_limit)");
        this.limit = limit;
    }

    /** How many mappings the container allows in all. */
    public long limit() {
        return limit;
    }
}
