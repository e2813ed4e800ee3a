package amdvfio.bench.driver;

import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.fence.Fence;
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
 * Job throughput through the whole driver on the simulated GPU: submit {@code batch} small jobs
 * (one-dword WRITE each, with its FENCE + TRAP) back to back, then wait for the last fence
 * (interrupt wait). The score is batches per second; times {@code batch} it is jobs per second.
 * Batch 1 is the submit→fence round trip; larger batches show how much submission overlaps with
 * the engine and how much one interrupt per batch saves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SubmitBatchBenchmark {

    @Param({"NAVI10"})
    public String profile;

    @Param({"1", "16", "256"})
    public int batch;

    private DriverRig rig;
    private Job job;

    @Setup(Level.Trial)
    public void setup() {
        rig = new DriverRig(profile, 256L << 20);
        BufferObject bo = rig.client.allocate(Domain.GTT, 4096);
        job = Job.builder().writeDword(bo, 0, 1).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rig.close();
    }

    @Benchmark
    public boolean batchOfJobs() throws InterruptedException {
        Fence last = null;
        for (int i = 0; i < batch; i++) {
            last = rig.client.submit(job);
        }
        return rig.client.await(last, Duration.ofSeconds(10));
    }
}
