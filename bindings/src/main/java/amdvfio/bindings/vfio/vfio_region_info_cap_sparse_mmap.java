// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_region_info_cap_sparse_mmap {
 *     struct vfio_info_cap_header header;
 *     __u32 nr_areas;
 *     __u32 reserved;
 *     struct vfio_region_sparse_mmap_area areas[];
 * }
 * }
 */
public class vfio_region_info_cap_sparse_mmap {

    vfio_region_info_cap_sparse_mmap() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_info_cap_header.layout().withName("header"),
        vfio_h.C_INT.withName("nr_areas"),
        vfio_h.C_INT.withName("reserved"),
        MemoryLayout.sequenceLayout(0, vfio_region_sparse_mmap_area.layout()).withName("areas")
    ).withName("vfio_region_info_cap_sparse_mmap");

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

    private static final OfInt nr_areas$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nr_areas"));

    /** Layout of field {@snippet lang=c : __u32 nr_areas} */
    public static final OfInt nr_areas$layout() { return nr_areas$LAYOUT; }

    private static final long nr_areas$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u32 nr_areas} */
    public static final long nr_areas$offset() { return nr_areas$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 nr_areas} */
    public static int nr_areas(MemorySegment struct) { return struct.get(nr_areas$LAYOUT, nr_areas$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 nr_areas} */
    public static void nr_areas(MemorySegment struct, int fieldValue) { struct.set(nr_areas$LAYOUT, nr_areas$OFFSET, fieldValue); }

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

    private static final long areas$OFFSET = 16;

    /** Offset of the flexible array {@snippet lang=c : struct vfio_region_sparse_mmap_area areas[]} */
    public static final long areas$offset() { return areas$OFFSET; }

    /** Element {@code index} of the flexible array {@snippet lang=c : struct vfio_region_sparse_mmap_area areas[]}: a slice (the segment must be large enough) */
    public static MemorySegment areas(MemorySegment struct, long index) { return struct.asSlice(areas$OFFSET + index * vfio_region_sparse_mmap_area.sizeof(), vfio_region_sparse_mmap_area.sizeof()); }

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
