package amdvfio.os;

import amdvfio.bindings.libc.libc_h;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@code mmap}'d range that knows what it maps (descriptor, offset, length) and can be
 * replaced in place: {@link #replaceWithAnonymous()} and {@link #replaceWith} put new memory at
 * the same address with {@code MAP_FIXED}, which the kernel does atomically for concurrent
 * readers, so {@link #segment()} stays valid throughout. That is how device memory is rerouted
 * when the device goes away.
 *
 * <p>The segment lives in the global scope: it stays usable until {@link #close()} unmaps it,
 * and must not be touched after that. Closing is idempotent.
 */
public final class Mapping implements AutoCloseable {

    private final MemorySegment segment;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String backing;

    private Mapping(MemorySegment segment, String backing) {
        this.segment = segment;
        this.backing = backing;
    }

    /** Maps {@code length} bytes of {@code fd} at {@code offset}, shared, read-write. */
    public static Mapping map(Fd fd, long offset, long length) {
        MemorySegment seg = Syscalls.mmap(MemorySegment.NULL, length, libc_h.PROT_READ() | libc_h.PROT_WRITE(),
                libc_h.MAP_SHARED(), fd.value(), offset);
        return new Mapping(seg, fd.name() + "@0x" + Long.toHexString(offset));
    }

    /** Zero-filled private anonymous memory of {@code length} bytes. */
    public static Mapping anonymous(long length) {
        MemorySegment seg = Syscalls.mmap(MemorySegment.NULL, length, libc_h.PROT_READ() | libc_h.PROT_WRITE(),
                libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS(), -1, 0);
        return new Mapping(seg, "anonymous");
    }

    /**
     * Reserves {@code length} bytes of address space with no access ({@code PROT_NONE},
     * {@code MAP_NORESERVE}): an arena that later mappings are placed into with {@link #placeAt}.
     */
    public static Mapping reserve(long length) {
        MemorySegment seg = Syscalls.mmap(MemorySegment.NULL, length, libc_h.PROT_NONE(),
                libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS() | libc_h.MAP_NORESERVE(), -1, 0);
        return new Mapping(seg, "reserved");
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset} over {@code address} with
     * {@code MAP_FIXED} (inside a range this process owns, such as a {@link #reserve} arena).
     * The returned mapping does not own a separate range: closing it unmaps just its bytes.
     */
    public static Mapping placeAt(MemorySegment address, Fd fd, long offset, long length) {
        MemorySegment seg = Syscalls.mmap(address, length, libc_h.PROT_READ() | libc_h.PROT_WRITE(),
                libc_h.MAP_SHARED() | libc_h.MAP_FIXED(), fd.value(), offset);
        return new Mapping(seg, fd.name() + "@0x" + Long.toHexString(offset));
    }

    /** The mapped bytes; the same segment before and after a replacement. */
    public MemorySegment segment() {
        return segment;
    }

    public long address() {
        return segment.address();
    }

    public long length() {
        return segment.byteSize();
    }

    /** What backs the mapping now: "memfd:vram@0x0", "anonymous", ... */
    public String backing() {
        return backing;
    }

    /**
     * Replaces the mapping with zero-filled private anonymous memory at the same address. Readers
     * see either the old bytes or zeros, never a fault; the old backing is no longer referenced.
     */
    public void replaceWithAnonymous() {
        checkOpen();
        Syscalls.mmap(segment, segment.byteSize(), libc_h.PROT_READ() | libc_h.PROT_WRITE(),
                libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS() | libc_h.MAP_FIXED(), -1, 0);
        backing = "anonymous";
    }

    /** Replaces the mapping with {@code fd} at {@code offset}, shared, at the same address. */
    public void replaceWith(Fd fd, long offset) {
        checkOpen();
        Syscalls.mmap(segment, segment.byteSize(), libc_h.PROT_READ() | libc_h.PROT_WRITE(),
                libc_h.MAP_SHARED() | libc_h.MAP_FIXED(), fd.value(), offset);
        backing = fd.name() + "@0x" + Long.toHexString(offset);
    }

    public boolean isOpen() {
        return !closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("mapping at 0x" + Long.toHexString(address()) + " is already unmapped");
        }
    }

    /** Unmaps the range; later calls are no-ops. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Syscalls.munmap(segment, segment.byteSize());
        }
    }

    @Override
    public String toString() {
        return "Mapping[0x" + Long.toHexString(address()) + "+0x" + Long.toHexString(length()) + " " + backing + "]";
    }
}
