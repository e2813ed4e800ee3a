package amdvfio.bench.unplug;

import amdvfio.vfio.unplug.DeviceGuard;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One guarded section, {@code enter(); exit();} — what every register access, doorbell and
 * submission pays ({@code drm_dev_enter/exit}), uncontended (1 thread) and with 2 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GuardBenchmark {

    private final DeviceGuard guard = new DeviceGuard();

    @Benchmark
    @Threads(1)
    public boolean enterExit1() {
        boolean in = guard.enter();
        if (in) {
            guard.exit();
        }
        return in;
    }

    @Benchmark
    @Threads(2)
    public boolean enterExit2() {
        boolean in = guard.enter();
        if (in) {
            guard.exit();
        }
        return in;
    }
}
