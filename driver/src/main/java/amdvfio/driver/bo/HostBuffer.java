package amdvfio.driver.bo;

import amdvfio.driver.ip.gmc.Gart;
import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import amdvfio.os.MemFd;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import java.lang.foreign.MemorySegment;

/**
 * Host memory the GPU can reach: a memfd (so it can be mapped again and exported as a
 * descriptor), the driver's own mapping of it, its DMA mapping (IOVA) and its GART range (GPU
 * address). The driver keeps its rings, writeback slots and GTT buffers in these.
 *
 * <p>Threading: immutable after creation; {@link #close()} once, after the GPU stopped using it.
 */
public final class HostBuffer implements AutoCloseable {

    private final Fd memFd;
    private final Mapping mapping;
    private final DmaSpace dmaSpace;
    private final DmaMapping dma;
    private final Gart gart;
    private final long gpuAddress;
    private final boolean ownsFd;
    private boolean closed;

    private HostBuffer(Fd memFd, boolean ownsFd, Mapping mapping, DmaSpace dmaSpace, DmaMapping dma, Gart gart,
                       long gpuAddress) {
        this.memFd = memFd;
        this.ownsFd = ownsFd;
        this.mapping = mapping;
        this.dmaSpace = dmaSpace;
        this.dma = dma;
        this.gart = gart;
        this.gpuAddress = gpuAddress;
    }

    /** Allocates {@code size} bytes (rounded up to pages), DMA-maps them and binds them in {@code gart}. */
    public static HostBuffer allocate(String name, long size, DmaSpace dmaSpace, Gart gart) {
        MemFd fd = MemFd.create(name, roundUp(size));
        return wrap(fd, fd.size(), dmaSpace, gart);
    }

    /** Takes ownership of {@code memFd} ({@code size} bytes, an imported buffer) and makes it reachable by the GPU. */
    public static HostBuffer wrap(Fd memFd, long size, DmaSpace dmaSpace, Gart gart) {
        try {
            return build(memFd, true, 0, size, dmaSpace, gart);
        } catch (RuntimeException e) {
            memFd.close();
            throw e;
        }
    }

    /**
     * {@code size} bytes of {@code fd} at {@code offset} (page-aligned) made reachable by the GPU,
     * without taking the descriptor: the VRAM save's window into the mapping table's shadow.
     */
    public static HostBuffer view(Fd fd, long offset, long size, DmaSpace dmaSpace, Gart gart) {
        if (offset < 0 || offset % Gart.PAGE != 0) {
            throw new IllegalArgumentException("a host buffer view starts at a page: 0x" + Long.toHexString(offset));
        }
        return build(fd, false, offset, size, dmaSpace, gart);
    }

    private static HostBuffer build(Fd fd, boolean ownsFd, long offset, long size, DmaSpace dmaSpace, Gart gart) {
        Mapping mapping = null;
        DmaMapping dma = null;
        try {
            mapping = Mapping.map(fd, offset, roundUp(size));
            dma = dmaSpace.map(mapping.segment());
            long gpu = gart.bind(dma);
            return new HostBuffer(fd, ownsFd, mapping, dmaSpace, dma, gart, gpu);
        } catch (RuntimeException e) {
            if (dma != null) {
                dmaSpace.unmap(dma);
            }
            if (mapping != null) {
                mapping.close();
            }
            throw e;
        }
    }

    public MemorySegment segment() {
        return mapping.segment();
    }

    public long gpuAddress() {
        return gpuAddress;
    }

    public long iova() {
        return dma.iova();
    }

    public long size() {
        return mapping.length();
    }

    /** The memfd behind the buffer (owned by it unless it is a {@link #view}). */
    public Fd memFd() {
        return memFd;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gart.unbind(gpuAddress, size());
        } finally {
            try {
                dmaSpace.unmap(dma);
            } finally {
                mapping.close();
                if (ownsFd) {
                    memFd.close();
                }
            }
        }
    }

    private static long roundUp(long size) {
        return (size + Gart.PAGE - 1) & -Gart.PAGE;
    }
}
