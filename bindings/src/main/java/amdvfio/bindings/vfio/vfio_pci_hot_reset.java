// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_pci_hot_reset {
 *     __u32 argsz;
 *     __u32 flags;
 *     __u32 count;
 *     __s32 group_fds[];
 * }
 * }
 */
public class vfio_pci_hot_reset {

    vfio_pci_hot_reset() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("argsz"),
        vfio_h.C_INT.withName("flags"),
        vfio_h.C_INT.withName("count"),
        MemoryLayout.sequenceLayout(0, vfio_h.C_INT).withName("group_fds")
    ).withName("vfio_pci_hot_reset");

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

    private static final OfInt count$LAYOUT = (OfInt) $LAYOUT.select(groupElement("count"));

    /** Layout of field {@snippet lang=c : __u32 count} */
    public static final OfInt count$layout() { return count$LAYOUT; }

    private static final long count$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u32 count} */
    public static final long count$offset() { return count$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 count} */
    public static int count(MemorySegment struct) { return struct.get(count$LAYOUT, count$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 count} */
    public static void count(MemorySegment struct, int fieldValue) { struct.set(count$LAYOUT, count$OFFSET, fieldValue); }

    private static final long group_fds$OFFSET = 12;

    /** Offset of the flexible array {@snippet lang=c : __s32 group_fds[]} */
    public static final long group_fds$offset() { return group_fds$OFFSET; }

    /** Element {@code index} of the flexible array {@snippet lang=c : __s32 group_fds[]} (the segment must be large enough) */
    public static int group_fds(MemorySegment struct, long index) { return struct.get(vfio_h.C_INT, group_fds$OFFSET + index * 4); }

    /** Sets element {@code index} of the flexible array {@snippet lang=c : __s32 group_fds[]} */
    public static void group_fds(MemorySegment struct, long index, int value) { struct.set(vfio_h.C_INT, group_fds$OFFSET + index * 4, value); }

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
