package amdvfio.vfio.unplug;

import amdvfio.bindings.libc.libc_h;
import amdvfio.os.Errno;
import amdvfio.os.SyscallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The raw {@code mmap(MAP_FIXED)} calls of the reroute path: they return the errno instead of
 * throwing, and use a per-thread errno buffer made once, so a reroute of many mappings allocates
 * nothing and one failure does not stop the rest.
 */
final class Remap {

    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> libc_h.allocateCallState(Arena.global()));
    private static final int RW = libc_h.PROT_READ() | libc_h.PROT_WRITE();
    private static final int ANON_FIXED = libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS() | libc_h.MAP_FIXED()
            | libc_h.MAP_NORESERVE();
    private static final int SHARED_FIXED = libc_h.MAP_SHARED() | libc_h.MAP_FIXED();

    private Remap() {
    }

    /** Zero-fill anonymous memory over {@code [address, address+length)}; 0 or the errno. */
    static int anonymous(MemorySegment address, long length) {
        return call(address, length, RW, ANON_FIXED, -1, 0);
    }

    /** {@code fd} at {@code offset}, shared, over {@code [address, address+length)}; 0 or the errno. */
    static int file(MemorySegment address, long length, int fd, long offset) {
        return call(address, length, RW, SHARED_FIXED, fd, offset);
    }

    /** Back to an inaccessible reservation, so the range stays ours (never a hole another mmap could take). */
    static void reserve(MemorySegment address, long length) {
        int err = call(address, length, libc_h.PROT_NONE(), ANON_FIXED, -1, 0);
        if (err != 0) {
            throw new SyscallException("mmap(PROT_NONE, MAP_FIXED, 0x" + Long.toHexString(address.address()) + ")", err);
        }
    }

    private static int call(MemorySegment address, long length, int prot, int flags, int fd, long offset) {
        MemorySegment cs = CALL_STATE.get();
        MemorySegment p = libc_h.mmap(cs, address, length, prot, flags, fd, offset);
        if (p.address() == -1L) {
            return libc_h.errno(cs);
        }
        // MAP_FIXED either lands exactly at address or fails
        return p.address() == address.address() ? 0 : Errno.EFAULT.number();
    }
}
