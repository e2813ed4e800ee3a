package amdvfio.bench.unplug;

import amdvfio.bench.CBaselines;
import amdvfio.os.MemFd;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.DummyPolicy;
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

import java.util.concurrent.TimeUnit;

/**
 * Step 5 of early fini, fault rerouting: replace N client mappings of device memory with
 * zero-fill memory at the same addresses ({@code mmap(MAP_FIXED|MAP_PRIVATE|MAP_ANONYMOUS)}).
 * <ul>
 * <li>{@code javaPerMapping}: one mmap per mapping from Java (FFM), the same calls as</li>
 * <li>{@code cPerMapping}: the C loop {@code amdvfio_reroute} (baselines.c, gcc -O2) — the floor of
 * the per-mapping approach; Java/C ≤ 1.2 is the target;</li>
 * <li>{@code tableRerouteAll}: {@link MappingTable#rerouteAll()} as the driver calls it, one client
 * whose mappings live in its arena: one mmap over the arena, O(clients) instead of O(mappings);</li>
 * <li>{@code cArenaReroute}: its C floor, {@code amdvfio_reroute_arena}: the same single mmap over a
 * 4 GiB reservation holding the same mappings. The kernel's cost of that call grows with the arena
 * (page-table walk over the range), so with one small mapping per client the arena is slower
 * than the per-mapping loop; it wins from a few mappings per client on.</li>
 * </ul>
 * Shapes {@code <count>x<size>}; {@code touched=true} means every page was written through the
 * mapping before the reroute (the kernel must then zap populated PTEs, ~0.1 µs/page), false means
 * untouched (mapping exists, no PTE). Each invocation re-arms the mappings in an untimed
 * per-invocation setup, so gc.alloc.rate.norm of these rows includes that setup: allocation of the
 * reroute itself is checked separately by {@code MemoryProbe} (ThreadMXBean, bytes per reroute).
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
            table = new MappingTable(DummyPolicy.ZERO_FILL);
            MappingOwner owner = table.newOwner("client");
            MappableRange range = new MappableRange(vram, 0, vram.size());
            long page = amdvfio.os.Syscalls.pageSize();
            for (int i = 0; i < count; i++) {
                ClientMapping m = owner.map(range, (count - 1L - i) * length, length);
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
    public int cArenaReroute(Raw s) throws Throwable {
        int r = s.rig.rerouteArenaC();
        CBaselines.check(r, "amdvfio_reroute_arena");
        return r;
    }

    @Benchmark
    public long tableRerouteAll(Table s) {
        return s.table.rerouteAll();
    }
}
