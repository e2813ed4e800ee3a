// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_iova_range {
 *     __u64 start;
 *     __u64 end;
 * }
 * }
 */
public class vfio_iova_range {

    vfio_iova_range() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_LONG.withName("start"),
        vfio_h.C_LONG.withName("end")
    ).withName("vfio_iova_range");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfLong start$LAYOUT = (OfLong) $LAYOUT.select(groupElement("start"));

    /** Layout of field {@snippet lang=c : __u64 start} */
    public static final OfLong start$layout() { return start$LAYOUT; }

    private static final long start$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u64 start} */
    public static final long start$offset() { return start$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 start} */
    public static long start(MemorySegment struct) { return struct.get(start$LAYOUT, start$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 start} */
    public static void start(MemorySegment struct, long fieldValue) { struct.set(start$LAYOUT, start$OFFSET, fieldValue); }

    private static final OfLong end$LAYOUT = (OfLong) $LAYOUT.select(groupElement("end"));

    /** Layout of field {@snippet lang=c : __u64 end} */
    public static final OfLong end$layout() { return end$LAYOUT; }

    private static final long end$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u64 end} */
    public static final long end$offset() { return end$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 end} */
    public static long end(MemorySegment struct) { return struct.get(end$LAYOUT, end$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 end} */
    public static void end(MemorySegment struct, long fieldValue) { struct.set(end$LAYOUT, end$OFFSET, fieldValue); }

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
