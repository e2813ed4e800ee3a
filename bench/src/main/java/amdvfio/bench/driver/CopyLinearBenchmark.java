package amdvfio.bench.driver;

import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A host→VRAM copy through the whole driver on the simulated GPU: one job of COPY_LINEAR packets
 * (split at the profile's per-packet maximum) from a GTT buffer into a VRAM buffer, submitted
 * and awaited. Time per copy; divide {@code bytes} by it for the rate (the table's note does).
 * The simulator copies at host memory speed unless paced to a link, so this is the driver's
 * overhead on top of a memcpy, not a GPU figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class CopyLinearBenchmark {

    @Param({"NAVI10"})
    public String profile;

    @Param({"4096", "65536", "1048576", "16777216", "67108864"})
    public long bytes;

    private DriverRig rig;
    private Job job;

    @Setup(Level.Trial)
    public void setup() {
        rig = new DriverRig(profile, 512L << 20);
        BufferObject src = rig.client.allocate(Domain.GTT, bytes);
        BufferObject dst = rig.client.allocate(Domain.VRAM, bytes);
        rig.client.map(src).fill((byte) 0x5a);
        job = Job.builder().copy(src, 0, dst, 0, bytes).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rig.close();
    }

    @Benchmark
    public boolean gttToVram() throws InterruptedException {
        return rig.client.await(rig.client.submit(job), Duration.ofSeconds(30));
    }
}
