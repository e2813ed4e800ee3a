package amdvfio.driver.client;

import amdvfio.driver.ClientClosedException;
import amdvfio.driver.DeviceLostException;
import amdvfio.driver.Gpu;
import amdvfio.driver.IndirectBuffer;
import amdvfio.driver.InvalidRequestException;
import amdvfio.driver.Job;
import amdvfio.driver.OutOfDeviceMemoryException;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.Gart;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.ring.PacketWriter;
import amdvfio.driver.sched.RingScheduler;
import amdvfio.os.Fd;
import amdvfio.vfio.unplug.MappingOwner;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of a {@link Gpu}: the DRM-file analogue. It holds a reference on the device and owns
 * the buffers it allocates or imports, their CPU mappings, and the fences of its jobs. Closing it
 * frees all of them; the device's late fini waits for the last client.
 *
 * <p>Every request is checked before anything reaches a ring: sizes, ranges, that buffers and
 * fences belong to this client (or were imported), that the client is open. A refused request
 * leaves nothing half-submitted.
 *
 * <p>After the device is lost (removed, AER fatal, or the Gpu closed) the client lives on:
 * allocation, import and submission fail fast with {@link DeviceLostException}; waits return
 * (every fence was force-completed with {@code DEVICE_LOST}); existing and new mappings keep
 * reading and writing — GTT buffers their own host memory, VRAM buffers the host copy saved on an
 * orderly removal or dummy memory; fences still export to live devices.
 *
 * <p>Threading: thread-safe. Closing while another thread submits makes that submission fail with
 * {@link ClientClosedException} or complete normally, never half-done.
 */
public final class GpuClient implements AutoCloseable {

    private final Gpu gpu;
    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final List<RingScheduler> rings;
    private final Runnable onClose;
    private final Set<BufferObject> buffers = ConcurrentHashMap.newKeySet();
    private final Set<Fence> imported = ConcurrentHashMap.newKeySet();
    private final ClientMappings mappings;
    /** The last fence this client got per ring: closing waits for them before freeing buffers the engines may still read. */
    private final Fence[] lastFence;
    private final String name;
    private volatile boolean closed;

    public GpuClient(Gpu gpu, DeviceContext ctx, GmcBlock gmc, List<RingScheduler> rings, MappingOwner mappingOwner,
                     Runnable onClose) {
        this.mappings = new ClientMappings(mappingOwner);
        this.name = mappingOwner.name();
        this.gpu = gpu;
        this.ctx = ctx;
        this.gmc = gmc;
        this.rings = rings;
        this.onClose = onClose;
        this.lastFence = new Fence[rings.size()];
    }

    /**
     * Allocates {@code size} bytes in {@code domain}, page-aligned.
     *
     * @throws InvalidRequestException     size ≤ 0
     * @throws OutOfDeviceMemoryException  no room in VRAM or in the GART aperture
     */
    public BufferObject allocate(Domain domain, long size) {
        checkOpen("allocate");
        checkDevice("allocate");
        if (size <= 0) {
            throw new InvalidRequestException("buffer size must be positive: " + size);
        }
        BufferObject bo;
        if (domain == Domain.VRAM) {
            long offset = gmc.vramAllocator().allocate(size, Gart.PAGE);
            bo = BufferObject.vram(this, size, offset, gmc.vramGpuAddress(offset), gmc.vramAllocator()::free, () -> { });
        } else {
            if (size > gmc.gart().freeBytes()) {
                throw new OutOfDeviceMemoryException(String.format("GTT: %d bytes requested, %d free in the GART aperture",
                        size, gmc.gart().freeBytes()));
            }
            bo = BufferObject.gtt(this, size, HostBuffer.allocate("gtt", size, ctx.dma(), gmc.gart()), () -> { });
        }
        return track(bo);
    }

    /**
     * A CPU view of {@code bo}: VRAM as a slice of the client's one mapping of BAR0, GTT through its
     * memfd. Mapped once; released when the buffer is freed, and inaccessible once the client closes.
     */
    public MemorySegment map(BufferObject bo) {
        checkOwned(bo, "map");
        long length = (bo.size() + Gart.PAGE - 1) & -Gart.PAGE;
        MemorySegment seg;
        if (bo.domain() == Domain.VRAM) {
            // a slice of the client's window: the device before a loss, the shadow after (saved bytes or dummy)
            seg = mappings.mapDevice(bo, bo.vramOffset(), length);
        } else {
            seg = mappings.mapHost(bo, bo.host().memFd(), 0, length);
        }
        return seg.asSlice(0, bo.size());
    }

    /** Frees {@code bo} and its mapping. */
    public void free(BufferObject bo) {
        checkOwned(bo, "free");
        release(bo);
    }

    /** Submits {@code job}; returns the fence that completes when it has run. */
    public Fence submit(Job job) {
        checkOpen("submit");
        checkDevice("submit");
        if (job == null) {
            throw new InvalidRequestException("submit: job is null");
        }
        for (int i = 0; i < job.commandCount(); i++) {
            checkOwned(job.dst(i), "submit");
            if (job.src(i) != null) {
                checkOwned(job.src(i), "submit");
            }
        }
        for (int i = 0; i < job.dependencyCount(); i++) {
            checkFence(job.dependency(i), "submit");
        }
        int r = job.ring() < 0 ? 0 : job.ring();
        if (r >= rings.size()) {
            throw new InvalidRequestException("ring " + r + " does not exist: " + gpu + " has " + rings.size());
        }
        Fence fence = rings.get(r).submit(job, this);
        lastFence[r] = fence;
        return fence;
    }

    /** Waits up to {@code timeout} for {@code fence} (interrupt-driven); true when it completed. */
    public boolean await(Fence fence, Duration timeout) throws InterruptedException {
        checkFence(fence, "await");
        return fence.await(timeout);
    }

