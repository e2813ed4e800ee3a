// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_info_cap_header {
 *     __u16 id;
 *     __u16 version;
 *     __u32 next;
 * }
 * }
 */
public class vfio_info_cap_header {

    vfio_info_cap_header() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_SHORT.withName("id"),
        vfio_h.C_SHORT.withName("version"),
        vfio_h.C_INT.withName("next")
    ).withName("vfio_info_cap_header");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfShort id$LAYOUT = (OfShort) $LAYOUT.select(groupElement("id"));

    /** Layout of field {@snippet lang=c : __u16 id} */
    public static final OfShort id$layout() { return id$LAYOUT; }

    private static final long id$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u16 id} */
    public static final long id$offset() { return id$OFFSET; }

    /** Getter for field {@snippet lang=c : __u16 id} */
    public static short id(MemorySegment struct) { return struct.get(id$LAYOUT, id$OFFSET); }

    /** Setter for field {@snippet lang=c : __u16 id} */
    public static void id(MemorySegment struct, short fieldValue) { struct.set(id$LAYOUT, id$OFFSET, fieldValue); }

    private static final OfShort version$LAYOUT = (OfShort) $LAYOUT.select(groupElement("version"));

    /** Layout of field {@snippet lang=c : __u16 version} */
    public static final OfShort version$layout() { return version$LAYOUT; }

    private static final long version$OFFSET = 2;

    /** Offset of field {@snippet lang=c : __u16 version} */
    public static final long version$offset() { return version$OFFSET; }

    /** Getter for field {@snippet lang=c : __u16 version} */
    public static short version(MemorySegment struct) { return struct.get(version$LAYOUT, version$OFFSET); }

    /** Setter for field {@snippet lang=c : __u16 version} */
    public static void version(MemorySegment struct, short fieldValue) { struct.set(version$LAYOUT, version$OFFSET, fieldValue); }

    private static final OfInt next$LAYOUT = (OfInt) $LAYOUT.select(groupElement("next"));

    /** Layout of field {@snippet lang=c : __u32 next} */
    public static final OfInt next$layout() { return next$LAYOUT; }

    private static final long next$OFFSET = 4;

    /** Offset of field {@snippet lang=c : __u32 next} */
    public static final long next$offset() { return next$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 next} */
    public static int next(MemorySegment struct) { return struct.get(next$LAYOUT, next$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 next} */
    public static void next(MemorySegment struct, int fieldValue) { struct.set(next$LAYOUT, next$OFFSET, fieldValue); }

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
