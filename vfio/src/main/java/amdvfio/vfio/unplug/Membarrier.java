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
 * Linux {@code membarrier(2)}, private expedited flavour, through libc's {@code syscall(2)}: when
 * {@link #barrier()} returns, every thread of this process that was running has executed a full
 * memory barrier, and threads that were not running are de-facto ordered by the context switch
 * (kernel/sched/membarrier.c, {@code membarrier_private_expedited()}: an IPI running
 * {@code ipi_mb()} = {@code smp_mb()} on each CPU whose current task shares our mm, after an
 * {@code smp_mb()} on the caller). It is the heavy half of an asymmetric barrier: readers pay no
 * fence, the rare writer pays a few microseconds.
 *
 * <p>The process registers its intent once ({@code MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED},
 * required since Linux 4.14 before the command may be used). Where the kernel lacks the command
 * (before 4.14, {@code CONFIG_MEMBARRIER=n}, a seccomp filter that refuses the call, or an
 * architecture whose syscall number is not listed here) {@link #AVAILABLE} is false and
 * {@link #UNAVAILABLE} says why; callers then keep a fence on the reader side.
 *
 * <p>The command values are {@code enum membarrier_cmd} of {@code <linux/membarrier.h>}; the
 * syscall numbers are {@code __NR_membarrier} of {@code <asm/unistd_64.h>} (x86_64) and the
 * generic {@code <asm-generic/unistd.h>} (aarch64). MembarrierTest checks both against gcc.
 */
final class Membarrier {

    static final int CMD_QUERY = 0;
    static final int CMD_PRIVATE_EXPEDITED = 1 << 3;
    static final int CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    static final long SYS_MEMBARRIER = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 324;
        case "aarch64" -> 283;
        default -> -1;
    };

    /** {@code long syscall(long number, int cmd, unsigned int flags, int cpu_id)}, variadic after the number. */
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    /** Null when the private expedited barrier is registered and usable, else the reason it is not. */
    static final String UNAVAILABLE = register();
    static final boolean AVAILABLE = UNAVAILABLE == null;

    private Membarrier() {
    }

    /**
     * Every running thread of the process passes a full memory barrier before this returns.
     *
     * @throws IllegalStateException if the kernel refuses (only possible if {@link #AVAILABLE} is false)
     */
    static void barrier() {
        long r = call(CMD_PRIVATE_EXPEDITED);
        if (r < 0) {
            throw new IllegalStateException("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed: "
                    + Errno.nameOf((int) -r));
        }
    }

    private static String register() {
        if (SYS_MEMBARRIER < 0) {
            return "no membarrier syscall number for os.arch " + System.getProperty("os.arch");
        }
        long commands = call(CMD_QUERY);
        if (commands < 0) {
            return "membarrier(MEMBARRIER_CMD_QUERY) failed: " + Errno.nameOf((int) -commands);
        }
        if ((commands & CMD_PRIVATE_EXPEDITED) == 0 || (commands & CMD_REGISTER_PRIVATE_EXPEDITED) == 0) {
            return "the kernel does not offer MEMBARRIER_CMD_PRIVATE_EXPEDITED (commands 0x"
                    + Long.toHexString(commands) + ")";
        }
        long r = call(CMD_REGISTER_PRIVATE_EXPEDITED);
        return r < 0 ? "membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) failed: " + Errno.nameOf((int) -r) : null;
    }

    /** The syscall's result, or −errno. */
    private static long call(int cmd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = libc_h.allocateCallState(arena);
            long r = (long) SYSCALL.invokeExact(callState, SYS_MEMBARRIER, cmd, 0, 0);
            return r == -1 ? -libc_h.errno(callState) : r;
        } catch (Throwable t) {
            throw new AssertionError("syscall downcall", t);
        }
    }
}
