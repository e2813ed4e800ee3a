package amdvfio.os;

import amdvfio.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The libc calls of {@link libc_h}, each turning -1 into a {@link SyscallException} that names
 * the call and the errno. No call here allocates on the Java heap: the errno of a call is
 * captured into a per-thread segment made once per thread.
 *
 * <p>{@code name} arguments only label the exception ("VFIO_DEVICE_SET_IRQS"); they cost nothing
 * on success.
 */
public final class Syscalls {

    private Syscalls() {
    }

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateCallState(Arena.global()));

    private static final long PAGE_SIZE = pageSizeOnce();

    /**
     * Links the downcalls a device removal makes — {@code read} and {@code write} (eventfds),
     * {@code close}, {@code munmap} — now rather than at their first use: a downcall's first call
     * in a JVM builds its stub and method-handle forms, milliseconds measured in a fresh JVM (the
     * first {@code write} about 4 ms), and a process often meets its first removal before it ever
     * closed an fd. Each is called once with arguments the kernel refuses before doing anything
     * (fd -1: EBADF; length 0: EINVAL). Idempotent and cheap after the first call.
     */
    public static void linkRemovalCalls() {
        RemovalCallsLinked.touch();
    }

    private static final class RemovalCallsLinked {
        static {
            MemorySegment cs = callState();
            MemorySegment none = MemorySegment.NULL;
            libc_h.read(cs, -1, none, 0);
            libc_h.write(cs, -1, none, 0);
            libc_h.close(cs, -1);
            libc_h.munmap(cs, none, 0);
        }

        static void touch() {
            // the class initializer did the work, once
        }
    }

    /** The per-thread segment the errno-capturing calls write into. */
    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    static int errno(MemorySegment callState) {
        return libc_h.errno(callState);
    }

    /** The system page size ({@code sysconf(_SC_PAGESIZE)}). */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    private static long pageSizeOnce() {
        MemorySegment cs = libc_h.allocateCallState(Arena.global());
        long size = libc_h.sysconf(cs, libc_h._SC_PAGESIZE());
        if (size <= 0) {
            throw new SyscallException("sysconf(_SC_PAGESIZE)", libc_h.errno(cs));
        }
        return size;
    }

    /** {@code open(path, flags, 0)}; returns the new descriptor. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = callState();
            int fd = libc_h.open(cs, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new SyscallException("open(" + path + ")", errno(cs));
            }
            return fd;
        }
    }

    public static void close(int fd) {
        MemorySegment cs = callState();
        if (libc_h.close(cs, fd) < 0) {
            throw new SyscallException("close(" + fd + ")", errno(cs));
        }
    }

    /** {@code read(fd, buf, buf.byteSize())}; returns the count read, or -1 on EAGAIN. */
    public static long read(int fd, MemorySegment buf) {
        MemorySegment cs = callState();
        long n = libc_h.read(cs, fd, buf, buf.byteSize());
        if (n < 0) {
            int err = errno(cs);
            if (err == libc_h.EAGAIN()) {
                return -1;
            }
            throw new SyscallException("read(" + fd + ")", err);
        }
        return n;
    }

    /** {@code write(fd, buf, buf.byteSize())}; returns the count written, or -1 on EAGAIN. */
    public static long write(int fd, MemorySegment buf) {
        MemorySegment cs = callState();
        long n = libc_h.write(cs, fd, buf, buf.byteSize());
        if (n < 0) {
            int err = errno(cs);
            if (err == libc_h.EAGAIN()) {
                return -1;
            }
            throw new SyscallException("write(" + fd + ")", err);
        }
        return n;
    }

    /** {@code pread} of exactly {@code buf.byteSize()} bytes at {@code offset}, or an exception. */
    public static void preadFully(int fd, MemorySegment buf, long offset) {
        MemorySegment cs = callState();
        long done = 0;
        while (done < buf.byteSize()) {
            long n = libc_h.pread(cs, fd, buf.asSlice(done), buf.byteSize() - done, offset + done);
            if (n < 0) {
                throw new SyscallException("pread(" + fd + ", offset 0x" + Long.toHexString(offset + done) + ")", errno(cs));
            }
            if (n == 0) {
                throw new SyscallException("pread(" + fd + ", offset 0x" + Long.toHexString(offset + done) + ")",
                        libc_h.EIO(), "short read at end of region");
            }
            done += n;
        }
    }

    /** {@code pwrite} of exactly {@code buf.byteSize()} bytes at {@code offset}, or an exception. */
    public static void pwriteFully(int fd, MemorySegment buf, long offset) {
        MemorySegment cs = callState();
        long done = 0;
        while (done < buf.byteSize()) {
            long n = libc_h.pwrite(cs, fd, buf.asSlice(done), buf.byteSize() - done, offset + done);
            if (n <= 0) {
                throw new SyscallException("pwrite(" + fd + ", offset 0x" + Long.toHexString(offset + done) + ")",
                        n < 0 ? errno(cs) : libc_h.EIO());
            }
            done += n;
        }
    }

    /** {@code ioctl(fd, request, arg)} with a pointer argument; returns the non-negative result. */
    public static int ioctl(int fd, long request, MemorySegment arg, String name) {
        MemorySegment cs = callState();
        int r = libc_h.ioctl(cs, fd, request, arg);
        if (r < 0) {
            throw new SyscallException("ioctl(" + name + ")", errno(cs));
        }
        return r;
    }

    /** {@code ioctl(fd, request, arg)} with an int argument (VFIO_SET_IOMMU, VFIO_CHECK_EXTENSION, ...). */
    public static int ioctl(int fd, long request, int arg, String name) {
        MemorySegment cs = callState();
        int r = libc_h.ioctl_int(cs, fd, request, arg);
        if (r < 0) {
            throw new SyscallException("ioctl(" + name + ")", errno(cs));
        }
        return r;
    }

    /**
     * {@code mmap}; returns the mapping as a segment of {@code length} bytes in the global scope
     * (it is never invalidated by the JVM: whoever maps it also unmaps it).
     */
    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        MemorySegment cs = callState();
        MemorySegment p = libc_h.mmap(cs, addr, length, prot, flags, fd, offset);
        if (p.address() == -1L) {
            throw new SyscallException("mmap(length 0x" + Long.toHexString(length) + ", fd " + fd
                    + ", offset 0x" + Long.toHexString(offset) + ")", errno(cs));
        }
        return p.reinterpret(length);
    }

    public static void munmap(MemorySegment addr, long length) {
        MemorySegment cs = callState();
        if (libc_h.munmap(cs, addr, length) < 0) {
            throw new SyscallException("munmap(0x" + Long.toHexString(addr.address()) + ")", errno(cs));
        }
    }

    public static void mprotect(MemorySegment addr, long length, int prot) {
        MemorySegment cs = callState();
        if (libc_h.mprotect(cs, addr, length, prot) < 0) {
            throw new SyscallException("mprotect(0x" + Long.toHexString(addr.address()) + ")", errno(cs));
        }
    }

    public static void madvise(MemorySegment addr, long length, int advice) {
        MemorySegment cs = callState();
        if (libc_h.madvise(cs, addr, length, advice) < 0) {
            throw new SyscallException("madvise(0x" + Long.toHexString(addr.address()) + ")", errno(cs));
        }
    }

    public static void ftruncate(int fd, long length) {
        MemorySegment cs = callState();
        if (libc_h.ftruncate(cs, fd, length) < 0) {
            throw new SyscallException("ftruncate(" + fd + ", " + length + ")", errno(cs));
        }
    }

    /** Rounds {@code n} up to a multiple of the page size. */
    public static long pageAlign(long n) {
        return (n + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
