// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_iommu_type1_info_cap_iova_range {
 *     struct vfio_info_cap_header header;
 *     __u32 nr_iovas;
 *     __u32 reserved;
 *     struct vfio_iova_range iova_ranges[];
 * }
 * }
 */
public class vfio_iommu_type1_info_cap_iova_range {

    vfio_iommu_type1_info_cap_iova_range() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_info_cap_header.layout().withName("header"),
        vfio_h.C_INT.withName("nr_iovas"),
        vfio_h.C_INT.withName("reserved"),
        MemoryLayout.sequenceLayout(0, vfio_iova_range.layout()).withName("iova_ranges")
    ).withName("vfio_iommu_type1_info_cap_iova_range");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final GroupLayout header$LAYOUT = (GroupLayout) $LAYOUT.select(groupElement("header"));

    /** Layout of field {@snippet lang=c : struct vfio_info_cap_header header} */
    public static final GroupLayout header$layout() { return header$LAYOUT; }

    private static final long header$OFFSET = 0;

    /** Offset of field {@snippet lang=c : struct vfio_info_cap_header header} */
    public static final long header$offset() { return header$OFFSET; }

    /** Getter for field {@snippet lang=c : struct vfio_info_cap_header header}: a slice of the struct */
    public static MemorySegment header(MemorySegment struct) { return struct.asSlice(header$OFFSET, header$LAYOUT.byteSize()); }

    private static final OfInt nr_iovas$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nr_iovas"));

    /** Layout of field {@snippet lang=c : __u32 nr_iovas} */
    public static final OfInt nr_iovas$layout() { return nr_iovas$LAYOUT; }

    private static final long nr_iovas$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u32 nr_iovas} */
    public static final long nr_iovas$offset() { return nr_iovas$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 nr_iovas} */
    public static int nr_iovas(MemorySegment struct) { return struct.get(nr_iovas$LAYOUT, nr_iovas$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 nr_iovas} */
    public static void nr_iovas(MemorySegment struct, int fieldValue) { struct.set(nr_iovas$LAYOUT, nr_iovas$OFFSET, fieldValue); }

    private static final OfInt reserved$LAYOUT = (OfInt) $LAYOUT.select(groupElement("reserved"));

    /** Layout of field {@snippet lang=c : __u32 reserved} */
    public static final OfInt reserved$layout() { return reserved$LAYOUT; }

    private static final long reserved$OFFSET = 12;

    /** Offset of field {@snippet lang=c : __u32 reserved} */
    public static final long reserved$offset() { return reserved$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 reserved} */
    public static int reserved(MemorySegment struct) { return struct.get(reserved$LAYOUT, reserved$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 reserved} */
    public static void reserved(MemorySegment struct, int fieldValue) { struct.set(reserved$LAYOUT, reserved$OFFSET, fieldValue); }

    private static final long iova_ranges$OFFSET = 16;

    /** Offset of the flexible array {@snippet lang=c : struct vfio_iova_range iova_ranges[]} */
    public static final long iova_ranges$offset() { return iova_ranges$OFFSET; }

    /** Element {@code index} of the flexible array {@snippet lang=c : struct vfio_iova_range iova_ranges[]}: a slice (the segment must be large enough) */
    public static MemorySegment iova_ranges(MemorySegment struct, long index) { return struct.asSlice(iova_ranges$OFFSET + index * vfio_iova_range.sizeof(), vfio_iova_range.sizeof()); }

    /** The size (in bytes) of this struct */
    public static long sizeof() { return layout().byteSize(); }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator} */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate(layout()); }

    /** Allocate an array of size {@code elementCount} using {@code allocator} */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any) */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize(), arena, cleanup);
    }
}
