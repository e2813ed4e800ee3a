package amdvfio.vfio.unplug;

import amdvfio.bindings.libc.libc_h;
import amdvfio.os.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The raw {@code mmap(MAP_FIXED)} of the reroute path: it returns the errno instead of throwing,
 * so one failing window does not stop the rest, and it allocates nothing. {@code mmap} is linked
 * here with the addresses as {@code long}s (the pointer-returning binding allocates a segment per
 * call), and without {@code captureCallState}: below C2 a call that captures errno allocates a
 * 40-byte segment view of the capture buffer, and a reroute makes too few calls for the JIT
 * ever to remove that. errno is only needed when the call failed, so a failed call is made once
 * more with errno captured; a {@code MAP_FIXED} over the same range fails the same way again
 * (EBADF, EINVAL, ENOMEM, EPERM), and if the retry succeeds, that is the result.
 */
final class Remap {

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateCallState(Arena.global()));
    private static final int RW = libc_h.PROT_READ() | libc_h.PROT_WRITE();
    private static final int SHARED_FIXED = libc_h.MAP_SHARED() | libc_h.MAP_FIXED();
    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}, addresses as long. */
    private static final FunctionDescriptor MMAP_LONGS = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG);
    private static final MemorySegment MMAP_SYMBOL = Linker.nativeLinker().defaultLookup().find("mmap").orElseThrow();
    private static final MethodHandle MMAP = Linker.nativeLinker().downcallHandle(MMAP_SYMBOL, MMAP_LONGS);
    private static final MethodHandle MMAP_ERRNO = Linker.nativeLinker().downcallHandle(MMAP_SYMBOL, MMAP_LONGS,
            Linker.Option.captureCallState("errno"));

    private Remap() {
    }

    /**
     * Links both mmap downcalls now, so that the reroute — on the removal's critical path, often
     * the first in the process — does not build their stubs (milliseconds in a fresh JVM): one
     * call of each with a length the kernel refuses at once (0: EINVAL), which maps nothing.
     */
    static void link() {
        file(MemorySegment.NULL, 0, -1, 0);
    }

    /** {@code fd} at {@code offset}, shared, over {@code [address, address+length)}; 0 or the errno. */
    static int file(MemorySegment address, long length, int fd, long offset) {
        long p;
        try {
            p = (long) MMAP.invokeExact(address.address(), length, RW, SHARED_FIXED, fd, offset);
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall", t);
        }
        return p == -1L ? retryForErrno(address, length, fd, offset) : placed(p, address);
    }

    /** The failure path: the same call with errno captured. */
    private static int retryForErrno(MemorySegment address, long length, int fd, long offset) {
        MemorySegment cs = CALL_STATE.get();
        long p;
        try {
            p = (long) MMAP_ERRNO.invokeExact(cs, address.address(), length, RW, SHARED_FIXED, fd, offset);
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall", t);
        }
        return p == -1L ? libc_h.errno(cs) : placed(p, address);
    }

    /** MAP_FIXED either lands exactly at the address or fails. */
    private static int placed(long p, MemorySegment address) {
        return p == address.address() ? 0 : Errno.EFAULT.number();
    }
}
