package amdvfio.vfio;

/** A DMA mapping was asked for at an IOVA range that overlaps one already mapped. */
public class IovaOverlapException extends VfioException {

    private static final long serialVersionUID = 1L;

    public IovaOverlapException(long iova, long size, DmaMapping existing) {
        super(String.format("IOVA range [0x%x, 0x%x) overlaps the mapping at [0x%x, 0x%x); "
                        + "unmap that one first or let the allocator choose the IOVA",
                iova, iova + size, existing.iova(), existing.iova() + existing.size()));
    }
}
