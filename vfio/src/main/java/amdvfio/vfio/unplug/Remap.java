package amdvfio.vfio.unplug;

import amdvfio.bindings.libc.libc_h;
import amdvfio.os.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The raw {@code mmap(MAP_FIXED)} of the reroute path: it returns the errno instead of throwing
 * and uses a per-thread errno buffer made once, so a reroute allocates nothing and one failing
 * window does not stop the rest.
 */
final class Remap {

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateCallState(Arena.global()));
    private static final int RW = libc_h.PROT_READ() | libc_h.PROT_WRITE();
    private static final int SHARED_FIXED = libc_h.MAP_SHARED() | libc_h.MAP_FIXED();

    private Remap() {
    }

    /** {@code fd} at {@code offset}, shared, over {@code [address, address+length)}; 0 or the errno. */
    static int file(MemorySegment address, long length, int fd, long offset) {
        MemorySegment cs = CALL_STATE.get();
        MemorySegment p = libc_h.mmap(cs, address, length, RW, SHARED_FIXED, fd, offset);
        if (p.address() == -1L) {
            return libc_h.errno(cs);
        }
        // MAP_FIXED either lands exactly at address or fails
        return p.address() == address.address() ? 0 : Errno.EFAULT.number();
    }
}
