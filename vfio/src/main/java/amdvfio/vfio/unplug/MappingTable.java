package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every client mapping of device memory, so that on loss all of them can be replaced in place
 * (step 5 of early fini): the userspace analogue of {@code drm_dev_unplug()} zapping the device's
 * address space with {@code unmap_mapping_range()} and amdgpu/ttm then faulting in a dummy page
 * (ttm_bo_vm.c {@code ttm_bo_vm_dummy_page}).
 *
 * <p>Each client gets a {@link MappingOwner} with its own reserved arenas. {@link #rerouteAll()}
 * marks the table lost, then per owner maps the saved host copies over their mappings one by
 * one and replaces the rest of each arena with one {@code mmap(MAP_FIXED)} — O(clients), not
 * O(mappings). {@code MAP_FIXED} swaps the pages under concurrent readers atomically (they see the
 * old bytes or the new, never a fault), and the segments keep their addresses. Afterwards no
 * mapping references the device fd, so it can be closed and the kernel's removal completes.
 * Mappings made after the loss get dummy memory directly.
 *
 * <p>Threading: all methods may be called from any thread. {@link #rerouteAll()} takes a private
 * lock once (two reroutes do not interleave) and each owner's monitor once; it allocates nothing
 * on the zero-fill path with no host copies, and the per-mapping results live in preallocated
 * fields ({@link ClientMapping#rerouteNanos()}), summarised on demand by {@link #lastReroute()}.
 */
public final class MappingTable implements AutoCloseable {

    /** Address space reserved per arena: virtual only ({@code PROT_NONE}, {@code MAP_NORESERVE}). */
    public static final long DEFAULT_ARENA_SIZE = 4L << 30;

    /** Counters of one reroute; written under the reroute lock. */
    static final class Stats {
        long calls;
        int arenaCalls;
        int toHostCopy;
        int toDummy;
        int failed;
    }

    private final DummyPolicy policy;
    private final long arenaSize;
    private final MemFd sharedPage;
    private final Object rerouteLock = new Object();
    private final Stats stats = new Stats();
    private volatile boolean lost;
    private volatile MappingOwner[] owners = new MappingOwner[0];
    private volatile long lastRerouteNanos = -1;

    public MappingTable(DummyPolicy policy) {
        this(policy, DEFAULT_ARENA_SIZE);
    }

    /** @param arenaSize bytes of address space each arena reserves (a multiple of the page size) */
    public MappingTable(DummyPolicy policy, long arenaSize) {
        if (arenaSize <= 0 || arenaSize % Syscalls.pageSize() != 0) {
            throw new IllegalArgumentException("arena size must be a positive multiple of the page size: " + arenaSize);
        }
        this.policy = policy;
        this.arenaSize = arenaSize;
        this.sharedPage = policy == DummyPolicy.SHARED_PAGE ? MemFd.create("dummy-page", Syscalls.pageSize()) : null;
    }

    public DummyPolicy policy() {
        return policy;
    }

    long arenaSize() {
        return arenaSize;
    }

    /** A new client: its mappings go into arenas of its own. */
    public synchronized MappingOwner newOwner(String name) {
        MappingOwner o = new MappingOwner(this, name);
        MappingOwner[] next = Arrays.copyOf(owners, owners.length + 1);
        next[owners.length] = o;
        owners = next;
        return o;
    }

    synchronized void remove(MappingOwner o) {
        List<MappingOwner> keep = new ArrayList<>(Arrays.asList(owners));
        keep.remove(o);
        owners = keep.toArray(new MappingOwner[0]);
    }

    /** True once {@link #rerouteAll()} has begun: new mappings get dummy memory. */
    public boolean isLost() {
        return lost;
    }

    /**
     * Marks the device memory lost and reroutes every client mapping: to its host copy where
     * {@link ClientMapping#rerouteToHostCopy} named one, to dummy memory otherwise. Idempotent:
     * a second call only reroutes what the first could not.
     *
     * @return elapsed nanoseconds
     */
    public long rerouteAll() {
        synchronized (rerouteLock) {
            long t0 = System.nanoTime();
            lost = true; // before reading owners: see MappingOwner's threading note
            Stats s = stats;
            s.calls = 0;
            s.arenaCalls = 0;
            s.toHostCopy = 0;
            s.toDummy = 0;
            s.failed = 0;
            MappingOwner[] os = owners;
            for (int i = 0; i < os.length; i++) {
                os[i].reroute(s);
            }
            long dt = System.nanoTime() - t0;
            lastRerouteNanos = dt;
            return dt;
        }
    }

    /** The last reroute: totals and one entry per live mapping; null before any reroute. */
    public RerouteReport lastReroute() {
        synchronized (rerouteLock) {
            if (lastRerouteNanos < 0) {
                return null;
            }
            List<RerouteReport.Entry> entries = new ArrayList<>();
            for (ClientMapping m : mappings()) {
                entries.add(new RerouteReport.Entry(m.owner().name(), m.address(), m.length(), m.backing(),
                        m.rerouteNanos(), m.rerouteErrno()));
            }
            return new RerouteReport(lastRerouteNanos, stats.calls, stats.arenaCalls, stats.toHostCopy,
                    stats.toDummy, stats.failed, entries);
        }
    }

    /** Every live client mapping, owner by owner. */
    public List<ClientMapping> mappings() {
        List<ClientMapping> out = new ArrayList<>();
        for (MappingOwner o : owners) {
            out.addAll(o.mappings());
        }
        return out;
    }

    /** Dummy memory over [seg, seg+length) per the policy; 0 or the errno of the failing call. */
    int fillDummy(MemorySegment seg, long length) {
        if (policy == DummyPolicy.ZERO_FILL) {
            return Remap.anonymous(seg, length);
        }
        long page = Syscalls.pageSize();
        for (long off = 0; off < length; off += page) {
            int err = Remap.file(MemorySegment.ofAddress(seg.address() + off), page, sharedPage.value(), 0);
            if (err != 0) {
                return err;
            }
        }
        return 0;
    }

    /** Closes every owner (unmapping all their arenas) and the shared dummy page. Late fini. */
    @Override
    public void close() {
        for (MappingOwner o : owners) {
            o.close();
        }
        if (sharedPage != null) {
            sharedPage.close();
        }
    }
}
