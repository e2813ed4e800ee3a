package amdvfio.vfio.unplug;

import java.lang.foreign.MemorySegment;

/**
 * One buffer mapping of device memory: a slice of its {@link MappingOwner}'s window at the
 * buffer's own offset. Its {@link #segment()} keeps its address through a loss — only what backs
 * the window changes — and becomes inaccessible when the owner closes.
 *
 * <p>Threading: the segment may be read and written from any thread at any time, a reroute
 * included; {@link #backing()} may be read from any thread.
 */
public final class ClientMapping implements AutoCloseable {

    /** What backs the mapping now. */
    public enum Backing {
        /** The device's memory (a BAR through the device fd, or the simulator's memfd). */
        DEVICE,
        /**
         * The table's shadow, after the loss: the bytes the driver saved there at this offset, else
         * dummy memory — reads and writes complete, the content is undefined.
         */
        SHADOW,
        /** Closed: the mapping is no longer tracked; its owner may still be open. */
        UNMAPPED
    }

    private final MappingOwner owner;
    private final long offset;
    private final MemorySegment segment;
    private volatile boolean closed;

    ClientMapping(MappingOwner owner, long offset, MemorySegment segment) {
        this.owner = owner;
        this.offset = offset;
        this.segment = segment;
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

    /** Byte offset in the device window (and in the shadow). */
    public long windowOffset() {
        return offset;
    }

    public Backing backing() {
        if (closed) {
            return Backing.UNMAPPED;
        }
        return owner.backing() == MappingOwner.Window.SHADOW ? Backing.SHADOW : Backing.DEVICE;
    }

    public MappingOwner owner() {
        return owner;
    }

    void markClosed() {
        closed = true;
    }

    /** Stops tracking the mapping; the bytes stay part of the owner's window. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(this);
        }
    }

    @Override
    public String toString() {
        return "ClientMapping[" + owner.name() + " +0x" + Long.toHexString(offset) + " len 0x"
                + Long.toHexString(length()) + " " + backing() + "]";
    }
}
