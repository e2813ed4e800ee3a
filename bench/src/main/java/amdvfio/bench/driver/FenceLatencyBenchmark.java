package amdvfio.bench.driver;

import amdvfio.driver.Gpu;
import amdvfio.driver.Job;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Submit → fence latency of a one-dword WRITE job on the simulated GPU: waiting for the TRAP
 * interrupt (MSI eventfd → IH thread → fence) versus busy-polling the fence word.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FenceLatencyBenchmark {

    @Param({"NAVI10"})
    public String profile;

    private SimBus bus;
    private Gpu gpu;
    private GpuClient client;
    private Job job;

    @Setup(Level.Trial)
    public void setup() {
        bus = new SimBus();
        PciAddress at = PciAddress.parse("0000:03:00.0");
        SimProfile p = SimProfile.ALL.stream().filter(x -> x.name().equalsIgnoreCase(profile)).findFirst().orElseThrow();
        bus.plug(at, p, SimConfig.defaults().withStrict(false));
        gpu = Gpu.open(bus.open(at));
        client = gpu.openClient();
        BufferObject bo = client.allocate(Domain.GTT, 4096);
        job = Job.builder().writeDword(bo, 0, 1).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        gpu.close();
        bus.close();
    }

    @Benchmark
    public boolean submitAndAwaitInterrupt() throws InterruptedException {
        Fence f = client.submit(job);
        return client.await(f, Duration.ofSeconds(5));
    }

    @Benchmark
    public boolean submitAndAwaitPolling() {
        Fence f = client.submit(job);
        return client.awaitPolling(f, Duration.ofSeconds(5));
    }
}
