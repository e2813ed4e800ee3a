// Written in jextract's output shape for <fcntl.h>, <unistd.h>, <sys/mman.h>, <sys/eventfd.h>,
// <sys/epoll.h>, <poll.h>, <errno.h> (x86-64 Linux, glibc). Every constant and struct here is
// compared with the C compiler's view by StructLayoutTest; jextract/regen.sh regenerates it
// where jextract is installed. Hand additions, as jextract's guide recommends: errno capture on
// every errno-setting call, and a second, int-argument invoker for the variadic ioctl.
package amdvfio.bindings.libc;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

public class libc_h {

    libc_h() {
        // Should not be called directly
    }

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup SYMBOL_LOOKUP = LINKER.defaultLookup();

    static MemorySegment symbol(String name) {
        return SYMBOL_LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** For members of packed structs ({@code struct epoll_event} on x86-64). */
    public static final ValueLayout.OfLong C_LONG_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    /** Every errno-setting function is linked with this option; pass a {@link #allocateCallState} segment. */
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** The layout of the segment the errno-capturing calls write {@code errno} into. */
    public static StructLayout callStateLayout() { return CALL_STATE_LAYOUT; }

    /** Allocates a call-state segment for the errno-capturing calls. */
    public static MemorySegment allocateCallState(SegmentAllocator allocator) { return allocator.allocate(CALL_STATE_LAYOUT); }

    /** The {@code errno} captured by the last call that was given {@code callState}. */
    public static int errno(MemorySegment callState) { return (int) ERRNO.get(callState, 0L); }

    /** {@snippet lang=c : #define MAP_FAILED ((void *) -1)} */
    public static MemorySegment MAP_FAILED() { return MemorySegment.ofAddress(-1L); }

    private static final int O_RDONLY = 0;

    /** {@snippet lang=c : #define O_RDONLY 0} */
    public static int O_RDONLY() { return O_RDONLY; }
    private static final int O_WRONLY = 1;

    /** {@snippet lang=c : #define O_WRONLY 1} */
    public static int O_WRONLY() { return O_WRONLY; }
    private static final int O_RDWR = 2;

    /** {@snippet lang=c : #define O_RDWR 2} */
    public static int O_RDWR() { return O_RDWR; }
    private static final int O_CREAT = 0x40;

    /** {@snippet lang=c : #define O_CREAT 0x40} */
    public static int O_CREAT() { return O_CREAT; }
    private static final int O_CLOEXEC = 0x80000;

    /** {@snippet lang=c : #define O_CLOEXEC 0x80000} */
    public static int O_CLOEXEC() { return O_CLOEXEC; }
    private static final int O_NONBLOCK = 0x800;

    /** {@snippet lang=c : #define O_NONBLOCK 0x800} */
    public static int O_NONBLOCK() { return O_NONBLOCK; }
    private static final int O_SYNC = 0x101000;

    /** {@snippet lang=c : #define O_SYNC 0x101000} */
    public static int O_SYNC() { return O_SYNC; }
    private static final int PROT_NONE = 0;

    /** {@snippet lang=c : #define PROT_NONE 0} */
    public static int PROT_NONE() { return PROT_NONE; }
    private static final int PROT_READ = 1;

    /** {@snippet lang=c : #define PROT_READ 1} */
    public static int PROT_READ() { return PROT_READ; }
    private static final int PROT_WRITE = 2;

    /** {@snippet lang=c : #define PROT_WRITE 2} */
    public static int PROT_WRITE() { return PROT_WRITE; }
    private static final int MAP_SHARED = 1;

    /** {@snippet lang=c : #define MAP_SHARED 1} */
    public static int MAP_SHARED() { return MAP_SHARED; }
    private static final int MAP_PRIVATE = 2;

    /** {@snippet lang=c : #define MAP_PRIVATE 2} */
    public static int MAP_PRIVATE() { return MAP_PRIVATE; }
    private static final int MAP_FIXED = 0x10;

    /** {@snippet lang=c : #define MAP_FIXED 0x10} */
    public static int MAP_FIXED() { return MAP_FIXED; }
    private static final int MAP_ANONYMOUS = 0x20;

    /** {@snippet lang=c : #define MAP_ANONYMOUS 0x20} */
    public static int MAP_ANONYMOUS() { return MAP_ANONYMOUS; }
    private static final int MAP_NORESERVE = 0x4000;

    /** {@snippet lang=c : #define MAP_NORESERVE 0x4000} */
    public static int MAP_NORESERVE() { return MAP_NORESERVE; }
    private static final int MAP_POPULATE = 0x8000;

    /** {@snippet lang=c : #define MAP_POPULATE 0x8000} */
    public static int MAP_POPULATE() { return MAP_POPULATE; }
    private static final int MAP_FIXED_NOREPLACE = 0x100000;

    /** {@snippet lang=c : #define MAP_FIXED_NOREPLACE 0x100000} */
    public static int MAP_FIXED_NOREPLACE() { return MAP_FIXED_NOREPLACE; }
    private static final int MADV_NORMAL = 0;

    /** {@snippet lang=c : #define MADV_NORMAL 0} */
    public static int MADV_NORMAL() { return MADV_NORMAL; }
    private static final int MADV_DONTNEED = 4;

    /** {@snippet lang=c : #define MADV_DONTNEED 4} */
    public static int MADV_DONTNEED() { return MADV_DONTNEED; }
    private static final int MADV_DONTFORK = 0xa;

    /** {@snippet lang=c : #define MADV_DONTFORK 0xa} */
    public static int MADV_DONTFORK() { return MADV_DONTFORK; }
    private static final int MADV_REMOVE = 9;

    /** {@snippet lang=c : #define MADV_REMOVE 9} */
    public static int MADV_REMOVE() { return MADV_REMOVE; }
    private static final int MFD_CLOEXEC = 1;

    /** {@snippet lang=c : #define MFD_CLOEXEC 1} */
    public static int MFD_CLOEXEC() { return MFD_CLOEXEC; }
    private static final int MFD_ALLOW_SEALING = 2;

    /** {@snippet lang=c : #define MFD_ALLOW_SEALING 2} */
    public static int MFD_ALLOW_SEALING() { return MFD_ALLOW_SEALING; }
    private static final int EFD_CLOEXEC = 0x80000;

    /** {@snippet lang=c : #define EFD_CLOEXEC 0x80000} */
    public static int EFD_CLOEXEC() { return EFD_CLOEXEC; }
    private static final int EFD_NONBLOCK = 0x800;

    /** {@snippet lang=c : #define EFD_NONBLOCK 0x800} */
    public static int EFD_NONBLOCK() { return EFD_NONBLOCK; }
    private static final int EFD_SEMAPHORE = 1;

    /** {@snippet lang=c : #define EFD_SEMAPHORE 1} */
    public static int EFD_SEMAPHORE() { return EFD_SEMAPHORE; }
    private static final int EPOLL_CLOEXEC = 0x80000;

    /** {@snippet lang=c : #define EPOLL_CLOEXEC 0x80000} */
    public static int EPOLL_CLOEXEC() { return EPOLL_CLOEXEC; }
    private static final int EPOLL_CTL_ADD = 1;

    /** {@snippet lang=c : #define EPOLL_CTL_ADD 1} */
    public static int EPOLL_CTL_ADD() { return EPOLL_CTL_ADD; }
    private static final int EPOLL_CTL_DEL = 2;

    /** {@snippet lang=c : #define EPOLL_CTL_DEL 2} */
    public static int EPOLL_CTL_DEL() { return EPOLL_CTL_DEL; }
    private static final int EPOLL_CTL_MOD = 3;

    /** {@snippet lang=c : #define EPOLL_CTL_MOD 3} */
    public static int EPOLL_CTL_MOD() { return EPOLL_CTL_MOD; }
    private static final int EPOLLIN = 1;

    /** {@snippet lang=c : #define EPOLLIN 1} */
    public static int EPOLLIN() { return EPOLLIN; }
    private static final int EPOLLOUT = 4;

    /** {@snippet lang=c : #define EPOLLOUT 4} */
    public static int EPOLLOUT() { return EPOLLOUT; }
    private static final int EPOLLERR = 8;

    /** {@snippet lang=c : #define EPOLLERR 8} */
    public static int EPOLLERR() { return EPOLLERR; }
    private static final int EPOLLHUP = 0x10;

    /** {@snippet lang=c : #define EPOLLHUP 0x10} */
    public static int EPOLLHUP() { return EPOLLHUP; }
    private static final int EPOLLET = 0x80000000;

    /** {@snippet lang=c : #define EPOLLET 0x80000000} */
    public static int EPOLLET() { return EPOLLET; }
    private static final int POLLIN = 1;

    /** {@snippet lang=c : #define POLLIN 1} */
    public static int POLLIN() { return POLLIN; }
    private static final int POLLOUT = 4;

    /** {@snippet lang=c : #define POLLOUT 4} */
    public static int POLLOUT() { return POLLOUT; }
    private static final int POLLERR = 8;

    /** {@snippet lang=c : #define POLLERR 8} */
    public static int POLLERR() { return POLLERR; }
    private static final int POLLHUP = 0x10;

    /** {@snippet lang=c : #define POLLHUP 0x10} */
    public static int POLLHUP() { return POLLHUP; }
    private static final int POLLNVAL = 0x20;

    /** {@snippet lang=c : #define POLLNVAL 0x20} */
    public static int POLLNVAL() { return POLLNVAL; }
    private static final int _SC_PAGESIZE = 30;

    /** {@snippet lang=c : #define _SC_PAGESIZE 30} */
    public static int _SC_PAGESIZE() { return _SC_PAGESIZE; }
    private static final int AF_NETLINK = 16;

    /** {@snippet lang=c : #define AF_NETLINK 16} */
    public static int AF_NETLINK() { return AF_NETLINK; }
    private static final int SOCK_DGRAM = 2;

    /** {@snippet lang=c : #define SOCK_DGRAM 2} */
    public static int SOCK_DGRAM() { return SOCK_DGRAM; }
    private static final int SOCK_RAW = 3;

    /** {@snippet lang=c : #define SOCK_RAW 3} */
    public static int SOCK_RAW() { return SOCK_RAW; }
    private static final int SOCK_CLOEXEC = 524288;

    /** {@snippet lang=c : #define SOCK_CLOEXEC 524288} */
    public static int SOCK_CLOEXEC() { return SOCK_CLOEXEC; }
    private static final int SOCK_NONBLOCK = 2048;

    /** {@snippet lang=c : #define SOCK_NONBLOCK 2048} */
    public static int SOCK_NONBLOCK() { return SOCK_NONBLOCK; }
    private static final int NETLINK_KOBJECT_UEVENT = 15;

    /** {@snippet lang=c : #define NETLINK_KOBJECT_UEVENT 15} */
    public static int NETLINK_KOBJECT_UEVENT() { return NETLINK_KOBJECT_UEVENT; }
    private static final int SOL_SOCKET = 1;

    /** {@snippet lang=c : #define SOL_SOCKET 1} */
    public static int SOL_SOCKET() { return SOL_SOCKET; }
    private static final int SO_RCVBUF = 8;

    /** {@snippet lang=c : #define SO_RCVBUF 8} */
    public static int SO_RCVBUF() { return SO_RCVBUF; }
    private static final int SO_RCVBUFFORCE = 33;

    /** {@snippet lang=c : #define SO_RCVBUFFORCE 33} */
    public static int SO_RCVBUFFORCE() { return SO_RCVBUFFORCE; }
    private static final int MSG_DONTWAIT = 64;

    /** {@snippet lang=c : #define MSG_DONTWAIT 64} */
    public static int MSG_DONTWAIT() { return MSG_DONTWAIT; }
    private static final int EPERM = 1;

    /** {@snippet lang=c : #define EPERM 1} */
    public static int EPERM() { return EPERM; }
    private static final int ENOENT = 2;

    /** {@snippet lang=c : #define ENOENT 2} */
    public static int ENOENT() { return ENOENT; }
    private static final int ESRCH = 3;

    /** {@snippet lang=c : #define ESRCH 3} */
    public static int ESRCH() { return ESRCH; }
    private static final int EINTR = 4;

    /** {@snippet lang=c : #define EINTR 4} */
    public static int EINTR() { return EINTR; }
    private static final int EIO = 5;

    /** {@snippet lang=c : #define EIO 5} */
    public static int EIO() { return EIO; }
    private static final int ENXIO = 6;

    /** {@snippet lang=c : #define ENXIO 6} */
    public static int ENXIO() { return ENXIO; }
    private static final int E2BIG = 7;

    /** {@snippet lang=c : #define E2BIG 7} */
    public static int E2BIG() { return E2BIG; }
    private static final int EBADF = 9;

    /** {@snippet lang=c : #define EBADF 9} */
    public static int EBADF() { return EBADF; }
    private static final int EAGAIN = 11;

    /** {@snippet lang=c : #define EAGAIN 11} */
    public static int EAGAIN() { return EAGAIN; }
    private static final int ENOMEM = 12;

    /** {@snippet lang=c : #define ENOMEM 12} */
    public static int ENOMEM() { return ENOMEM; }
    private static final int EACCES = 13;

    /** {@snippet lang=c : #define EACCES 13} */
    public static int EACCES() { return EACCES; }
    private static final int EFAULT = 14;

    /** {@snippet lang=c : #define EFAULT 14} */
    public static int EFAULT() { return EFAULT; }
    private static final int EBUSY = 16;

    /** {@snippet lang=c : #define EBUSY 16} */
    public static int EBUSY() { return EBUSY; }
    private static final int EEXIST = 17;

    /** {@snippet lang=c : #define EEXIST 17} */
    public static int EEXIST() { return EEXIST; }
    private static final int ENODEV = 19;

    /** {@snippet lang=c : #define ENODEV 19} */
    public static int ENODEV() { return ENODEV; }
    private static final int ENOTDIR = 20;

    /** {@snippet lang=c : #define ENOTDIR 20} */
    public static int ENOTDIR() { return ENOTDIR; }
    private static final int EINVAL = 22;

    /** {@snippet lang=c : #define EINVAL 22} */
    public static int EINVAL() { return EINVAL; }
    private static final int ENFILE = 23;

    /** {@snippet lang=c : #define ENFILE 23} */
    public static int ENFILE() { return ENFILE; }
    private static final int EMFILE = 24;

    /** {@snippet lang=c : #define EMFILE 24} */
    public static int EMFILE() { return EMFILE; }
    private static final int ENOTTY = 25;

    /** {@snippet lang=c : #define ENOTTY 25} */
    public static int ENOTTY() { return ENOTTY; }
    private static final int EFBIG = 27;

    /** {@snippet lang=c : #define EFBIG 27} */
    public static int EFBIG() { return EFBIG; }
    private static final int ENOSPC = 28;

    /** {@snippet lang=c : #define ENOSPC 28} */
    public static int ENOSPC() { return ENOSPC; }
    private static final int ESPIPE = 29;

    /** {@snippet lang=c : #define ESPIPE 29} */
    public static int ESPIPE() { return ESPIPE; }
    private static final int EROFS = 30;

    /** {@snippet lang=c : #define EROFS 30} */
    public static int EROFS() { return EROFS; }
    private static final int EPIPE = 32;

    /** {@snippet lang=c : #define EPIPE 32} */
    public static int EPIPE() { return EPIPE; }
    private static final int ERANGE = 34;

    /** {@snippet lang=c : #define ERANGE 34} */
    public static int ERANGE() { return ERANGE; }
    private static final int ENOSYS = 38;

    /** {@snippet lang=c : #define ENOSYS 38} */
    public static int ENOSYS() { return ENOSYS; }
    private static final int EOVERFLOW = 75;

    /** {@snippet lang=c : #define EOVERFLOW 75} */
    public static int EOVERFLOW() { return EOVERFLOW; }
    private static final int EOPNOTSUPP = 95;

    /** {@snippet lang=c : #define EOPNOTSUPP 95} */
    public static int EOPNOTSUPP() { return EOPNOTSUPP; }
    private static final int ETIMEDOUT = 110;

    /** {@snippet lang=c : #define ETIMEDOUT 110} */
    public static int ETIMEDOUT() { return ETIMEDOUT; }
    private static final int EHWPOISON = 133;

    /** {@snippet lang=c : #define EHWPOISON 133} */
    public static int EHWPOISON() { return EHWPOISON; }
    private static final int ENOTSUP = 95;

    /** {@snippet lang=c : #define ENOTSUP 95} */
    public static int ENOTSUP() { return ENOTSUP; }
    private static final int EDEADLK = 35;

    /** {@snippet lang=c : #define EDEADLK 35} */
    public static int EDEADLK() { return EDEADLK; }
    private static final int ENAMETOOLONG = 36;

    /** {@snippet lang=c : #define ENAMETOOLONG 36} */
    public static int ENAMETOOLONG() { return ENAMETOOLONG; }
    private static final int ELOOP = 40;

    /** {@snippet lang=c : #define ELOOP 40} */
    public static int ELOOP() { return ELOOP; }
    private static final int ENOTEMPTY = 39;

    /** {@snippet lang=c : #define ENOTEMPTY 39} */
    public static int ENOTEMPTY() { return ENOTEMPTY; }
    private static final int EISDIR = 21;

    /** {@snippet lang=c : #define EISDIR 21} */
    public static int EISDIR() { return EISDIR; }
    private static final int ENOBUFS = 105;

    /** {@snippet lang=c : #define ENOBUFS 105} */
    public static int ENOBUFS() { return ENOBUFS; }

    private static class open {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("open");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** Function descriptor for {@snippet lang=c : int open(const char *path, int flags, ...)} */
    public static FunctionDescriptor open$descriptor() { return open.DESC; }

    /** Downcall method handle for {@snippet lang=c : int open(const char *path, int flags, ...)} */
    public static MethodHandle open$handle() { return open.HANDLE; }

    /** Address for {@snippet lang=c : int open(const char *path, int flags, ...)} */
    public static MemorySegment open$address() { return open.ADDR; }

    /**
     * {@snippet lang=c : int open(const char *path, int flags, ...)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int open(MemorySegment callState, MemorySegment path, int flags, int mode) {
        try {
            return (int) open.HANDLE.invokeExact(callState, path, flags, mode);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class close {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("close");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int close(int fd)} */
    public static FunctionDescriptor close$descriptor() { return close.DESC; }

    /** Downcall method handle for {@snippet lang=c : int close(int fd)} */
    public static MethodHandle close$handle() { return close.HANDLE; }

    /** Address for {@snippet lang=c : int close(int fd)} */
    public static MemorySegment close$address() { return close.ADDR; }

    /**
     * {@snippet lang=c : int close(int fd)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int close(MemorySegment callState, int fd) {
        try {
            return (int) close.HANDLE.invokeExact(callState, fd);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class read {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        public static final MemorySegment ADDR = symbol("read");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : ssize_t read(int fd, void *buf, size_t count)} */
    public static FunctionDescriptor read$descriptor() { return read.DESC; }

    /** Downcall method handle for {@snippet lang=c : ssize_t read(int fd, void *buf, size_t count)} */
    public static MethodHandle read$handle() { return read.HANDLE; }

    /** Address for {@snippet lang=c : ssize_t read(int fd, void *buf, size_t count)} */
    public static MemorySegment read$address() { return read.ADDR; }

    /**
     * {@snippet lang=c : ssize_t read(int fd, void *buf, size_t count)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) read.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class write {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        public static final MemorySegment ADDR = symbol("write");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : ssize_t write(int fd, const void *buf, size_t count)} */
    public static FunctionDescriptor write$descriptor() { return write.DESC; }

    /** Downcall method handle for {@snippet lang=c : ssize_t write(int fd, const void *buf, size_t count)} */
    public static MethodHandle write$handle() { return write.HANDLE; }

    /** Address for {@snippet lang=c : ssize_t write(int fd, const void *buf, size_t count)} */
    public static MemorySegment write$address() { return write.ADDR; }

    /**
     * {@snippet lang=c : ssize_t write(int fd, const void *buf, size_t count)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long write(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) write.HANDLE.invokeExact(callState, fd, buf, count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pread {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_LONG);
        public static final MemorySegment ADDR = symbol("pread");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    public static FunctionDescriptor pread$descriptor() { return pread.DESC; }

    /** Downcall method handle for {@snippet lang=c : ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    public static MethodHandle pread$handle() { return pread.HANDLE; }

    /** Address for {@snippet lang=c : ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    public static MemorySegment pread$address() { return pread.ADDR; }

    /**
     * {@snippet lang=c : ssize_t pread(int fd, void *buf, size_t count, off_t offset)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long pread(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pread.HANDLE.invokeExact(callState, fd, buf, count, offset);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pwrite {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_LONG);
        public static final MemorySegment ADDR = symbol("pwrite");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    public static FunctionDescriptor pwrite$descriptor() { return pwrite.DESC; }

    /** Downcall method handle for {@snippet lang=c : ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    public static MethodHandle pwrite$handle() { return pwrite.HANDLE; }

    /** Address for {@snippet lang=c : ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    public static MemorySegment pwrite$address() { return pwrite.ADDR; }

    /**
     * {@snippet lang=c : ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long pwrite(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) pwrite.HANDLE.invokeExact(callState, fd, buf, count, offset);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ioctl {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER);
        public static final MemorySegment ADDR = symbol("ioctl");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** Function descriptor for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // pointer argument} */
    public static FunctionDescriptor ioctl$descriptor() { return ioctl.DESC; }

    /** Downcall method handle for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // pointer argument} */
    public static MethodHandle ioctl$handle() { return ioctl.HANDLE; }

    /** Address for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // pointer argument} */
    public static MemorySegment ioctl$address() { return ioctl.ADDR; }

    /**
     * {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // pointer argument}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int ioctl(MemorySegment callState, int fd, long request, MemorySegment arg) {
        try {
            return (int) ioctl.HANDLE.invokeExact(callState, fd, request, arg);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ioctl_int {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("ioctl");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** Function descriptor for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // int argument} */
    public static FunctionDescriptor ioctl_int$descriptor() { return ioctl_int.DESC; }

    /** Downcall method handle for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // int argument} */
    public static MethodHandle ioctl_int$handle() { return ioctl_int.HANDLE; }

    /** Address for {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // int argument} */
    public static MemorySegment ioctl_int$address() { return ioctl_int.ADDR; }

    /**
     * {@snippet lang=c : int ioctl(int fd, unsigned long request, ...) // int argument}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int ioctl_int(MemorySegment callState, int fd, long request, int arg) {
        try {
            return (int) ioctl_int.HANDLE.invokeExact(callState, fd, request, arg);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class mmap {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG);
        public static final MemorySegment ADDR = symbol("mmap");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)} */
    public static FunctionDescriptor mmap$descriptor() { return mmap.DESC; }

    /** Downcall method handle for {@snippet lang=c : void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)} */
    public static MethodHandle mmap$handle() { return mmap.HANDLE; }

    /** Address for {@snippet lang=c : void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)} */
    public static MemorySegment mmap$address() { return mmap.ADDR; }

    /**
     * {@snippet lang=c : void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static MemorySegment mmap(MemorySegment callState, MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) mmap.HANDLE.invokeExact(callState, addr, length, prot, flags, fd, offset);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class munmap {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);
        public static final MemorySegment ADDR = symbol("munmap");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int munmap(void *addr, size_t length)} */
    public static FunctionDescriptor munmap$descriptor() { return munmap.DESC; }

    /** Downcall method handle for {@snippet lang=c : int munmap(void *addr, size_t length)} */
    public static MethodHandle munmap$handle() { return munmap.HANDLE; }

    /** Address for {@snippet lang=c : int munmap(void *addr, size_t length)} */
    public static MemorySegment munmap$address() { return munmap.ADDR; }

    /**
     * {@snippet lang=c : int munmap(void *addr, size_t length)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int munmap(MemorySegment callState, MemorySegment addr, long length) {
        try {
            return (int) munmap.HANDLE.invokeExact(callState, addr, length);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class mprotect {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("mprotect");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int mprotect(void *addr, size_t len, int prot)} */
    public static FunctionDescriptor mprotect$descriptor() { return mprotect.DESC; }

    /** Downcall method handle for {@snippet lang=c : int mprotect(void *addr, size_t len, int prot)} */
    public static MethodHandle mprotect$handle() { return mprotect.HANDLE; }

    /** Address for {@snippet lang=c : int mprotect(void *addr, size_t len, int prot)} */
    public static MemorySegment mprotect$address() { return mprotect.ADDR; }

    /**
     * {@snippet lang=c : int mprotect(void *addr, size_t len, int prot)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int mprotect(MemorySegment callState, MemorySegment addr, long length, int prot) {
        try {
            return (int) mprotect.HANDLE.invokeExact(callState, addr, length, prot);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class madvise {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("madvise");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int madvise(void *addr, size_t length, int advice)} */
    public static FunctionDescriptor madvise$descriptor() { return madvise.DESC; }

    /** Downcall method handle for {@snippet lang=c : int madvise(void *addr, size_t length, int advice)} */
    public static MethodHandle madvise$handle() { return madvise.HANDLE; }

    /** Address for {@snippet lang=c : int madvise(void *addr, size_t length, int advice)} */
    public static MemorySegment madvise$address() { return madvise.ADDR; }

    /**
     * {@snippet lang=c : int madvise(void *addr, size_t length, int advice)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int madvise(MemorySegment callState, MemorySegment addr, long length, int advice) {
        try {
            return (int) madvise.HANDLE.invokeExact(callState, addr, length, advice);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class memfd_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        public static final MemorySegment ADDR = symbol("memfd_create");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int memfd_create(const char *name, unsigned int flags)} */
    public static FunctionDescriptor memfd_create$descriptor() { return memfd_create.DESC; }

    /** Downcall method handle for {@snippet lang=c : int memfd_create(const char *name, unsigned int flags)} */
    public static MethodHandle memfd_create$handle() { return memfd_create.HANDLE; }

    /** Address for {@snippet lang=c : int memfd_create(const char *name, unsigned int flags)} */
    public static MemorySegment memfd_create$address() { return memfd_create.ADDR; }

    /**
     * {@snippet lang=c : int memfd_create(const char *name, unsigned int flags)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int memfd_create(MemorySegment callState, MemorySegment name, int flags) {
        try {
            return (int) memfd_create.HANDLE.invokeExact(callState, name, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class ftruncate {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG);
        public static final MemorySegment ADDR = symbol("ftruncate");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int ftruncate(int fd, off_t length)} */
    public static FunctionDescriptor ftruncate$descriptor() { return ftruncate.DESC; }

    /** Downcall method handle for {@snippet lang=c : int ftruncate(int fd, off_t length)} */
    public static MethodHandle ftruncate$handle() { return ftruncate.HANDLE; }

    /** Address for {@snippet lang=c : int ftruncate(int fd, off_t length)} */
    public static MemorySegment ftruncate$address() { return ftruncate.ADDR; }

    /**
     * {@snippet lang=c : int ftruncate(int fd, off_t length)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int ftruncate(MemorySegment callState, int fd, long length) {
        try {
            return (int) ftruncate.HANDLE.invokeExact(callState, fd, length);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class eventfd {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("eventfd");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int eventfd(unsigned int initval, int flags)} */
    public static FunctionDescriptor eventfd$descriptor() { return eventfd.DESC; }

    /** Downcall method handle for {@snippet lang=c : int eventfd(unsigned int initval, int flags)} */
    public static MethodHandle eventfd$handle() { return eventfd.HANDLE; }

    /** Address for {@snippet lang=c : int eventfd(unsigned int initval, int flags)} */
    public static MemorySegment eventfd$address() { return eventfd.ADDR; }

    /**
     * {@snippet lang=c : int eventfd(unsigned int initval, int flags)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int eventfd(MemorySegment callState, int initval, int flags) {
        try {
            return (int) eventfd.HANDLE.invokeExact(callState, initval, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class epoll_create1 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("epoll_create1");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int epoll_create1(int flags)} */
    public static FunctionDescriptor epoll_create1$descriptor() { return epoll_create1.DESC; }

    /** Downcall method handle for {@snippet lang=c : int epoll_create1(int flags)} */
    public static MethodHandle epoll_create1$handle() { return epoll_create1.HANDLE; }

    /** Address for {@snippet lang=c : int epoll_create1(int flags)} */
    public static MemorySegment epoll_create1$address() { return epoll_create1.ADDR; }

    /**
     * {@snippet lang=c : int epoll_create1(int flags)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int epoll_create1(MemorySegment callState, int flags) {
        try {
            return (int) epoll_create1.HANDLE.invokeExact(callState, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class epoll_ctl {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        public static final MemorySegment ADDR = symbol("epoll_ctl");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)} */
    public static FunctionDescriptor epoll_ctl$descriptor() { return epoll_ctl.DESC; }

    /** Downcall method handle for {@snippet lang=c : int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)} */
    public static MethodHandle epoll_ctl$handle() { return epoll_ctl.HANDLE; }

    /** Address for {@snippet lang=c : int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)} */
    public static MemorySegment epoll_ctl$address() { return epoll_ctl.ADDR; }

    /**
     * {@snippet lang=c : int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int epoll_ctl(MemorySegment callState, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) epoll_ctl.HANDLE.invokeExact(callState, epfd, op, fd, event);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class epoll_wait {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("epoll_wait");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)} */
    public static FunctionDescriptor epoll_wait$descriptor() { return epoll_wait.DESC; }

    /** Downcall method handle for {@snippet lang=c : int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)} */
    public static MethodHandle epoll_wait$handle() { return epoll_wait.HANDLE; }

    /** Address for {@snippet lang=c : int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)} */
    public static MemorySegment epoll_wait$address() { return epoll_wait.ADDR; }

    /**
     * {@snippet lang=c : int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int epoll_wait(MemorySegment callState, int epfd, MemorySegment events, int maxevents, int timeout) {
        try {
            return (int) epoll_wait.HANDLE.invokeExact(callState, epfd, events, maxevents, timeout);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class poll {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("poll");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    public static FunctionDescriptor poll$descriptor() { return poll.DESC; }

    /** Downcall method handle for {@snippet lang=c : int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    public static MethodHandle poll$handle() { return poll.HANDLE; }

    /** Address for {@snippet lang=c : int poll(struct pollfd *fds, nfds_t nfds, int timeout)} */
    public static MemorySegment poll$address() { return poll.ADDR; }

    /**
     * {@snippet lang=c : int poll(struct pollfd *fds, nfds_t nfds, int timeout)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int poll(MemorySegment callState, MemorySegment fds, long nfds, int timeout) {
        try {
            return (int) poll.HANDLE.invokeExact(callState, fds, nfds, timeout);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class sysconf {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("sysconf");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : long sysconf(int name)} */
    public static FunctionDescriptor sysconf$descriptor() { return sysconf.DESC; }

    /** Downcall method handle for {@snippet lang=c : long sysconf(int name)} */
    public static MethodHandle sysconf$handle() { return sysconf.HANDLE; }

    /** Address for {@snippet lang=c : long sysconf(int name)} */
    public static MemorySegment sysconf$address() { return sysconf.ADDR; }

    /**
     * {@snippet lang=c : long sysconf(int name)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long sysconf(MemorySegment callState, int name) {
        try {
            return (long) sysconf.HANDLE.invokeExact(callState, name);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class getpid {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        public static final MemorySegment ADDR = symbol("getpid");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** Function descriptor for {@snippet lang=c : pid_t getpid(void)} */
    public static FunctionDescriptor getpid$descriptor() { return getpid.DESC; }

    /** Downcall method handle for {@snippet lang=c : pid_t getpid(void)} */
    public static MethodHandle getpid$handle() { return getpid.HANDLE; }

    /** Address for {@snippet lang=c : pid_t getpid(void)} */
    public static MemorySegment getpid$address() { return getpid.ADDR; }

    /**
     * {@snippet lang=c : pid_t getpid(void)}
     */
    public static int getpid() {
        try {
            return (int) getpid.HANDLE.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class socket {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        public static final MemorySegment ADDR = symbol("socket");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int socket(int domain, int type, int protocol)} */
    public static FunctionDescriptor socket$descriptor() { return socket.DESC; }

    /** Downcall method handle for {@snippet lang=c : int socket(int domain, int type, int protocol)} */
    public static MethodHandle socket$handle() { return socket.HANDLE; }

    /** Address for {@snippet lang=c : int socket(int domain, int type, int protocol)} */
    public static MemorySegment socket$address() { return socket.ADDR; }

    /**
     * {@snippet lang=c : int socket(int domain, int type, int protocol)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int socket(MemorySegment callState, int domain, int type, int protocol) {
        try {
            return (int) socket.HANDLE.invokeExact(callState, domain, type, protocol);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class bind {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        public static final MemorySegment ADDR = symbol("bind");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)} */
    public static FunctionDescriptor bind$descriptor() { return bind.DESC; }

    /** Downcall method handle for {@snippet lang=c : int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)} */
    public static MethodHandle bind$handle() { return bind.HANDLE; }

    /** Address for {@snippet lang=c : int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)} */
    public static MemorySegment bind$address() { return bind.ADDR; }

    /**
     * {@snippet lang=c : int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int bind(MemorySegment callState, int sockfd, MemorySegment addr, int addrlen) {
        try {
            return (int) bind.HANDLE.invokeExact(callState, sockfd, addr, addrlen);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class recv {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        public static final MemorySegment ADDR = symbol("recv");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : ssize_t recv(int sockfd, void *buf, size_t len, int flags)} */
    public static FunctionDescriptor recv$descriptor() { return recv.DESC; }

    /** Downcall method handle for {@snippet lang=c : ssize_t recv(int sockfd, void *buf, size_t len, int flags)} */
    public static MethodHandle recv$handle() { return recv.HANDLE; }

    /** Address for {@snippet lang=c : ssize_t recv(int sockfd, void *buf, size_t len, int flags)} */
    public static MemorySegment recv$address() { return recv.ADDR; }

    /**
     * {@snippet lang=c : ssize_t recv(int sockfd, void *buf, size_t len, int flags)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static long recv(MemorySegment callState, int sockfd, MemorySegment buf, long len, int flags) {
        try {
            return (long) recv.HANDLE.invokeExact(callState, sockfd, buf, len, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class setsockopt {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT);
        public static final MemorySegment ADDR = symbol("setsockopt");
        public static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** Function descriptor for {@snippet lang=c : int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)} */
    public static FunctionDescriptor setsockopt$descriptor() { return setsockopt.DESC; }

    /** Downcall method handle for {@snippet lang=c : int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)} */
    public static MethodHandle setsockopt$handle() { return setsockopt.HANDLE; }

    /** Address for {@snippet lang=c : int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)} */
    public static MemorySegment setsockopt$address() { return setsockopt.ADDR; }

    /**
     * {@snippet lang=c : int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)}
     * <p>Captures {@code errno} into {@code callState} (see {@link #errno(MemorySegment)}).
     */
    public static int setsockopt(MemorySegment callState, int sockfd, int level, int optname, MemorySegment optval, int optlen) {
        try {
            return (int) setsockopt.HANDLE.invokeExact(callState, sockfd, level, optname, optval, optlen);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
