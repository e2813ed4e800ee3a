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

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How fast and how cleanly the device lets go: from the kernel's request (REQ eventfd signalled,
 * {@code SimControl.requestRemoval()}) to the device released (every fd closed, so the kernel's
 * removal can complete), with {@code clients} clients each holding {@code bos} mapped 4 KiB BOs
 * whose pages they wrote. Target: ≤ 10 ms with 1000 BOs and 8 clients. {@code vram=scattered}
 * places BO b at VRAM page 2b, so no two mappings can share a VMA and the kernel tears down one VMA
 * per mapping even though the arena reroute is one mmap per client; {@code vram=packed} places
 * them side by side, as a fresh range allocator does, and the kernel merges each client's
 * mappings into one VMA.
 *
 * <p>{@code path=driver} is the driver's whole hot-unplug on a simulated Navi10 ({@link
 * DriverSimUnplugRig}): VRAM saved to host memory by SDMA (64 KiB VRAM BOs), guard drain,
 * scheduler stop, interrupts off, fence force-completion, reroute, close; {@code driver-nosave}
 * the same with a zero VRAM-save budget (mappings go to dummy memory); {@code path=vfio} only the
 * device-independent part (event loop → lifecycle → guard drain, loop stop, MappingTable reroute,
 * device close; {@link VfioSimUnplugRig}). {@code vram} applies to {@code path=vfio} only (the
 * driver's allocator places its own BOs). {@code device} is "sim" or, later, a PCI address of a
 * real GPU (not ready: each invocation would need a re-plug through sysfs rescan).
 * A fresh simulated device is built in an untimed per-invocation setup, so gc.alloc.rate.norm of
 * this row includes that setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class UnplugLatencyBenchmark {

    @Param({"1", "100", "1000"})
    public int bos;
    @Param({"1", "8"})
    public int clients;
    /** scattered: BOs not adjacent in VRAM, one VMA per mapping (worst case); packed: adjacent BOs, merged VMAs. */
    @Param({"scattered", "packed"})
    public String vram;
    @Param({"driver", "driver-nosave", "vfio"})
    public String path;
    @Param({"sim"})
    public String device;

    private UnplugRig rig;

    @Setup(Level.Invocation)
    public void plug() {
        rig = UnplugRig.create(path, device, vram, bos, clients);
    }

    @TearDown(Level.Invocation)
    public void unplugAndFree() {
        rig.close();
    }

    @Benchmark
    public Duration requestToReleased() throws InterruptedException {
        rig.requestRemoval();
        rig.awaitReleased(Duration.ofSeconds(10));
        return rig.reportedRequestToRelease();
    }
}
