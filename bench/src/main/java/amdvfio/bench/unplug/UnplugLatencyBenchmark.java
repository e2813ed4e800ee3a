package amdvfio.bench.unplug;

import amdvfio.driver.Gpu;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * REQ → released: from the simulator signalling the REQ eventfd (an orderly removal) until the
 * driver has closed the device, i.e. the whole early fini — VRAM save by SDMA, guard drain,
 * scheduler stop, interrupts off, fence force completion, reroute of every client mapping, DMA
 * unmap and close — with {@code bos} mapped 64 KiB VRAM buffers spread over {@code clients}
 * clients. One removal per invocation (single shot), the card set up again before each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class UnplugLatencyBenchmark {

    @Param({"1", "100", "1000"})
    public int bos;

    @Param({"1", "8"})
    public int clients;

    @Param({"NAVI10"})
    public String profile;

    /** Whether the orderly-removal window saves VRAM (budget 5 s) or gives it up at once (budget 0). */
    @Param({"true", "false"})
    public boolean save;

    private SimBus bus;
    private SimControl card;
    private Gpu gpu;
    private final List<GpuClient> open = new ArrayList<>();

    @Setup(Level.Invocation)
    public void setup() {
        bus = new SimBus();
        PciAddress at = PciAddress.parse("0000:03:00.0");
        SimProfile p = SimProfile.ALL.stream().filter(x -> x.name().equalsIgnoreCase(profile)).findFirst().orElseThrow();
        card = bus.plug(at, p, SimConfig.defaults().withStrict(false).withVram(1L << 30));
        gpu = Gpu.open(bus.open(at), Gpu.Options.DEFAULT.withVramSaveBudget(save ? Duration.ofSeconds(5) : Duration.ZERO));
        for (int c = 0; c < clients; c++) {
            open.add(gpu.openClient());
        }
        for (int i = 0; i < bos; i++) {
            GpuClient c = open.get(i % clients);
            BufferObject bo = c.allocate(Domain.VRAM, 64 << 10);
            c.map(bo).set(java.lang.foreign.ValueLayout.JAVA_INT, 0, i);
        }
    }

    @Benchmark
    public Duration requestToReleased() throws InterruptedException {
        card.requestRemoval();
        Duration d;
        while ((d = card.requestToRelease()) == null) {
            Thread.onSpinWait();
        }
        return d;
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws InterruptedException {
        gpu.awaitState(amdvfio.vfio.unplug.Lifecycle.State.DETACHED, Duration.ofSeconds(30));
        // where the time went: one line per removal, the early-fini steps in order (ms)
        StringBuilder sb = new StringBuilder("  steps(ms)");
        for (var st : gpu.teardownReport().steps()) {
            sb.append(String.format(" %s=%.2f", st.name(), st.nanos() / 1e6));
        }
        System.out.println(sb);
        open.forEach(GpuClient::close);
        open.clear();
        gpu.close();
        bus.close();
    }
}
