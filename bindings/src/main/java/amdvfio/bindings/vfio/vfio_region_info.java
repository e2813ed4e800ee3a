// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_region_info {
 *     __u32 argsz;
 *     __u32 flags;
 *     __u32 index;
 *     __u32 cap_offset;
 *     __u64 size;
 *     __u64 offset;
 * }
 * }
 */
public class vfio_region_info {

    vfio_region_info() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("argsz"),
        vfio_h.C_INT.withName("flags"),
        vfio_h.C_INT.withName("index"),
        vfio_h.C_INT.withName("cap_offset"),
        vfio_h.C_LONG.withName("size"),
        vfio_h.C_LONG.withName("offset")
    ).withName("vfio_region_info");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfInt argsz$LAYOUT = (OfInt) $LAYOUT.select(groupElement("argsz"));

    /** Layout of field {@snippet lang=c : __u32 argsz} */
    public static final OfInt argsz$layout() { return argsz$LAYOUT; }

    private static final long argsz$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u32 argsz} */
    public static final long argsz$offset() { return argsz$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 argsz} */
    public static int argsz(MemorySegment struct) { return struct.get(argsz$LAYOUT, argsz$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 argsz} */
    public static void argsz(MemorySegment struct, int fieldValue) { struct.set(argsz$LAYOUT, argsz$OFFSET, fieldValue); }

    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));

    /** Layout of field {@snippet lang=c : __u32 flags} */
    public static final OfInt flags$layout() { return flags$LAYOUT; }

    private static final long flags$OFFSET = 4;

    /** Offset of field {@snippet lang=c : __u32 flags} */
    public static final long flags$offset() { return flags$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 flags} */
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 flags} */
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final OfInt index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("index"));

    /** Layout of field {@snippet lang=c : __u32 index} */
    public static final OfInt index$layout() { return index$LAYOUT; }

    private static final long index$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u32 index} */
    public static final long index$offset() { return index$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 index} */
    public static int index(MemorySegment struct) { return struct.get(index$LAYOUT, index$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 index} */
    public static void index(MemorySegment struct, int fieldValue) { struct.set(index$LAYOUT, index$OFFSET, fieldValue); }

    private static final OfInt cap_offset$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cap_offset"));

    /** Layout of field {@snippet lang=c : __u32 cap_offset} */
    public static final OfInt cap_offset$layout() { return cap_offset$LAYOUT; }

    private static final long cap_offset$OFFSET = 12;

    /** Offset of field {@snippet lang=c : __u32 cap_offset} */
    public static final long cap_offset$offset() { return cap_offset$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 cap_offset} */
    public static int cap_offset(MemorySegment struct) { return struct.get(cap_offset$LAYOUT, cap_offset$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 cap_offset} */
    public static void cap_offset(MemorySegment struct, int fieldValue) { struct.set(cap_offset$LAYOUT, cap_offset$OFFSET, fieldValue); }

    private static final OfLong size$LAYOUT = (OfLong) $LAYOUT.select(groupElement("size"));

    /** Layout of field {@snippet lang=c : __u64 size} */
    public static final OfLong size$layout() { return size$LAYOUT; }

    private static final long size$OFFSET = 16;

    /** Offset of field {@snippet lang=c : __u64 size} */
    public static final long size$offset() { return size$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 size} */
    public static long size(MemorySegment struct) { return struct.get(size$LAYOUT, size$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 size} */
    public static void size(MemorySegment struct, long fieldValue) { struct.set(size$LAYOUT, size$OFFSET, fieldValue); }

    private static final OfLong offset$LAYOUT = (OfLong) $LAYOUT.select(groupElement("offset"));

    /** Layout of field {@snippet lang=c : __u64 offset} */
    public static final OfLong offset$layout() { return offset$LAYOUT; }

    private static final long offset$OFFSET = 24;

    /** Offset of field {@snippet lang=c : __u64 offset} */
    public static final long offset$offset() { return offset$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 offset} */
    public static long offset(MemorySegment struct) { return struct.get(offset$LAYOUT, offset$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 offset} */
    public static void offset(MemorySegment struct, long fieldValue) { struct.set(offset$LAYOUT, offset$OFFSET, fieldValue); }

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
