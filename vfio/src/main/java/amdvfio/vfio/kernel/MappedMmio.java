package amdvfio.vfio.kernel;

import amdvfio.vfio.DeviceClosedException;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Register access through an mmap'd BAR. Loads and stores are volatile accesses: the JIT may not
 * hoist a status-register poll out of its loop, merge two stores or reorder a doorbell write
 * before the ring writes that precede it (what readl/writel guarantee in the kernel).
 *
 * <p>A faulting access — the kernel zapped the BAR mapping on reset, memory-decode disable or
 * release, and the next touch raises SIGBUS — surfaces in the JVM as {@link InternalError}. When
 * it is raised inside the access (interpreter, C1) it is caught here: the read returns all ones
 * (what a PCIe read of a missing device returns), the write is dropped, and from then on the
 * BAR is never touched again ({@link #faulted()}: all reads are all ones, writes dropped).
 * <b>Measured limit:</b> in C2-compiled code HotSpot delivers that error asynchronously, at the
 * next safepoint poll (SharedRuntime::handle_unsafe_access sets a pending async exception), which
 * can lie after this method returned — the InternalError then surfaces in the caller, not here.
 * The JVM survives either way; but the real protection is the architecture's rule: never touch a
 * BAR that can fault (the device guard around every access, no access across reset or after
 * loss). 32-bit loads are never widened with a sign-extending cast (the JDK 25 C2 crash of MOVSXD
 * on a faulting load): there is no such cast here.
 *
 * <p>Threading: any thread; {@link #close()} must not race with accesses (the device guard
 * orders that); an access after close throws {@link DeviceClosedException} instead of touching
 * unmapped memory.
 */
final class MappedMmio implements Mmio {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /*
     * The loads and stores run in their own compiled frames, reached through method handles kept
     * in NON-final fields: C2 cannot constant-fold such a handle, so it cannot inline the access
     * into read32 and friends. The pending fault is then delivered at the access method's own
     * return poll — inside our try — instead of somewhere later in the caller. Cost: one
     * indirect call (a few ns) on an MMIO access that takes hundreds of ns to µs.
     */
    private static MethodHandle load32 = find("load32", int.class);
    private static MethodHandle load64 = find("load64", long.class);
    private static MethodHandle store32 = find("store32", void.class, int.class);
    private static MethodHandle store64 = find("store64", void.class, long.class);

    private static MethodHandle find(String name, Class<?> ret, Class<?>... value) {
        MethodType t = MethodType.methodType(ret, MemorySegment.class, long.class);
        if (value.length > 0) {
            t = t.appendParameterTypes(value);
        }
        try {
            return MethodHandles.lookup().findStatic(MappedMmio.class, name, t);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int load32(MemorySegment s, long offset) {
        return (int) INT.getVolatile(s, offset);
    }

    private static long load64(MemorySegment s, long offset) {
        return (long) LONG.getVolatile(s, offset);
    }

    private static void store32(MemorySegment s, long offset, int v) {
        INT.setVolatile(s, offset, v);
    }

    private static void store64(MemorySegment s, long offset, long v) {
        LONG.setVolatile(s, offset, v);
    }

    private final PciAddress address;
    private final int bar;
    private final MemorySegment segment;
    private final Runnable unmap;
    private volatile boolean closed;
    private volatile boolean faulted;

    /** @param unmap releases the mapping behind {@code segment} on {@link #close()} */
    MappedMmio(PciAddress address, int bar, MemorySegment segment, Runnable unmap) {
        this.address = address;
        this.bar = bar;
        this.segment = segment;
        this.unmap = unmap;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public int read32(long offset) {
        checkOpen();
        if (faulted) {
            return 0xFFFFFFFF;
        }
        try {
            return (int) load32.invokeExact(segment, offset);
        } catch (InternalError e) {
            faulted = true;
            return 0xFFFFFFFF;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void write32(long offset, int value) {
        checkOpen();
        if (faulted) {
            return;
        }
        try {
            store32.invokeExact(segment, offset, value);
        } catch (InternalError e) {
            faulted = true;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read64(long offset) {
        checkOpen();
        if (faulted) {
            return -1L;
        }
        try {
            return (long) load64.invokeExact(segment, offset);
        } catch (InternalError e) {
            faulted = true;
            return -1L;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void write64(long offset, long value) {
        checkOpen();
        if (faulted) {
            return;
        }
        try {
            store64.invokeExact(segment, offset, value);
        } catch (InternalError e) {
            faulted = true;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("should not reach here", t);
    }

    /** True once an access faulted: the BAR mapping is gone (device reset, released or lost). */
    boolean faulted() {
        return faulted;
    }

    private void checkOpen() {
        if (closed) {
            throw new DeviceClosedException(address, "BAR" + bar + " access");
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            unmap.run();
        }
    }
}
