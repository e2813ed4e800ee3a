package amdvfio.vfio;

import java.util.List;

/**
 * One region of a device (struct vfio_region_info plus its sparse-mmap capability): a BAR, the
 * ROM, the config space. {@code fdOffset} is where the region starts in the device descriptor.
 * When {@code sparseAreas} is not empty, only those ranges of the region may be mmap'd.
 */
public record RegionInfo(int index, long size, long fdOffset, boolean readable, boolean writable,
                         boolean mappable, List<SparseArea> sparseAreas) {

    public static final int BAR0 = 0;
    public static final int BAR2 = 2;
    public static final int BAR5 = 5;
    public static final int ROM = 6;
    public static final int CONFIG = 7;
    public static final int VGA = 8;

    public RegionInfo {
        sparseAreas = List.copyOf(sparseAreas);
    }

    /** A range of a region that may be mmap'd (struct vfio_region_sparse_mmap_area). */
    public record SparseArea(long offset, long size) {
    }

    public boolean present() {
        return size > 0;
    }

    /** True when {@code [offset, offset+length)} may be mmap'd. */
    public boolean canMap(long offset, long length) {
        if (!mappable || offset < 0 || length <= 0 || offset + length > size) {
            return false;
        }
        if (sparseAreas.isEmpty()) {
            return true;
        }
        for (SparseArea a : sparseAreas) {
            if (offset >= a.offset() && offset + length <= a.offset() + a.size()) {
                return true;
            }
        }
        return false;
    }
}
