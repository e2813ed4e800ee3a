package amdvfio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The C baselines ({@code src/main/c/baselines.c}, shipped in the benchmark jar) compiled with
 * gcc when a benchmark JVM first needs them, and bound through FFM. Compiled once per JVM into
 * a temporary directory that is deleted on exit.
 */
public final class CBaselines {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = compileAndLoad();

    /** {@code int amdvfio_reroute(void *const *addrs, const size_t *lengths, int n)} */
    public static final MethodHandle REROUTE = LINKER.downcallHandle(LIB.find("amdvfio_reroute").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** {@code int amdvfio_reroute_arena(void *base, size_t length)}: one zero-fill mmap over a whole arena. */
    public static final MethodHandle REROUTE_ARENA = LINKER.downcallHandle(LIB.find("amdvfio_reroute_arena").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    /** {@code int amdvfio_remap(void *const *addrs, const size_t *lengths, int n, int fd)} */
    public static final MethodHandle REMAP = LINKER.downcallHandle(LIB.find("amdvfio_remap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT));

    /** {@code int amdvfio_remap_windows(void *const *windows, size_t length, int n, int fd)}: one remap per client window. */
    public static final MethodHandle REMAP_WINDOWS = LINKER.downcallHandle(LIB.find("amdvfio_remap_windows").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT));

    /**
     * {@code void *amdvfio_ring_new(uint32_t *ring, uint64_t mask, uint64_t *wptr_shadow, uint64_t *doorbell_sink,
     * uint32_t fence_header, uint32_t align)}: the C twin of a ring, for the encode+commit baseline.
     */
    public static final MethodHandle RING_NEW = LINKER.downcallHandle(LIB.find("amdvfio_ring_new").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** {@code void amdvfio_ring_free(void *ring)} */
    public static final MethodHandle RING_FREE = LINKER.downcallHandle(LIB.find("amdvfio_ring_free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    /**
     * {@code uint64_t amdvfio_encode_commit_batch(void *ring, const struct amdvfio_cmd *cmds, int count,
     * uint64_t fence_addr, uint32_t seq, int n)}: n submissions per call, a critical downcall (no
     * thread-state transition); the call's own ~2 ns is spread over the n.
     */
    public static final MethodHandle ENCODE_COMMIT_BATCH = LINKER.downcallHandle(
            LIB.find("amdvfio_encode_commit_batch").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.critical(false));

    /** {@code uint64_t amdvfio_lock_publish_batch(void *ring, int n)}: the lock and the publish of n empty submissions. */
    public static final MethodHandle LOCK_PUBLISH_BATCH = LINKER.downcallHandle(
            LIB.find("amdvfio_lock_publish_batch").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.critical(false));

    /** {@code struct amdvfio_bo { uint64_t gpu_address; }} */
    public static final StructLayout BO = MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("gpu_address"));

    /** {@code struct amdvfio_cmd { int32_t kind; const struct amdvfio_bo *dst; uint64_t dst_offset; uint64_t value; }} */
    public static final StructLayout CMD = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("kind"), MemoryLayout.paddingLayout(4), ValueLayout.ADDRESS.withName("dst"),
            ValueLayout.JAVA_LONG.withName("dst_offset"), ValueLayout.JAVA_LONG.withName("value"));

    /** {@code int amdvfio_eventfd_epoll_round_trip(int efd, int epfd)} */
    public static final MethodHandle EVENTFD_EPOLL_ROUND_TRIP = LINKER.downcallHandle(
            LIB.find("amdvfio_eventfd_epoll_round_trip").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** {@code void *amdvfio_pong_start(int in_efd, int in_epfd, int out_efd)}: a C pong thread. */
    public static final MethodHandle PONG_START = LINKER.downcallHandle(LIB.find("amdvfio_pong_start").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** {@code int amdvfio_pong_stop(void *handle)} */
    public static final MethodHandle PONG_STOP = LINKER.downcallHandle(LIB.find("amdvfio_pong_stop").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    /** {@code int amdvfio_ping(int out_efd, int back_efd, int back_epfd)}: one cross-thread round trip. */
    public static final MethodHandle PING = LINKER.downcallHandle(LIB.find("amdvfio_ping").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private CBaselines() {
    }

    private static SymbolLookup compileAndLoad() {
        try {
            Path dir = Files.createTempDirectory("amdvfio-baselines");
            Path src = dir.resolve("baselines.c");
            Path lib = dir.resolve("libamdvfio_baselines.so");
            try (InputStream in = CBaselines.class.getResourceAsStream("/c/baselines.c")) {
                if (in == null) {
                    throw new IllegalStateException("c/baselines.c is missing from the benchmark jar");
                }
                Files.copy(in, src);
            }
            Process gcc = new ProcessBuilder("gcc", "-O2", "-shared", "-fPIC", "-pthread", "-o", lib.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String out = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException("gcc could not build the C baselines:\n" + out);
            }
            lib.toFile().deleteOnExit();
            src.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return SymbolLookup.libraryLookup(lib, Arena.global());
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the C baselines", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the C baselines", e);
        }
    }

    /** Calls a baseline returning 0 or -errno, failing loudly on an error. */
    public static void check(int result, String what) {
        if (result != 0) {
            throw new IllegalStateException(what + " failed in C: errno " + -result);
        }
    }

    static MemorySegment unused() {
        return MemorySegment.NULL;
    }
}
