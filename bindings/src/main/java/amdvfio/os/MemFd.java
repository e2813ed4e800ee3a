package amdvfio.os;

import amdvfio.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Anonymous shared memory with a file descriptor ({@code memfd_create}), sized with
 * {@code ftruncate}. The simulator backs VRAM with one; the driver backs GTT buffers with them,
 * so they can be mapped by several clients, exported as a descriptor, and survive the device.
 */
public final class MemFd extends Fd {

    private final long size;

    private MemFd(int fd, String name, long size) {
        super(fd, "memfd:" + name);
        this.size = size;
    }

    /** A close-on-exec memfd of {@code size} bytes (> 0), zero-filled, pages allocated on first touch. */
    public static MemFd create(String name, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("memfd size must be positive: " + size + " (" + name + ")");
        }
        MemorySegment cs = Syscalls.callState();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = libc_h.memfd_create(cs, arena.allocateFrom("amdvfio:" + name), libc_h.MFD_CLOEXEC());
        }
        if (fd < 0) {
            throw new SyscallException("memfd_create(" + name + ")", Syscalls.errno(cs));
        }
        MemFd memFd = new MemFd(fd, name, size);
        try {
            Syscalls.ftruncate(fd, size);
        } catch (SyscallException e) {
            memFd.close();
            throw e;
        }
        return memFd;
    }

    public long size() {
        return size;
    }

    /** Maps {@code length} bytes at {@code offset} shared, read-write. */
    public Mapping map(long offset, long length) {
        if (offset < 0 || length <= 0 || offset + length > size) {
            throw new IllegalArgumentException("range [0x" + Long.toHexString(offset) + ", +0x" + Long.toHexString(length)
                    + ") is outside " + name() + " of 0x" + Long.toHexString(size) + " bytes");
        }
        return Mapping.map(this, offset, length);
    }

    /** Maps the whole memfd shared, read-write. */
    public Mapping map() {
        return map(0, size);
    }
}
