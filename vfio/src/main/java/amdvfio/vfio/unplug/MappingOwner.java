package amdvfio.vfio.unplug;

import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import amdvfio.vfio.MappableRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One client's CPU view of device memory (the analogue of the mappings of one DRM file): the
 * table's whole device window, mapped once when the client opens — one VMA — and handed out in
 * slices, one per buffer mapping, with no system call. On loss the table replaces the window with
 * its shadow in one {@code mmap(MAP_FIXED)}.
 *
 * <p>The window's segments belong to a shared arena of this owner: after {@link #close()} every
 * slice handed out throws {@link IllegalStateException} on access instead of touching unmapped
 * memory. A slice of a buffer mapping that was closed while its client is open still addresses
 * the client's window (as a stale pointer into a DRM mapping of the aperture would).
 *
 * <p>Threading: every method may be called from any thread; state changes serialise on this
 * owner's monitor, which {@link MappingTable#rerouteAll()} also takes once. A slice needs no
 * coordination with the loss: whatever backs the window backs it.
 */
public final class MappingOwner implements AutoCloseable {

    /** What backs this owner's window. */
    enum Window { DEVICE, SHADOW }

    private final MappingTable table;
    private final String name;
    private final Mapping mapping;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment window;
    private final Set<ClientMapping> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile Window backing;
    private boolean closed;
    // the last reroute of this window (guarded by this)
    private long rerouteNanos;
    private int rerouteErrno;

    MappingOwner(MappingTable table, String name) {
        this.table = table;
        this.name = name;
        MappableRange w = table.window();
        if (table.isLost()) {
            mapping = Mapping.map(table.shadow(), 0, w.size());
            backing = Window.SHADOW;
        } else {
            mapping = Mapping.map(w.fd(), w.offset(), w.size());
            backing = Window.DEVICE;
        }
        window = mapping.segment().reinterpret(arena, null);
    }

    public String name() {
        return name;
    }

    /**
     * A mapping of {@code length} bytes at {@code offset} of the device window, read-write: a slice
     * of this client's window, so it costs no system call. Before the loss it is the device's
     * memory; after, the shadow (the buffer's saved bytes, or dummy memory).
     *
     * @throws IllegalArgumentException the range is not inside the window
     * @throws IllegalStateException    the owner is closed
     */
    public synchronized ClientMapping map(long offset, long length) {
        checkOpen();
        long size = window.byteSize();
        if (offset < 0 || length <= 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException(String.format(
                    "[0x%x, +0x%x) is outside the device window of 0x%x bytes", offset, length, size));
        }
        ClientMapping m = new ClientMapping(this, offset, window.asSlice(offset, length));
        live.add(m);
        return m;
    }

    /** The live mappings, in no particular order. */
    public synchronized List<ClientMapping> mappings() {
        return new ArrayList<>(live);
    }

    /** The whole window (valid until {@link #close()}). */
    public MemorySegment window() {
        return window;
    }

    /** True once the window shows the shadow instead of the device. */
    public boolean isRerouted() {
        return backing == Window.SHADOW;
    }

    Window backing() {
        return backing;
    }

    synchronized void release(ClientMapping m) {
        live.remove(m);
    }

    /**
     * Maps the shadow over the window (called by the table, which set the lost flag first).
     * Returns -1 when there was nothing to do (already rerouted or closed), else 0 or the errno.
     */
    synchronized int reroute() {
        if (closed || backing == Window.SHADOW) {
            return -1;
        }
        Fd shadow = table.shadow();
        long t0 = System.nanoTime();
        int err = Remap.file(window, window.byteSize(), shadow.value(), 0);
        rerouteNanos = System.nanoTime() - t0;
        rerouteErrno = err;
        if (err == 0) {
            backing = Window.SHADOW;
        }
        return err;
    }

    synchronized RerouteReport.Entry rerouteEntry() {
        return new RerouteReport.Entry(name, window.address(), window.byteSize(), backing == Window.SHADOW,
                live.size(), rerouteNanos, rerouteErrno);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mapping owner " + name + " is closed");
        }
    }

    /** Unmaps the window (every slice becomes inaccessible) and leaves the table. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (ClientMapping m : live) {
                m.markClosed();
            }
            live.clear();
            arena.close(); // slices throw from now on; only then may the range go
            mapping.close();
        }
        table.remove(this);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "MappingOwner[" + name + " window 0x" + Long.toHexString(window.address()) + "+0x"
                + Long.toHexString(window.byteSize()) + " " + backing + "]";
    }
}
