package amdvfio.bench.unplug;

import amdvfio.bench.CBaselines;
import amdvfio.os.Mapping;
import amdvfio.os.MemFd;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.MappingOwner;
import amdvfio.vfio.unplug.MappingTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Step 5 of early fini, fault rerouting, two designs side by side:
 * <ul>
 * <li>per-buffer mappings (the old design, and what vfio-pci BAR mappings would force if each
 * buffer were its own mmap): {@code javaPerMapping}, one zero-fill {@code mmap(MAP_FIXED)} per
 * mapping from Java (FFM), against {@code cPerMapping}, the same calls in C ({@code
 * amdvfio_reroute}, gcc -O2); the kernel tears down one VMA per mapping;</li>
 * <li>one window per client (the driver now): {@code tableRerouteAll}, {@link MappingTable#rerouteAll()}
 * over one client whose N buffer mappings are slices of its window, against {@code cWindowRemap},
 * the same single shared {@code MAP_FIXED} of a shadow memfd over a window with the same pages
 * populated, in C ({@code amdvfio_remap_windows}). Java/C ≤ 1.2 is the target of both pairs.</li>
 * </ul>
 * Shapes {@code <count>x<size>}; {@code touched=true} means every page was written through the
 * mapping before the reroute (the kernel must then zap populated PTEs, ~0.1 µs/page), false means
 * untouched (mapping exists, no PTE). Each invocation re-arms in an untimed per-invocation setup,
 * so gc.alloc.rate.norm of these rows includes that setup: allocation of the reroute itself is
 * checked separately by {@code MemoryProbe} (ThreadMXBean, bytes per reroute).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RerouteBenchmark {

    @State(Scope.Thread)
    public static class Raw {
        @Param({"1x4K", "100x4K", "10000x4K", "1x64M", "16x4M"})
        public String shape;
        @Param({"false", "true"})
        public boolean touched;
        RerouteRig rig;

        @Setup(Level.Trial)
        public void up() {
            rig = new RerouteRig(shape);
        }

        @Setup(Level.Invocation)
        public void arm() {
            rig.arm(touched);
        }

        @TearDown(Level.Trial)
        public void down() {
            rig.close();
        }
    }

    /** One client window of {@code count × length} bytes holding the buffers as slices. */
    @State(Scope.Thread)
    public static class Table {
        @Param({"1x4K", "100x4K", "10000x4K", "1x64M", "16x4M"})
        public String shape;
        @Param({"false", "true"})
        public boolean touched;
        int count;
        long length;
        MemFd vram;
        MappingTable table;

        @Setup(Level.Trial)
        public void up() {
            int x = shape.indexOf('x');
            count = Integer.parseInt(shape.substring(0, x));
            length = RerouteRig.parseSize(shape.substring(x + 1));
            vram = MemFd.create("bench-vram", count * length);
        }

        /** A fresh table per invocation: a rerouted table stays lost, as a lost device does. */
        @Setup(Level.Invocation)
        public void arm() {
            table = new MappingTable(new MappableRange(vram, 0, vram.size()));
            MappingOwner owner = table.newOwner("client");
            long page = amdvfio.os.Syscalls.pageSize();
            for (int i = 0; i < count; i++) {
                ClientMapping m = owner.map((count - 1L - i) * length, length);
                if (touched) {
                    RerouteRig.touchWrite(m.segment(), length, page, (byte) i);
                }
            }
        }

        @TearDown(Level.Invocation)
        public void disarm() {
            table.close();
        }

        @TearDown(Level.Trial)
        public void down() {
            vram.close();
        }
    }

    /** The C floor of {@link Table}: the same window and pages, remapped from C. */
    @State(Scope.Thread)
    public static class Window {
        @Param({"1x4K", "100x4K", "10000x4K", "1x64M", "16x4M"})
        public String shape;
        @Param({"false", "true"})
        public boolean touched;
        MemFd vram;
        MemFd shadow;
        Mapping window;
        Arena arena;
        MemorySegment addrs;

        @Setup(Level.Trial)
        public void up() {
            int x = shape.indexOf('x');
            long size = Integer.parseInt(shape.substring(0, x)) * RerouteRig.parseSize(shape.substring(x + 1));
            vram = MemFd.create("bench-vram", size);
            shadow = MemFd.create("bench-shadow", size);
            arena = Arena.ofConfined();
            addrs = arena.allocate(ValueLayout.ADDRESS, 1);
        }

        @Setup(Level.Invocation)
        public void arm() {
            window = vram.map();
            addrs.setAtIndex(ValueLayout.ADDRESS, 0, window.segment());
            if (touched) {
                RerouteRig.touchWrite(window.segment(), window.length(), amdvfio.os.Syscalls.pageSize(), (byte) 1);
            }
        }

        @TearDown(Level.Invocation)
        public void disarm() {
            window.close();
        }

        @TearDown(Level.Trial)
        public void down() {
            arena.close();
            shadow.close();
            vram.close();
        }
    }

    @Benchmark
    public int javaPerMapping(Raw s) {
        int r = s.rig.rerouteJava();
        if (r != 0) {
            throw new IllegalStateException("mmap failed: errno " + -r);
        }
        return r;
    }

    @Benchmark
    public int cPerMapping(Raw s) throws Throwable {
        int r = s.rig.rerouteC();
        CBaselines.check(r, "amdvfio_reroute");
        return r;
    }

    @Benchmark
    public int cWindowRemap(Window s) throws Throwable {
        int r = (int) CBaselines.REMAP_WINDOWS.invokeExact(s.addrs, s.window.length(), 1, s.shadow.value());
        CBaselines.check(r, "amdvfio_remap_windows");
        return r;
    }

    @Benchmark
    public long tableRerouteAll(Table s) {
        return s.table.rerouteAll();
    }
}
