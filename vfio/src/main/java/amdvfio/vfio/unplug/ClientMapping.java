package amdvfio.vfio.unplug;

import amdvfio.os.Fd;

import java.lang.foreign.MemorySegment;

/**
 * One client mapping of device memory, made by a {@link MappingOwner} inside its arena. Its
 * {@link #segment()} stays valid and at the same address through a reroute — only what backs it
 * changes — until the mapping (or its owner) is closed; after close it must not be touched.
 *
 * <p>Threading: the segment may be read and written from any thread at any time, a reroute
 * included. State changes happen under the owner's monitor; {@link #backing()} and the reroute
 * result are published by a volatile write and may be read from any thread.
 */
public final class ClientMapping implements AutoCloseable {

    /** What backs the mapping now. */
    public enum Backing {
        /** The device's memory (a BAR through the device fd, or the simulator's memfd). */
        DEVICE,
        /** A host copy of the contents, given by the driver (orderly removal). */
        HOST_COPY,
        /** Dummy memory per the table's {@link DummyPolicy}: reads and writes complete, content undefined. */
        DUMMY,
        /** Closed: the range is an inaccessible reservation again. */
        UNMAPPED
    }

    private final MappingOwner owner;
    final AddressArena arena;
    private final MemorySegment segment;
    final long reservedLength;
    private volatile Backing backing;
    // reroute target for an orderly removal (guarded by owner)
    Fd hostCopy;
    long hostCopyOffset;
    // reroute result (written under owner, published by the volatile backing write after them)
    long rerouteNanos;
    int rerouteErrno;

    ClientMapping(MappingOwner owner, AddressArena arena, MemorySegment segment, long reservedLength, Backing backing) {
        this.owner = owner;
        this.arena = arena;
        this.segment = segment;
        this.reservedLength = reservedLength;
        this.backing = backing;
    }

    /** The mapped bytes; the same address before and after a reroute. */
    public MemorySegment segment() {
        return segment;
    }

    public long address() {
        return segment.address();
    }

    public long length() {
        return segment.byteSize();
    }

    public Backing backing() {
        return backing;
    }

    void backing(Backing b) {
        backing = b;
    }

    public MappingOwner owner() {
        return owner;
    }

    /** How long this mapping's reroute took (in arena mode: the arena call it was part of), or 0. */
    public long rerouteNanos() {
        return rerouteNanos;
    }

    /** The errno of a failed reroute, or 0. A failed mapping still references the device. */
    public int rerouteErrno() {
        return rerouteErrno;
    }

    /**
     * On loss, reroute this mapping to {@code fd} at {@code offset} (a host copy of the contents,
     * e.g. a memfd the driver copied VRAM into) instead of dummy memory. If the device is already
     * lost and the mapping holds dummy memory, the copy is mapped now.
     */
    public void rerouteToHostCopy(Fd fd, long offset) {
        owner.setHostCopy(this, fd, offset);
    }

    /** Unmaps: the range becomes an inaccessible reservation in the arena, free for reuse. Idempotent. */
    @Override
    public void close() {
        owner.release(this);
    }

    @Override
    public String toString() {
        return "ClientMapping[" + owner.name() + " 0x" + Long.toHexString(address()) + "+0x"
                + Long.toHexString(length()) + " " + backing + "]";
    }
}
