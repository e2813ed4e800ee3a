package amdvfio.vfio.unplug;

import amdvfio.os.Errno;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.os.Syscalls;
import amdvfio.vfio.MappableRange;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's device mappings (the analogue of the mappings of one DRM file), placed in the
 * client's own {@link AddressArena}s so that a loss reroutes them with one {@code mmap} per arena.
 * A mapping bigger than the table's arena size gets an arena of its own size.
 *
 * <p>Threading: every method may be called from any thread; they serialise on this owner's
 * monitor, which {@link MappingTable#rerouteAll()} also takes once per owner — that is what
 * makes a {@link #map} racing with the loss end up with dummy memory, never with a device
 * mapping the reroute missed.
 */
public final class MappingOwner implements AutoCloseable {

    private final MappingTable table;
    private final String name;
    private final ArrayList<AddressArena> arenas = new ArrayList<>();
    private boolean closed;

    MappingOwner(MappingTable table, String name) {
        this.table = table;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Maps {@code length} bytes of {@code range} starting {@code offset} bytes into it, shared,
     * read-write — or dummy memory when the device is already lost (the uAPI's "new mappings
     * keep working"). {@code range.offset() + offset} must be page-aligned.
     */
    public synchronized ClientMapping map(MappableRange range, long offset, long length) {
        checkOpen();
        if (offset < 0 || length <= 0 || offset + length > range.size()) {
            throw new IllegalArgumentException(String.format("[0x%x, +0x%x) is outside the mappable range of 0x%x bytes",
                    offset, length, range.size()));
        }
        long fileOffset = range.offset() + offset;
        if (fileOffset % Syscalls.pageSize() != 0) {
            throw new IllegalArgumentException(String.format("device offset 0x%x is not page-aligned", fileOffset));
        }
        long reserved = Syscalls.pageAlign(length);
        AddressArena arena = arenaFor(reserved);
        long at = arena.allocate(reserved);
        MemorySegment seg = MemorySegment.ofAddress(at).reinterpret(length);
        ClientMapping.Backing backing;
        int err;
        if (table.isLost()) {
            err = table.fillDummy(seg, reserved);
            backing = ClientMapping.Backing.DUMMY;
        } else {
            err = Remap.file(seg, reserved, range.fd().value(), fileOffset);
            backing = ClientMapping.Backing.DEVICE;
        }
        if (err != 0) {
            arena.release(at, reserved);
            Remap.reserve(seg, reserved);
            throw new SyscallException("mmap(" + range.fd().name() + " at 0x" + Long.toHexString(fileOffset)
                    + ", MAP_FIXED in arena of " + name + ")", err);
        }
        ClientMapping m = new ClientMapping(this, arena, seg, reserved, backing);
        arena.add(m);
        return m;
    }

    /**
     * Maps {@code length} bytes of a host copy ({@code fd} at {@code offset}) into this owner's
     * arena: for new mappings of a buffer whose contents were saved before the device went away.
     * Such a mapping is never rerouted.
     */
    public synchronized ClientMapping mapHostCopy(Fd fd, long offset, long length) {
        checkOpen();
        long reserved = Syscalls.pageAlign(length);
        AddressArena arena = arenaFor(reserved);
        long at = arena.allocate(reserved);
        MemorySegment seg = MemorySegment.ofAddress(at).reinterpret(length);
        int err = Remap.file(seg, reserved, fd.value(), offset);
        if (err != 0) {
            arena.release(at, reserved);
            Remap.reserve(seg, reserved);
            throw new SyscallException("mmap(" + fd.name() + " at 0x" + Long.toHexString(offset) + ", MAP_FIXED)", err);
        }
        ClientMapping m = new ClientMapping(this, arena, seg, reserved, ClientMapping.Backing.HOST_COPY);
        arena.add(m);
        return m;
    }

    /** The live mappings, by arena and address. */
    public synchronized List<ClientMapping> mappings() {
        List<ClientMapping> out = new ArrayList<>();
        for (AddressArena a : arenas) {
            out.addAll(a.mappings);
        }
        return out;
    }

    /** Number of arenas: the number of mmap calls a whole-owner reroute to zero-fill costs. */
    public synchronized int arenaCount() {
        return arenas.size();
    }

    private AddressArena arenaFor(long reserved) {
        for (AddressArena a : arenas) {
            // a rerouted arena is anonymous memory, not a reservation: fine for dummy placements
            if (a.fits(reserved)) {
                return a;
            }
        }
        AddressArena a = new AddressArena(Math.max(table.arenaSize(), reserved));
        if (table.isLost()) {
            a.rerouted = true;
        }
        arenas.add(a);
        return a;
    }

    synchronized void setHostCopy(ClientMapping m, Fd fd, long offset) {
        switch (m.backing()) {
            case DEVICE -> {
                m.hostCopy = fd;
                m.hostCopyOffset = offset;
            }
            case DUMMY, HOST_COPY -> {
                int err = Remap.file(m.segment(), m.reservedLength, fd.value(), offset);
                if (err != 0) {
                    throw new SyscallException("mmap(" + fd.name() + ", MAP_FIXED over " + m + ")", err);
                }
                m.hostCopy = fd;
                m.hostCopyOffset = offset;
                m.backing(ClientMapping.Backing.HOST_COPY);
            }
            case UNMAPPED -> throw new IllegalStateException(m + " is closed");
        }
    }

    synchronized void release(ClientMapping m) {
        if (m.backing() == ClientMapping.Backing.UNMAPPED) {
            return;
        }
        if (!closed) {
            Remap.reserve(m.segment(), m.reservedLength);
            m.arena.release(m.address(), m.reservedLength);
            m.arena.mappings.remove(m);
        }
        m.hostCopy = null;
        m.backing(ClientMapping.Backing.UNMAPPED);
    }

    /**
     * Reroutes every device mapping of this owner (called by the table, which set the lost flag
     * first). Host copies first, one by one; then per arena one zero-fill mmap over everything
     * that is not a host copy, or with {@link DummyPolicy#SHARED_PAGE} the shared page per page.
     */
    synchronized void reroute(MappingTable.Stats stats) {
        for (int i = 0; i < arenas.size(); i++) {
            AddressArena a = arenas.get(i);
            if (a.rerouted) {
                continue;
            }
            rerouteHostCopies(a, stats);
            boolean ok = table.policy() == DummyPolicy.ZERO_FILL ? zeroFill(a, stats) : sharedPage(a, stats);
            a.rerouted = ok;
        }
    }

    private static void rerouteHostCopies(AddressArena a, MappingTable.Stats stats) {
        for (int i = 0; i < a.mappings.size(); i++) {
            ClientMapping m = a.mappings.get(i);
            if (m.backing() == ClientMapping.Backing.DEVICE && m.hostCopy != null) {
                long t0 = System.nanoTime();
                int err = Remap.file(m.segment(), m.reservedLength, m.hostCopy.value(), m.hostCopyOffset);
                m.rerouteNanos = System.nanoTime() - t0;
                m.rerouteErrno = err;
                stats.calls++;
                if (err == 0) {
                    stats.toHostCopy++;
                    m.backing(ClientMapping.Backing.HOST_COPY);
                } else {
                    stats.failed++;
                }
            }
        }
    }

    /** Zero-fill over the arena minus its host copies: one call when there are none. */
    private boolean zeroFill(AddressArena a, MappingTable.Stats stats) {
        if (!a.hasHostCopies()) {
            return fillGap(a, a.base, a.base.address(), a.end(), 0, a.mappings.size(), stats);
        }
        boolean ok = true;
        long cursor = a.base.address();
        int first = 0;
        for (int i = 0; i < a.mappings.size(); i++) {
            ClientMapping m = a.mappings.get(i);
            if (m.backing() == ClientMapping.Backing.HOST_COPY) {
                if (m.address() > cursor) {
                    ok &= fillGap(a, MemorySegment.ofAddress(cursor), cursor, m.address(), first, i, stats);
                }
                cursor = m.address() + m.reservedLength;
                first = i + 1;
            }
        }
        if (cursor < a.end()) {
            ok &= fillGap(a, MemorySegment.ofAddress(cursor), cursor, a.end(), first, a.mappings.size(), stats);
        }
        return ok;
    }

    /** One zero-fill mmap over [start, end); the device mappings among mappings[from, to) share its result. */
    private static boolean fillGap(AddressArena a, MemorySegment at, long start, long end, int from, int to,
                                   MappingTable.Stats stats) {
        long t0 = System.nanoTime();
        int err = Remap.anonymous(at, end - start);
        long dt = System.nanoTime() - t0;
        stats.calls++;
        stats.arenaCalls++;
        for (int i = from; i < to; i++) {
            ClientMapping m = a.mappings.get(i);
            if (m.backing() == ClientMapping.Backing.DEVICE) {
                m.rerouteNanos = dt;
                m.rerouteErrno = err;
                if (err == 0) {
                    stats.toDummy++;
                    m.backing(ClientMapping.Backing.DUMMY);
                } else {
                    stats.failed++;
                }
            }
        }
        return err == 0;
    }

    private boolean sharedPage(AddressArena a, MappingTable.Stats stats) {
        boolean ok = true;
        for (int i = 0; i < a.mappings.size(); i++) {
            ClientMapping m = a.mappings.get(i);
            if (m.backing() != ClientMapping.Backing.DEVICE) {
                continue;
            }
            long t0 = System.nanoTime();
            int err = table.fillDummy(m.segment(), m.reservedLength);
            m.rerouteNanos = System.nanoTime() - t0;
            m.rerouteErrno = err;
            stats.calls += m.reservedLength / Syscalls.pageSize();
            if (err == 0) {
                stats.toDummy++;
                m.backing(ClientMapping.Backing.DUMMY);
            } else {
                stats.failed++;
                ok = false;
            }
        }
        return ok;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mapping owner " + name + " is closed");
        }
    }

    /** Unmaps every arena of this owner (its mappings become invalid) and leaves the table. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (AddressArena a : arenas) {
                for (ClientMapping m : List.copyOf(a.mappings)) {
                    release(m);
                }
                a.reservation.close();
            }
            arenas.clear();
        }
        table.remove(this);
    }

    static String errnoText(int err) {
        return err == 0 ? "ok" : Errno.nameOf(err);
    }
}
