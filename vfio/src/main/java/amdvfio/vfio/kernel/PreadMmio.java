package amdvfio.vfio.kernel;

import amdvfio.os.Errno;
import amdvfio.os.Fd;
import amdvfio.os.SyscallException;
import amdvfio.vfio.DeviceClosedException;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Register access to a BAR that cannot be mmap'd, through {@code pread/pwrite} on the device
 * descriptor at the region's offset (vfio_pci_core_read/write → vfio_pci_bar_rw). Each access
 * is one syscall of the access's width, so vfio performs one 32- or 64-bit MMIO cycle.
 *
 * <p>A device that is gone fails the syscall (EIO, ENODEV): reads then return all ones and
 * writes are dropped, as on the bus. Nothing allocates: a per-thread 8-byte buffer is reused.
 *
 * <p>Threading: any thread; not after {@link #close()}.
 */
final class PreadMmio implements Mmio {

    private static final ThreadLocal<MemorySegment> BUF4 =
            ThreadLocal.withInitial(() -> Arena.global().allocate(ValueLayout.JAVA_INT));
    private static final ThreadLocal<MemorySegment> BUF8 =
            ThreadLocal.withInitial(() -> Arena.global().allocate(ValueLayout.JAVA_LONG));

    private final PciAddress address;
    private final int bar;
    private final Fd device;
    private final long regionOffset;
    private final long size;
    private volatile boolean closed;
    private volatile boolean failed;

    PreadMmio(PciAddress address, int bar, Fd device, long regionOffset, long size) {
        this.address = address;
        this.bar = bar;
        this.device = device;
        this.regionOffset = regionOffset;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read32(long offset) {
        MemorySegment b = BUF4.get();
        return read(b, offset, 4) ? b.get(ValueLayout.JAVA_INT, 0) : 0xFFFFFFFF;
    }

    @Override
    public long read64(long offset) {
        MemorySegment b = BUF8.get();
        return read(b, offset, 8) ? b.get(ValueLayout.JAVA_LONG, 0) : -1L;
    }

    @Override
    public void write32(long offset, int value) {
        MemorySegment b = BUF4.get();
        b.set(ValueLayout.JAVA_INT, 0, value);
        write(b, offset, 4);
    }

    @Override
    public void write64(long offset, long value) {
        MemorySegment b = BUF8.get();
        b.set(ValueLayout.JAVA_LONG, 0, value);
        write(b, offset, 8);
    }

    private boolean read(MemorySegment b, long offset, int width) {
        check(offset, width);
        try {
            device.preadFully(b, regionOffset + offset);
            return true;
        } catch (SyscallException e) {
            return gone(e, "pread", offset);
        }
    }

    private void write(MemorySegment b, long offset, int width) {
        check(offset, width);
        try {
            device.pwriteFully(b, regionOffset + offset);
        } catch (SyscallException e) {
            gone(e, "pwrite", offset);
        }
    }

    /** EIO/ENODEV/EBADF: the device is gone → all-ones semantics; anything else is our bug. */
    private boolean gone(SyscallException e, String op, long offset) {
        if (e.is(Errno.EIO) || e.is(Errno.ENODEV) || e.is(Errno.ENXIO) || e.is(Errno.EBADF)) {
            failed = true;
            return false;
        }
        throw new VfioException(String.format("%s of BAR%d+0x%x on %s failed: %s", op, bar, offset, address, e.getMessage()), e);
    }

    private void check(long offset, int width) {
        if (closed) {
            throw new DeviceClosedException(address, "BAR" + bar + " access");
        }
        if (offset < 0 || offset + width > size || offset % width != 0) {
            throw new IllegalArgumentException(String.format("BAR%d offset 0x%x (width %d) is unaligned or outside 0x%x bytes",
                    bar, offset, width, size));
        }
    }

    /** True once an access failed because the device is gone. */
    boolean failed() {
        return failed;
    }

    void close() {
        closed = true;
    }
}
