package amdvfio.bench.unplug;

import amdvfio.os.MemFd;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.unplug.DummyPolicy;
import amdvfio.vfio.unplug.MappingOwner;
import amdvfio.vfio.unplug.MappingTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
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

/**
 * Step 5 of early fini: {@code MappingTable.rerouteAll()} over {@code mappings} touched 64 KiB
 * mappings of a device memfd held by {@code owners} clients, to dummy memory (one mmap per arena)
 * or, with {@code hostCopies}, each to a host copy (one mmap per mapping). Divide by
 * {@code mappings} for the per-mapping cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 5)
@Measurement(iterations = 20)
public class RerouteBenchmark {

    @Param({"1", "1000"})
    public int mappings;

    @Param({"1", "8"})
    public int owners;

    @Param({"false", "true"})
    public boolean hostCopies;

    private MemFd device;
    private MemFd copy;
    private MappingTable table;

    @Setup(Level.Invocation)
    public void setup() {
        long len = 64 << 10;
        device = MemFd.create("bench-vram", len * mappings);
        copy = MemFd.create("bench-copy", len * mappings);
        table = new MappingTable(DummyPolicy.ZERO_FILL);
        MappingOwner[] os = new MappingOwner[owners];
        for (int i = 0; i < owners; i++) {
            os[i] = table.newOwner("client-" + i);
        }
        MappableRange range = new MappableRange(device, 0, len * mappings);
        for (int i = 0; i < mappings; i++) {
            var m = os[i % owners].map(range, i * len, len);
            MemorySegment s = m.segment();
            for (long off = 0; off < len; off += 4096) {
                s.set(ValueLayout.JAVA_INT, off, i); // populated pages, as a client's would be
            }
            if (hostCopies) {
                m.rerouteToHostCopy(copy, i * len);
            }
        }
    }

    @Benchmark
    public long rerouteAll() {
        return table.rerouteAll();
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
        table.close();
        device.close();
        copy.close();
    }
}