    /** Busy-polls {@code fence} up to {@code timeout}; lowest latency. */
    public boolean awaitPolling(Fence fence, Duration timeout) {
        checkFence(fence, "await");
        return fence.awaitPolling(timeout);
    }

    /** Encodes {@code commands} once into an indirect buffer that jobs can run with {@code Job.Builder.indirect}. */
    public IndirectBuffer createIndirectBuffer(Job commands) {
        checkOpen("createIndirectBuffer");
        for (int i = 0; i < commands.commandCount(); i++) {
            checkOwned(commands.dst(i), "createIndirectBuffer");
            if (commands.kind(i) == Job.INDIRECT) {
                throw new InvalidRequestException("an indirect buffer cannot chain another one");
            }
            if (commands.src(i) != null) {
                checkOwned(commands.src(i), "createIndirectBuffer");
            }
        }
        PacketWriter w = new PacketWriter(ctx.profile().sdma());
        long dwords = w.commandDwords(commands) + 8;
        BufferObject bo = allocate(Domain.GTT, dwords * 4);
        MemorySegment seg = bo.host().segment();
        long end = w.encode(commands, seg, 0, -1);
        end = w.padTo(seg, end, -1, 8); // sdma_v*_ring_pad_ib
        return new IndirectBuffer(bo, (int) end);
    }

    /** Exports a GTT buffer as a new descriptor of its memfd. */
    public ExportedBuffer exportBuffer(BufferObject bo) {
        checkOwned(bo, "exportBuffer");
        if (bo.domain() != Domain.GTT) {
            throw new InvalidRequestException("only GTT buffers can be exported as a descriptor, not " + bo);
        }
        Fd memFd = bo.host().memFd();
        // Reopening through /proc gives a new open file of the same memfd, valid after the BO is freed.
        Fd fd = Fd.open("/proc/self/fd/" + memFd.value(), amdvfio.bindings.libc.libc_h.O_RDWR());
        return new ExportedBuffer(fd, bo.size());
    }

    /** Imports an exported buffer as a GTT buffer of this client (this device's GART). */
    public BufferObject importBuffer(ExportedBuffer exported) {
        checkOpen("importBuffer");
        checkDevice("importBuffer");
        if (exported == null || !exported.fd().isOpen()) {
            throw new InvalidRequestException("importBuffer: the exported descriptor is closed");
        }
        Fd own = Fd.open("/proc/self/fd/" + exported.fd().value(), amdvfio.bindings.libc.libc_h.O_RDWR());
        return track(BufferObject.gtt(this, exported.size(), HostBuffer.wrap(own, exported.size(), ctx.dma(), gmc.gart()),
                () -> { }));
    }

    /** Lets other clients (of any device) use {@code fence} once they import the handle. */
    public FenceHandle exportFence(Fence fence) {
        checkFence(fence, "exportFence");
        return new FenceHandle(fence);
    }

    /** Makes an exported fence usable by this client as a dependency or for waits. */
    public Fence importFence(FenceHandle handle) {
        checkOpen("importFence");
        if (handle == null) {
            throw new InvalidRequestException("importFence: handle is null");
        }
        imported.add(handle.fence());
        return handle.fence();
    }

    public Gpu gpu() {
        return gpu;
    }

    /** The client's name on its device ("client-3"), as the teardown report uses it. */
    public String name() {
        return name;
    }

    /** Buffers this client owns now. */
    public int bufferCount() {
        return buffers.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Frees every buffer and mapping, forgets imported fences, drops the device reference. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        drain();
        mappings.closeAll();
        for (BufferObject bo : new ArrayList<>(buffers)) {
            release(bo);
        }
        imported.clear();
        onClose.run();
    }

    /**
     * Waits (bounded) for this client's last job on each ring: a ring runs in order, so that covers
     * all of them. Not after a loss: the engines are stopped and every fence is force-completed.
     */
    private void drain() {
        if (ctx.lost()) {
            return;
        }
        for (Fence f : lastFence) {
            if (f != null) {
                try {
                    f.await(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private BufferObject track(BufferObject bo) {
        buffers.add(bo);
        if (closed) {
            release(bo);
            throw new ClientClosedException("client closed while allocating");
        }
        return bo;
    }

    private void release(BufferObject bo) {
        if (buffers.remove(bo)) {
            mappings.unmap(bo);
            bo.close();
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new ClientClosedException(what + " on a closed client");
        }
    }

    private void checkDevice(String what) {
        if (ctx.lost()) {
            throw new DeviceLostException(what + ": " + ctx.device().address() + " is lost ("
                    + ctx.lifecycle().lossReason() + "); open the device again when it comes back");
        }
    }

    /** Driver-internal (early fini): the buffers this client owns now. */
    public List<BufferObject> buffers() {
        return new ArrayList<>(buffers);
    }

    private void checkOwned(BufferObject bo, String what) {
        checkOpen(what);
        if (bo == null) {
            throw new InvalidRequestException(what + ": buffer is null");
        }
        if (bo.owner() != this) {
            throw new InvalidRequestException(what + ": " + bo + " belongs to another client; export and import it first");
        }
        if (bo.isClosed() || !buffers.contains(bo)) {
            throw new ClientClosedException(what + ": " + bo + " was already freed");
        }
    }

    private void checkFence(Fence fence, String what) {
        checkOpen(what);
        if (fence == null) {
            throw new InvalidRequestException(what + ": fence is null");
        }
        if (fence.owner() != this && !imported.contains(fence)) {
            throw new InvalidRequestException(what + ": " + fence + " belongs to another client and was not "
                    + "exported to this one (exportFence / importFence)");
        }
    }
}
