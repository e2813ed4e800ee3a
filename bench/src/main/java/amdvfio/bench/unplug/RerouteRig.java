package amdvfio.bench.unplug;

import amdvfio.bench.CBaselines;
import amdvfio.bindings.libc.libc_h;
import amdvfio.os.Mapping;
import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * N per-buffer mappings of one "VRAM" memfd placed side by side in one reserved range
 * (PROT_NONE), with
 * file offsets in reverse order so that neighbouring mappings are never merged by the kernel into
 * one VMA (real BOs are not contiguous in VRAM either, and vfio-pci's PFNMAP mappings never merge):
 * the per-buffer design the driver had before one window per client. The same rig serves the Java
 * loop, the C loop and the first-touch benchmarks, so they all start from identical kernel state.
 *
 * <p>Shapes are {@code <count>x<size>} with size in K or M: "1x4K", "10000x4K", "16x4M".
 */
final class RerouteRig implements AutoCloseable {

    static final int RW = libc_h.PROT_READ() | libc_h.PROT_WRITE();
    /** Exactly the flags of the C loop in baselines.c. */
    static final int ANON_FIXED = libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS() | libc_h.MAP_FIXED();
    static final int SHARED_FIXED = libc_h.MAP_SHARED() | libc_h.MAP_FIXED();

    final int count;
    final long length;
    final long page = Syscalls.pageSize();
    final MemFd vram;
    final Mapping reservation;
    final MemorySegment[] addresses;
    /** {@code void *addrs[count]} and {@code size_t lengths[count]} for the C loop. */
    final MemorySegment cAddrs;
    final MemorySegment cLengths;
    final MemorySegment callState;
    private final Arena arena = Arena.ofConfined();

    RerouteRig(String shape) {
        int x = shape.indexOf('x');
        count = Integer.parseInt(shape.substring(0, x));
        length = parseSize(shape.substring(x + 1));
        vram = MemFd.create("bench-vram", count * length);
        reservation = Mapping.reserve(count * length);
        addresses = new MemorySegment[count];
        cAddrs = arena.allocate(ValueLayout.ADDRESS, count);
        cLengths = arena.allocate(ValueLayout.JAVA_LONG, count);
        for (int i = 0; i < count; i++) {
            addresses[i] = MemorySegment.ofAddress(reservation.address() + i * length).reinterpret(length);
            cAddrs.setAtIndex(ValueLayout.ADDRESS, i, addresses[i]);
            cLengths.setAtIndex(ValueLayout.JAVA_LONG, i, length);
        }
        callState = libc_h.allocateCallState(arena);
    }

    static long parseSize(String s) {
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K', 'k' -> 1L << 10;
            case 'M', 'm' -> 1L << 20;
            case 'G', 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    /** File offset of mapping i: reversed, so that adjacent mappings cannot merge. */
    long fileOffset(int i) {
        return (count - 1L - i) * length;
    }

    /** Untimed: map the memfd over every slot again, and populate every page when {@code touched}. */
    void arm(boolean touched) {
        for (int i = 0; i < count; i++) {
            Syscalls.mmap(addresses[i], length, RW, SHARED_FIXED, vram.value(), fileOffset(i));
            if (touched) {
                touchWrite(addresses[i], length, page, (byte) i);
            }
        }
    }

    static void touchWrite(MemorySegment seg, long length, long page, byte v) {
        for (long off = 0; off < length; off += page) {
            seg.set(ValueLayout.JAVA_BYTE, off, v);
        }
    }

    static long touchRead(MemorySegment seg, long length, long page) {
        long sum = 0;
        for (long off = 0; off < length; off += page) {
            sum += seg.get(ValueLayout.JAVA_BYTE, off);
        }
        return sum;
    }

    /** The Java reroute loop: the same mmap calls as {@code amdvfio_reroute} in C. Allocates nothing. */
    int rerouteJava() {
        MemorySegment cs = callState;
        for (int i = 0; i < count; i++) {
            MemorySegment p = libc_h.mmap(cs, addresses[i], length, RW, ANON_FIXED, -1, 0);
            if (p.address() == -1L) {
                return -libc_h.errno(cs);
            }
        }
        return 0;
    }

    int rerouteC() throws Throwable {
        return (int) CBaselines.REROUTE.invokeExact(cAddrs, cLengths, count);
    }

    long pages() {
        return count * ((length + page - 1) / page);
    }

    @Override
    public void close() {
        reservation.close();
        vram.close();
        arena.close();
    }
}
