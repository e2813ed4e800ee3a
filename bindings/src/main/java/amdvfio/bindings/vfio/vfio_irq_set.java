// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_irq_set {
 *     __u32 argsz;
 *     __u32 flags;
 *     __u32 index;
 *     __u32 start;
 *     __u32 count;
 *     __u8 data[];
 * }
 * }
 */
public class vfio_irq_set {

    vfio_irq_set() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("argsz"),
        vfio_h.C_INT.withName("flags"),
        vfio_h.C_INT.withName("index"),
        vfio_h.C_INT.withName("start"),
        vfio_h.C_INT.withName("count"),
        MemoryLayout.sequenceLayout(0, vfio_h.C_CHAR).withName("data")
    ).withName("vfio_irq_set");

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

    private static final OfInt start$LAYOUT = (OfInt) $LAYOUT.select(groupElement("start"));

    /** Layout of field {@snippet lang=c : __u32 start} */
    public static final OfInt start$layout() { return start$LAYOUT; }

    private static final long start$OFFSET = 12;

    /** Offset of field {@snippet lang=c : __u32 start} */
    public static final long start$offset() { return start$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 start} */
    public static int start(MemorySegment struct) { return struct.get(start$LAYOUT, start$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 start} */
    public static void start(MemorySegment struct, int fieldValue) { struct.set(start$LAYOUT, start$OFFSET, fieldValue); }

    private static final OfInt count$LAYOUT = (OfInt) $LAYOUT.select(groupElement("count"));

    /** Layout of field {@snippet lang=c : __u32 count} */
    public static final OfInt count$layout() { return count$LAYOUT; }

    private static final long count$OFFSET = 16;

    /** Offset of field {@snippet lang=c : __u32 count} */
    public static final long count$offset() { return count$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 count} */
    public static int count(MemorySegment struct) { return struct.get(count$LAYOUT, count$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 count} */
    public static void count(MemorySegment struct, int fieldValue) { struct.set(count$LAYOUT, count$OFFSET, fieldValue); }

    private static final long data$OFFSET = 20;

    /** Offset of the flexible array {@snippet lang=c : __u8 data[]} */
    public static final long data$offset() { return data$OFFSET; }

    /** Element {@code index} of the flexible array {@snippet lang=c : __u8 data[]} (the segment must be large enough) */
    public static byte data(MemorySegment struct, long index) { return struct.get(vfio_h.C_CHAR, data$OFFSET + index * 1); }

    /** Sets element {@code index} of the flexible array {@snippet lang=c : __u8 data[]} */
    public static void data(MemorySegment struct, long index, byte value) { struct.set(vfio_h.C_CHAR, data$OFFSET + index * 1, value); }

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
