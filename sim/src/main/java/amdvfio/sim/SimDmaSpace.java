package amdvfio.sim;

import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The simulated IOMMU: host memory reaches the GPU only through these mappings, allocated by the
 * same {@link IovaAllocator} the kernel backend uses. IOVA 0 .. 1 MiB stays unused so a null or
 * small device address faults. The device model resolves bus addresses with {@link #resolve}.
 *
 * <p><b>Unmap versus in-flight DMA.</b> A segment returned by {@link #resolve} is the driver's
 * host memory; if the driver unmaps the IOVA (and then munmaps the memory) while an engine is
 * still copying from it, touching the segment would crash the JVM (SIGSEGV), where hardware
 * would take an IOMMU fault. So every device-side access runs inside {@link #beginAccess()} /
 * {@link #endAccess()} (a read lock, held per packet by the engines and per IV by the IH), and
 * {@link #unmap} takes the write lock: it waits for the accesses in flight, removes the mapping
 * and bumps {@link #generation()}, so cached translations are dropped and the next access of
 * that IOVA faults (IOMMU) instead of touching freed memory.
 *
 * <p><b>Release.</b> vfio's release of the device ({@link #release}) is the same write lock: it
 * waits for the accesses in flight, drops every mapping and marks the device released, and from
 * then until {@link #reopen} every device access is refused ({@link #released()}, checked by the
 * GMC on every resolve) — VRAM included: bus mastering is off and the function is being reset
 * ({@code vfio_pci_core_disable}), so no engine of the card reaches any memory any more.
 */
public final class SimDmaSpace implements DmaSpace {

    /** 48-bit IOVA space, as a typical IOMMU aperture. */
    public static final long IOVA_BASE = 1L << 20;
    public static final long IOVA_LIMIT = 1L << 48;

    private final IovaAllocator allocator = new IovaAllocator(IOVA_BASE, IOVA_LIMIT, 4096);
    private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();
    private volatile long generation;
    private volatile boolean released;

    /** Marks the start of a device access to host memory; {@link #unmap} waits for its end. Reentrant. */
    public void beginAccess() {
        access.readLock().lock();
    }

    public void endAccess() {
        access.readLock().unlock();
    }

    /** True while an {@link #unmap} waits for the accesses in flight to end. */
    public boolean unmapWaiting() {
        return access.hasQueuedThreads();
    }

    /**
     * Drops every access hold of the calling thread (before it parks inside a long packet such
     * as POLL_REGMEM, so an unmap is not held up); returns how many to give back to {@link #resume}.
     */
    public int suspendAccess() {
        int n = access.getReadHoldCount();
        for (int i = 0; i < n; i++) {
            access.readLock().unlock();
        }
        return n;
    }

    public void resume(int holds) {
        for (int i = 0; i < holds; i++) {
            access.readLock().lock();
        }
    }

    /** Changes on every unmap: a translation cached under another generation must be resolved again. */
    public long generation() {
        return generation;
    }

    @Override
    public DmaMapping map(MemorySegment host) {
        return allocator.allocate(host);
    }

    @Override
    public DmaMapping mapAt(MemorySegment host, long iova) {
        return allocator.place(host, iova);
    }

    @Override
    public void unmap(DmaMapping mapping) {
        access.writeLock().lock();
        try {
            allocator.release(mapping);
            generation++;
        } finally {
            access.writeLock().unlock();
        }
    }

    @Override
    public List<DmaMapping> mappings() {
        return allocator.mappings();
    }

    /** Host bytes at {@code iova}, at most {@code maxLen} and not past the mapping's end; null if unmapped. */
    public MemorySegment resolve(long iova, long maxLen) {
        DmaMapping m = allocator.find(iova);
        if (m == null) {
            return null;
        }
        long off = iova - m.iova();
        return m.host().asSlice(off, Math.min(maxLen, m.size() - off));
    }

    /**
     * The device release: waits for the accesses in flight, drops every mapping and refuses every
     * later access until {@link #reopen}. When it returns, no engine touches VRAM or host memory.
     */
    public void release() {
        access.writeLock().lock();
        try {
            released = true;
            for (DmaMapping m : allocator.mappings()) {
                allocator.release(m);
            }
            generation++;
        } finally {
            access.writeLock().unlock();
        }
    }

    /** The next open: accesses are allowed again (the threads of the last open have ended). */
    public void reopen() {
        released = false;
    }

    /** True between {@link #release} and {@link #reopen}: every device access must be refused. */
    public boolean released() {
        return released;
    }
}
