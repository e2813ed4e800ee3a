// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_region_sparse_mmap_area {
 *     __u64 offset;
 *     __u64 size;
 * }
 * }
 */
public class vfio_region_sparse_mmap_area {

    vfio_region_sparse_mmap_area() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_LONG.withName("offset"),
        vfio_h.C_LONG.withName("size")
    ).withName("vfio_region_sparse_mmap_area");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfLong offset$LAYOUT = (OfLong) $LAYOUT.select(groupElement("offset"));

    /** Layout of field {@snippet lang=c : __u64 offset} */
    public static final OfLong offset$layout() { return offset$LAYOUT; }

    private static final long offset$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u64 offset} */
    public static final long offset$offset() { return offset$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 offset} */
    public static long offset(MemorySegment struct) { return struct.get(offset$LAYOUT, offset$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 offset} */
    public static void offset(MemorySegment struct, long fieldValue) { struct.set(offset$LAYOUT, offset$OFFSET, fieldValue); }

    private static final OfLong size$LAYOUT = (OfLong) $LAYOUT.select(groupElement("size"));

    /** Layout of field {@snippet lang=c : __u64 size} */
    public static final OfLong size$layout() { return size$LAYOUT; }

    private static final long size$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u64 size} */
    public static final long size$offset() { return size$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 size} */
    public static long size(MemorySegment struct) { return struct.get(size$LAYOUT, size$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 size} */
    public static void size(MemorySegment struct, long fieldValue) { struct.set(size$LAYOUT, size$OFFSET, fieldValue); }

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
