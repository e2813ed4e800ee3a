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
 * The raw {@code mmap(MAP_FIXED)} of the reroute path: it returns the errno instead of throwing
 * and uses a per-thread errno buffer made once, so a reroute allocates nothing and one failing
 * window does not stop the rest. {@code mmap} is linked here with the addresses as {@code long}s:
 * the pointer-returning binding allocates a segment per call, and a reroute makes too few calls
 * for the JIT ever to remove that.
 */
final class Remap {

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateCallState(Arena.global()));
    private static final int RW = libc_h.PROT_READ() | libc_h.PROT_WRITE();
    private static final int SHARED_FIXED = libc_h.MAP_SHARED() | libc_h.MAP_FIXED();
    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}, addresses as long. */
    private static final MethodHandle MMAP = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));

    private Remap() {
    }

    /** {@code fd} at {@code offset}, shared, over {@code [address, address+length)}; 0 or the errno. */
    static int file(MemorySegment address, long length, int fd, long offset) {
        MemorySegment cs = CALL_STATE.get();
        long p;
        try {
            p = (long) MMAP.invokeExact(cs, address.address(), length, RW, SHARED_FIXED, fd, offset);
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall", t);
        }
        if (p == -1L) {
            return libc_h.errno(cs);
        }
        // MAP_FIXED either lands exactly at address or fails
        return p == address.address() ? 0 : Errno.EFAULT.number();
    }
}
