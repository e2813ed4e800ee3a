package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_h;
import amdvfio.bindings.vfio.vfio_info_cap_header;
import amdvfio.bindings.vfio.vfio_iommu_type1_info;
import amdvfio.bindings.vfio.vfio_iommu_type1_info_cap_iova_range;
import amdvfio.bindings.vfio.vfio_iova_range;
import amdvfio.bindings.vfio.vfio_region_info;
import amdvfio.bindings.vfio.vfio_region_info_cap_sparse_mmap;
import amdvfio.bindings.vfio.vfio_region_sparse_mmap_area;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the info structs VFIO returns, including their capability chains: a list of
 * {@code struct vfio_info_cap_header {u16 id; u16 version; u32 next;}} where {@code next} is the
 * offset of the next header from the start of the whole buffer, 0 at the end (linux/vfio.h,
 * "Capability chain"). Pure functions over a segment, so they are tested with hand-built buffers.
 */
final class VfioInfoParser {

    /** Far more than any kernel returns: guards against a malformed loop in the chain. */
    private static final int MAX_CAPS = 64;

    /** linux/vfio.h (5.10+): {@code #define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL 3}; not in our jextract set. */
    static final int VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;
    private static final long DMA_AVAIL_OFFSET = 8;
    private static final long DMA_AVAIL_SIZE = 12;

    private VfioInfoParser() {
    }

    /** Region info from a buffer the kernel filled (argsz may exceed the struct when caps follow). */
    static RegionInfo regionInfo(MemorySegment buf) {
        int flags = vfio_region_info.flags(buf);
        List<RegionInfo.SparseArea> sparse = new ArrayList<>();
        if ((flags & vfio_h.VFIO_REGION_INFO_FLAG_CAPS()) != 0) {
            int at = vfio_region_info.cap_offset(buf);
            for (int n = 0; at != 0; n++) {
                MemorySegment cap = capAt(buf, at, n, "region");
                if (Short.toUnsignedInt(vfio_info_cap_header.id(cap)) == vfio_h.VFIO_REGION_INFO_CAP_SPARSE_MMAP()) {
                    MemorySegment sp = slice(buf, at, vfio_region_info_cap_sparse_mmap.sizeof(), "sparse mmap capability");
                    int areas = vfio_region_info_cap_sparse_mmap.nr_areas(sp);
                    long first = vfio_region_info_cap_sparse_mmap.areas$offset();
                    for (int i = 0; i < areas; i++) {
                        MemorySegment a = slice(buf, at + first + i * vfio_region_sparse_mmap_area.sizeof(),
                                vfio_region_sparse_mmap_area.sizeof(), "sparse mmap area");
                        sparse.add(new RegionInfo.SparseArea(vfio_region_sparse_mmap_area.offset(a),
                                vfio_region_sparse_mmap_area.size(a)));
                    }
                }
                at = vfio_info_cap_header.next(cap);
            }
        }
        return new RegionInfo(vfio_region_info.index(buf), vfio_region_info.size(buf), vfio_region_info.offset(buf),
                (flags & vfio_h.VFIO_REGION_INFO_FLAG_READ()) != 0, (flags & vfio_h.VFIO_REGION_INFO_FLAG_WRITE()) != 0,
                (flags & vfio_h.VFIO_REGION_INFO_FLAG_MMAP()) != 0, sparse);
    }

    /** IOMMU info from a buffer the kernel filled. */
    static IommuInfo iommuInfo(MemorySegment buf) {
        int flags = vfio_iommu_type1_info.flags(buf);
        long pageSizes = (flags & vfio_h.VFIO_IOMMU_INFO_PGSIZES()) != 0 ? vfio_iommu_type1_info.iova_pgsizes(buf) : 0;
        List<IommuInfo.IovaRange> ranges = new ArrayList<>();
        long dmaAvail = -1;
        if ((flags & vfio_h.VFIO_IOMMU_INFO_CAPS()) != 0) {
            int at = vfio_iommu_type1_info.cap_offset(buf);
            for (int n = 0; at != 0; n++) {
                MemorySegment cap = capAt(buf, at, n, "iommu");
                if (Short.toUnsignedInt(vfio_info_cap_header.id(cap)) == vfio_h.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE()) {
                    MemorySegment rc = slice(buf, at, vfio_iommu_type1_info_cap_iova_range.sizeof(), "iova range capability");
                    int count = vfio_iommu_type1_info_cap_iova_range.nr_iovas(rc);
                    long first = vfio_iommu_type1_info_cap_iova_range.iova_ranges$offset();
                    for (int i = 0; i < count; i++) {
                        MemorySegment r = slice(buf, at + first + i * vfio_iova_range.sizeof(), vfio_iova_range.sizeof(),
                                "iova range");
                        ranges.add(new IommuInfo.IovaRange(vfio_iova_range.start(r), vfio_iova_range.end(r)));
                    }
                } else if (Short.toUnsignedInt(vfio_info_cap_header.id(cap)) == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
                    // struct vfio_iommu_type1_info_dma_avail { header; __u32 avail; }
                    dmaAvail = Integer.toUnsignedLong(slice(buf, at, DMA_AVAIL_SIZE, "dma avail capability")
                            .get(java.lang.foreign.ValueLayout.JAVA_INT, DMA_AVAIL_OFFSET));
                }
                at = vfio_info_cap_header.next(cap);
            }
        }
        return new IommuInfo(pageSizes, ranges, dmaAvail);
    }

    private static MemorySegment capAt(MemorySegment buf, int at, int n, String what) {
        if (n >= MAX_CAPS) {
            throw new VfioException("the kernel's " + what + " capability chain has more than " + MAX_CAPS
                    + " entries (a loop?); this is a kernel/ABI mismatch");
        }
        return slice(buf, Integer.toUnsignedLong(at), vfio_info_cap_header.sizeof(), what + " capability");
    }

    private static MemorySegment slice(MemorySegment buf, long at, long size, String what) {
        if (at < 0 || at + size > buf.byteSize()) {
            throw new VfioException(String.format("%s at 0x%x (+0x%x) lies outside the 0x%x-byte info buffer: "
                    + "kernel/ABI mismatch", what, at, size, buf.byteSize()));
        }
        MemorySegment s = buf.asSlice(at, size);
        if (s.address() % 8 != 0) {
            // Linux before 6.6 packs capabilities without padding: on 6.1 the 12-byte DMA_AVAIL
            // capability puts the IOVA-range one at a 4-mod-8 offset, and the jextract accessors'
            // aligned u64 layouts refuse it. Read such a capability from an aligned copy.
            s = Arena.ofAuto().allocate(size, 8).copyFrom(s);
        }
        return s;
    }
}
