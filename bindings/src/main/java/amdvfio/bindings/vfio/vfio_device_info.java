// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_device_info {
 *     __u32 argsz;
 *     __u32 flags;
 *     __u32 num_regions;
 *     __u32 num_irqs;
 *     __u32 cap_offset;
 * }
 * }
 */
public class vfio_device_info {

    vfio_device_info() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("argsz"),
        vfio_h.C_INT.withName("flags"),
        vfio_h.C_INT.withName("num_regions"),
        vfio_h.C_INT.withName("num_irqs"),
        vfio_h.C_INT.withName("cap_offset")
    ).withName("vfio_device_info");

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

    private static final OfInt num_regions$LAYOUT = (OfInt) $LAYOUT.select(groupElement("num_regions"));

    /** Layout of field {@snippet lang=c : __u32 num_regions} */
    public static final OfInt num_regions$layout() { return num_regions$LAYOUT; }

    private static final long num_regions$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u32 num_regions} */
    public static final long num_regions$offset() { return num_regions$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 num_regions} */
    public static int num_regions(MemorySegment struct) { return struct.get(num_regions$LAYOUT, num_regions$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 num_regions} */
    public static void num_regions(MemorySegment struct, int fieldValue) { struct.set(num_regions$LAYOUT, num_regions$OFFSET, fieldValue); }

    private static final OfInt num_irqs$LAYOUT = (OfInt) $LAYOUT.select(groupElement("num_irqs"));

    /** Layout of field {@snippet lang=c : __u32 num_irqs} */
    public static final OfInt num_irqs$layout() { return num_irqs$LAYOUT; }

    private static final long num_irqs$OFFSET = 12;

    /** Offset of field {@snippet lang=c : __u32 num_irqs} */
    public static final long num_irqs$offset() { return num_irqs$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 num_irqs} */
    public static int num_irqs(MemorySegment struct) { return struct.get(num_irqs$LAYOUT, num_irqs$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 num_irqs} */
    public static void num_irqs(MemorySegment struct, int fieldValue) { struct.set(num_irqs$LAYOUT, num_irqs$OFFSET, fieldValue); }

    private static final OfInt cap_offset$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cap_offset"));

    /** Layout of field {@snippet lang=c : __u32 cap_offset} */
    public static final OfInt cap_offset$layout() { return cap_offset$LAYOUT; }

    private static final long cap_offset$OFFSET = 16;

    /** Offset of field {@snippet lang=c : __u32 cap_offset} */
    public static final long cap_offset$offset() { return cap_offset$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 cap_offset} */
    public static int cap_offset(MemorySegment struct) { return struct.get(cap_offset$LAYOUT, cap_offset$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 cap_offset} */
    public static void cap_offset(MemorySegment struct, int fieldValue) { struct.set(cap_offset$LAYOUT, cap_offset$OFFSET, fieldValue); }

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
