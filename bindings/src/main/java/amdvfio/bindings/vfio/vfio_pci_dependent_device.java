// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_pci_dependent_device {
 *     __u32 group_id;
 *     __u16 segment;
 *     __u8 bus;
 *     __u8 devfn;
 * }
 * }
 */
public class vfio_pci_dependent_device {

    vfio_pci_dependent_device() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("group_id"),
        vfio_h.C_SHORT.withName("segment"),
        vfio_h.C_CHAR.withName("bus"),
        vfio_h.C_CHAR.withName("devfn")
    ).withName("vfio_pci_dependent_device");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfInt group_id$LAYOUT = (OfInt) $LAYOUT.select(groupElement("group_id"));

    /** Layout of field {@snippet lang=c : __u32 group_id} */
    public static final OfInt group_id$layout() { return group_id$LAYOUT; }

    private static final long group_id$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u32 group_id} */
    public static final long group_id$offset() { return group_id$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 group_id} */
    public static int group_id(MemorySegment struct) { return struct.get(group_id$LAYOUT, group_id$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 group_id} */
    public static void group_id(MemorySegment struct, int fieldValue) { struct.set(group_id$LAYOUT, group_id$OFFSET, fieldValue); }

    private static final OfShort segment$LAYOUT = (OfShort) $LAYOUT.select(groupElement("segment"));

    /** Layout of field {@snippet lang=c : __u16 segment} */
    public static final OfShort segment$layout() { return segment$LAYOUT; }

    private static final long segment$OFFSET = 4;

    /** Offset of field {@snippet lang=c : __u16 segment} */
    public static final long segment$offset() { return segment$OFFSET; }

    /** Getter for field {@snippet lang=c : __u16 segment} */
    public static short segment(MemorySegment struct) { return struct.get(segment$LAYOUT, segment$OFFSET); }

    /** Setter for field {@snippet lang=c : __u16 segment} */
    public static void segment(MemorySegment struct, short fieldValue) { struct.set(segment$LAYOUT, segment$OFFSET, fieldValue); }

    private static final OfByte bus$LAYOUT = (OfByte) $LAYOUT.select(groupElement("bus"));

    /** Layout of field {@snippet lang=c : __u8 bus} */
    public static final OfByte bus$layout() { return bus$LAYOUT; }

    private static final long bus$OFFSET = 6;

    /** Offset of field {@snippet lang=c : __u8 bus} */
    public static final long bus$offset() { return bus$OFFSET; }

    /** Getter for field {@snippet lang=c : __u8 bus} */
    public static byte bus(MemorySegment struct) { return struct.get(bus$LAYOUT, bus$OFFSET); }

    /** Setter for field {@snippet lang=c : __u8 bus} */
    public static void bus(MemorySegment struct, byte fieldValue) { struct.set(bus$LAYOUT, bus$OFFSET, fieldValue); }

    private static final OfByte devfn$LAYOUT = (OfByte) $LAYOUT.select(groupElement("devfn"));

    /** Layout of field {@snippet lang=c : __u8 devfn} */
    public static final OfByte devfn$layout() { return devfn$LAYOUT; }

    private static final long devfn$OFFSET = 7;

    /** Offset of field {@snippet lang=c : __u8 devfn} */
    public static final long devfn$offset() { return devfn$OFFSET; }

    /** Getter for field {@snippet lang=c : __u8 devfn} */
    public static byte devfn(MemorySegment struct) { return struct.get(devfn$LAYOUT, devfn$OFFSET); }

    /** Setter for field {@snippet lang=c : __u8 devfn} */
    public static void devfn(MemorySegment struct, byte fieldValue) { struct.set(devfn$LAYOUT, devfn$OFFSET, fieldValue); }

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
