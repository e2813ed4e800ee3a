// Written in jextract's output shape for <linux/vfio.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct vfio_iommu_type1_dma_unmap {
 *     __u32 argsz;
 *     __u32 flags;
 *     __u64 iova;
 *     __u64 size;
 *     __u8 data[];
 * }
 * }
 */
public class vfio_iommu_type1_dma_unmap {

    vfio_iommu_type1_dma_unmap() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        vfio_h.C_INT.withName("argsz"),
        vfio_h.C_INT.withName("flags"),
        vfio_h.C_LONG.withName("iova"),
        vfio_h.C_LONG.withName("size"),
        MemoryLayout.sequenceLayout(0, vfio_h.C_CHAR).withName("data")
    ).withName("vfio_iommu_type1_dma_unmap");

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

    private static final OfLong iova$LAYOUT = (OfLong) $LAYOUT.select(groupElement("iova"));

    /** Layout of field {@snippet lang=c : __u64 iova} */
    public static final OfLong iova$layout() { return iova$LAYOUT; }

    private static final long iova$OFFSET = 8;

    /** Offset of field {@snippet lang=c : __u64 iova} */
    public static final long iova$offset() { return iova$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 iova} */
    public static long iova(MemorySegment struct) { return struct.get(iova$LAYOUT, iova$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 iova} */
    public static void iova(MemorySegment struct, long fieldValue) { struct.set(iova$LAYOUT, iova$OFFSET, fieldValue); }

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

    private static final long data$OFFSET = 24;

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
