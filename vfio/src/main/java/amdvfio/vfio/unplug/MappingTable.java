package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.vfio.MappableRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every client's CPU view of device memory, so that on loss all of them can be replaced in place
 * (step 5 of early fini): the userspace analogue of {@code drm_dev_unplug()} zapping the device's
 * address space with {@code unmap_mapping_range()} and ttm then faulting in a dummy page
 * (ttm_bo_vm.c {@code ttm_bo_vm_dummy_page}).
 *
 * <p><b>One VMA per client.</b> Each {@link MappingOwner} maps the whole device window (the
 * visible VRAM aperture) once; a buffer's mapping is a slice of it. The kernel's cost of replacing
 * a mapping is its VMA teardown — one TLB shootdown to every other core running the process per
 * VMA — and vfio-pci BAR mappings ({@code VM_IO|VM_PFNMAP}) never merge, so per-buffer mappings
 * would cost one teardown each (8 clients × 1000 mappings: 12–14 ms here, 32–72 ms with a second
 * thread running; one VMA per client: 1.4–2.0 ms).
 *
 * <p><b>The shadow.</b> The table owns a memfd laid out like the window: byte {@code o} of the
 * shadow stands for byte {@code o} of the device window. It is sparse (pages exist once written).
 * On an orderly removal the driver copies each buffer it saves into the shadow at the buffer's own
 * offset ({@link #shadow()}) while the device still answers. {@link #rerouteAll()} then maps the
 * shadow over every client's window with one {@code mmap(MAP_FIXED)} per client: saved buffers
 * read their data, every other byte reads as dummy memory (zeros, or whatever a client wrote
 * since), nothing faults — {@code MAP_FIXED} swaps the pages under concurrent readers atomically
 * and the segments keep their addresses. Afterwards no mapping references the device fd, so it
 * can be closed and the kernel's removal completes. A window made after the loss maps the shadow
 * at once, so new mappings of lost buffers get dummy memory (or their saved data) too.
 *
 * <p>The shadow is shared by all clients, like VRAM: a write after the loss is seen through every
 * window, and costs one page of RAM, bounded by the window size and freed at {@link #close()}.
 *
 * <p>Threading: all methods may be called from any thread. {@link #rerouteAll()} takes a private
 * lock once (two reroutes do not interleave) and each owner's monitor once; it allocates nothing,
 * per-owner results live in preallocated fields, summarised on demand by {@link #lastReroute()}.
 */
public final class MappingTable implements AutoCloseable {

    private final MappableRange window;
    private final MemFd shadow;
    private final Object rerouteLock = new Object();
    private volatile boolean lost;
    private volatile MappingOwner[] owners = new MappingOwner[0];
    private volatile long lastRerouteNanos = -1;
    private long lastCalls;
    private int lastFailed;

    /** @param window the device memory clients see (BAR0's visible VRAM); each client maps all of it once */
    public MappingTable(MappableRange window) {
        if (window == null || window.size() <= 0) {
            throw new IllegalArgumentException("the device window must be a non-empty mappable range: " + window);
        }
        this.window = window;
        this.shadow = MemFd.create("vram-shadow", window.size());
    }

    /** The device range every client window maps. */
    public MappableRange window() {
        return window;
    }

    /**
     * The shadow memfd (size = the window's): what replaces every window on loss. The driver writes
     * the buffers it saves into it at their own window offsets before {@link #rerouteAll()}.
     */
    public MemFd shadow() {
        return shadow;
    }

    /**
     * A new client with its own window (one {@code mmap}); mapped to the shadow when already lost.
     * Holding the table's monitor from the lost check to the publication is what keeps a client
     * opening during {@link #rerouteAll()} from keeping a device window.
     */
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

    /** True once {@link #rerouteAll()} has begun: new windows map the shadow. */
    public boolean isLost() {
        return lost;
    }

    /**
     * Marks the device memory lost and maps the shadow over every client window, one
     * {@code mmap(MAP_FIXED)} per client. Idempotent: a second call only retries the windows the
     * first could not replace.
     *
     * @return elapsed nanoseconds
     */
    public long rerouteAll() {
        synchronized (rerouteLock) {
            long t0 = System.nanoTime();
            lost = true;
            MappingOwner[] os;
            synchronized (this) { // a newOwner() in progress publishes its window first, or sees lost
                os = owners;
            }
            long calls = 0;
            int failed = 0;
            for (int i = 0; i < os.length; i++) {
                int r = os[i].reroute();
                if (r >= 0) {
                    calls++;
                    failed += r == 0 ? 0 : 1;
                }
            }
            lastCalls = calls;
            lastFailed = failed;
            long dt = System.nanoTime() - t0;
            lastRerouteNanos = dt;
            return dt;
        }
    }

    /** The last reroute: totals and one entry per client window; null before any reroute. */
    public RerouteReport lastReroute() {
        synchronized (rerouteLock) {
            if (lastRerouteNanos < 0) {
                return null;
            }
            List<RerouteReport.Entry> entries = new ArrayList<>();
            for (MappingOwner o : owners) {
                entries.add(o.rerouteEntry());
            }
            return new RerouteReport(lastRerouteNanos, lastCalls, lastFailed, entries);
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

    /** Closes every owner (unmapping their windows) and the shadow. Late fini. */
    @Override
    public void close() {
        for (MappingOwner o : owners) {
            o.close();
        }
        shadow.close();
    }
}
