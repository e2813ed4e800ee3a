// Written in jextract's output shape for <sys/epoll.h>; proven against the C compiler by StructLayoutTest.
package amdvfio.bindings.libc;

import java.lang.foreign.*;
import java.lang.foreign.ValueLayout.*;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct epoll_event {
 *     uint32_t events;
 *     epoll_data_t data; // union; we use the u64 member
 * } __attribute__((packed))
 * }
 */
public class epoll_event {

    epoll_event() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        libc_h.C_INT.withName("events"),
        libc_h.C_LONG_UNALIGNED.withName("data")
    ).withName("epoll_event");

    /** The layout of this struct */
    public static final GroupLayout layout() { return $LAYOUT; }

    private static final OfInt events$LAYOUT = (OfInt) $LAYOUT.select(groupElement("events"));

    /** Layout of field {@snippet lang=c : __u32 events} */
    public static final OfInt events$layout() { return events$LAYOUT; }

    private static final long events$OFFSET = 0;

    /** Offset of field {@snippet lang=c : __u32 events} */
    public static final long events$offset() { return events$OFFSET; }

    /** Getter for field {@snippet lang=c : __u32 events} */
    public static int events(MemorySegment struct) { return struct.get(events$LAYOUT, events$OFFSET); }

    /** Setter for field {@snippet lang=c : __u32 events} */
    public static void events(MemorySegment struct, int fieldValue) { struct.set(events$LAYOUT, events$OFFSET, fieldValue); }

    private static final OfLong data$LAYOUT = (OfLong) $LAYOUT.select(groupElement("data"));

    /** Layout of field {@snippet lang=c : __u64 data} */
    public static final OfLong data$layout() { return data$LAYOUT; }

    private static final long data$OFFSET = 4;

    /** Offset of field {@snippet lang=c : __u64 data} */
    public static final long data$offset() { return data$OFFSET; }

    /** Getter for field {@snippet lang=c : __u64 data} */
    public static long data(MemorySegment struct) { return struct.get(data$LAYOUT, data$OFFSET); }

    /** Setter for field {@snippet lang=c : __u64 data} */
    public static void data(MemorySegment struct, long fieldValue) { struct.set(data$LAYOUT, data$OFFSET, fieldValue); }

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
