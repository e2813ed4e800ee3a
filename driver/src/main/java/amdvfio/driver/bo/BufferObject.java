package amdvfio.driver.bo;

import amdvfio.driver.ClientClosedException;
import amdvfio.driver.InvalidRequestException;
import java.util.function.LongConsumer;

/**
 * A buffer object owned by one client: a range of VRAM or a host buffer in the GART. Its GPU
 * address is fixed for its lifetime. Created by {@code GpuClient.allocate}, released by
 * {@link #close()} or when its client closes.
 *
 * <p>Threading: thread-safe; closing while a job that uses it is in flight is the caller's
 * mistake to avoid (as with libdrm's {@code amdgpu_bo_free}).
 */
public final class BufferObject implements AutoCloseable {

    private final Object owner;
    private final Domain domain;
    private final long size;
    private final long gpuAddress;
    private final long vramOffset;
    private final HostBuffer host;
    private final LongConsumer releaseVram;
    private final Runnable onClose;
    private volatile boolean closed;

    private BufferObject(Object owner, Domain domain, long size, long gpuAddress, long vramOffset, HostBuffer host,
                         LongConsumer releaseVram, Runnable onClose) {
        this.owner = owner;
        this.domain = domain;
        this.size = size;
        this.gpuAddress = gpuAddress;
        this.vramOffset = vramOffset;
        this.host = host;
        this.releaseVram = releaseVram;
        this.onClose = onClose;
    }

    /** A VRAM buffer at {@code vramOffset}; {@code release} returns the range to the allocator. */
    public static BufferObject vram(Object owner, long size, long vramOffset, long gpuAddress, LongConsumer release,
                                    Runnable onClose) {
        return new BufferObject(owner, Domain.VRAM, size, gpuAddress, vramOffset, null, release, onClose);
    }

    /** A GTT buffer over {@code host}, which it owns. */
    public static BufferObject gtt(Object owner, long size, HostBuffer host, Runnable onClose) {
        return new BufferObject(owner, Domain.GTT, size, host.gpuAddress(), -1, host, null, onClose);
    }

    public Domain domain() {
        return domain;
    }

    /** Size in bytes as requested (the backing may be rounded up to pages). */
    public long size() {
        return size;
    }

    /** The GPU address of byte 0 (VMID 0: MC address for VRAM, GART address for GTT). */
    public long gpuAddress() {
        return gpuAddress;
    }

    /** Byte offset in VRAM (and BAR0); VRAM buffers only. */
    public long vramOffset() {
        return vramOffset;
    }

    /** The host buffer; GTT buffers only. */
    public HostBuffer host() {
        return host;
    }

    public Object owner() {
        return owner;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses {@code [offset, offset + length)} unless it lies inside this buffer and the buffer is open. */
    public void checkRange(long offset, long length, String what) {
        if (closed) {
            throw new ClientClosedException(what + ": " + this + " was already freed");
        }
        if (length <= 0 || offset < 0 || offset > size || length > size - offset) {
            throw new InvalidRequestException(String.format("%s: range [%d, +%d) is outside %s of %d bytes",
                    what, offset, length, domain, size));
        }
    }

    /** Frees the buffer: its VRAM range or its host memory, GART and DMA mapping. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (host != null) {
                host.close();
            } else {
                releaseVram.accept(vramOffset);
            }
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return String.format("BufferObject[%s %d bytes @0x%x%s]", domain, size, gpuAddress, closed ? " freed" : "");
    }
}
