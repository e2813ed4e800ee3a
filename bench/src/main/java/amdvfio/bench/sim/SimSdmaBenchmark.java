package amdvfio.bench.sim;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The simulated SDMA engine's own speed: COPY_LINEAR of 64 MiB (report as GB/s = 64 MiB / time)
 * VRAM→VRAM, host→VRAM through the GART, and paced to a Thunderbolt 3 link; 1-dword NOP
 * packets per second (retired in runs) and FENCE packets per second (one by one). Each
 * invocation submits, rings the doorbell and sleeps until the FENCE lands (woken by the TRAP's
 * interrupt: the waiting thread leaves the engine its core).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'amdvfio.bench.sim.*' -f 1 -wi 2 -i 3
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class SimSdmaBenchmark {

    static final long COPY_BYTES = 64L << 20;
    /**
     * NOPs per invocation: three quarters of the 1 MiB ring, so the fixed cost of an invocation
     * (doorbell, engine wake-up, interrupt) stays a few percent of it at ~300 M NOP/s.
     */
    static final int NOPS = 196608;
    /** FENCE packets per invocation: as many ring dwords as {@link #NOPS}. */
    static final int FENCES = NOPS / 4;

    @State(Scope.Benchmark)
    public static class CopyState {
        /** vram = VRAM→VRAM; host = host→VRAM via GART, unpaced; tb3 = host→VRAM paced to 2.7 GB/s. */
        @Param({"vram", "host", "tb3"})
        public String path;
        SimRig rig;

        @Setup(Level.Trial)
        public void up() {
            rig = new SimRig(SimRig.DATA + COPY_BYTES, "tb3".equals(path) ? amdvfio.sim.SimConfig.THUNDERBOLT3 : 0);
        }

        @TearDown(Level.Trial)
        public void down() {
            rig.close();
        }
    }

    @State(Scope.Benchmark)
    public static class PacketState {
        SimRig rig;

        @Setup(Level.Trial)
        public void up() {
            rig = new SimRig(SimRig.DATA, 0);
        }

        @TearDown(Level.Trial)
        public void down() {
            rig.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int copyLinear64MiB(CopyState s) {
        SimRig r = s.rig;
        long vram = r.card.fbBase();
        long src = "vram".equals(s.path) ? vram + (128L << 20) : SimRig.GART + SimRig.DATA;
        r.copy(src, vram + (256L << 20), COPY_BYTES);
        r.fenceAndWait();
        return r.seq;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(NOPS)
    public int nopPackets(PacketState s) {
        SimRig r = s.rig;
        r.nops(NOPS);
        r.fenceAndWait();
        return r.seq;
    }

    /**
     * The packet-by-packet path NOPs skip: each FENCE is framed, decoded, writes a dword through
     * the GART under the DMA access, and moves the rptr on its own.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(FENCES)
    public int fencePackets(PacketState s) {
        SimRig r = s.rig;
        r.fences(FENCES, SimRig.GART + SimRig.SCRATCH);
        r.fenceAndWait();
        return r.seq;
    }
}
