package amdvfio.bench.unplug;

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
 * What a client pays after a reroute: the first access of every page of its (now zero-fill)
 * mappings. A first read maps the kernel's shared zero page (a minor fault, no memory); a first
 * write allocates and zeroes a page. Reported per invocation (all pages of the shape); the
 * results table divides by the page count. The mappings were populated (written) before the
 * reroute, as a client that was using them would have.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class FirstTouchAfterRerouteBenchmark {

    @Param({"100x4K", "16x4M"})
    public String shape;
    private RerouteRig rig;

    @Setup(Level.Trial)
    public void up() {
        rig = new RerouteRig(shape);
    }

    @Setup(Level.Invocation)
    public void armAndReroute() {
        rig.arm(true);
        int r = rig.rerouteJava();
        if (r != 0) {
            throw new IllegalStateException("reroute failed: errno " + -r);
        }
    }

    @TearDown(Level.Trial)
    public void down() {
        rig.close();
    }

    @Benchmark
    public long firstReadEveryPage() {
        long sum = 0;
        for (int i = 0; i < rig.count; i++) {
            sum += RerouteRig.touchRead(rig.addresses[i], rig.length, rig.page);
        }
        return sum;
    }

    @Benchmark
    public int firstWriteEveryPage() {
        for (int i = 0; i < rig.count; i++) {
            RerouteRig.touchWrite(rig.addresses[i], rig.length, rig.page, (byte) 1);
        }
        return rig.count;
    }
}
