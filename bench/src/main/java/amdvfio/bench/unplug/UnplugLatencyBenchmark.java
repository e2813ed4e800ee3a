package amdvfio.bench.unplug;

import amdvfio.bench.CBaselines;
import amdvfio.os.Mapping;
import amdvfio.os.MemFd;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How fast the device lets go: from the kernel's request (REQ signalled,
 * {@code SimControl.requestRemoval()}) to the device released (every fd closed, so the kernel's
 * removal can complete), with the {@link UnplugWorkload} named in {@code workload}:
 * {@code <clients>x<bosPerClient>x<boSize>}, every buffer mapped and every page written. Target:
 * ≤ 2 ms without the VRAM save at 8 clients.
 *
 * <p>{@code path=driver} is the driver's whole hot-unplug on a simulated Navi10 ({@link
 * DriverSimUnplugRig}) with the VRAM save by SDMA; {@code driver-nosave} the same with a zero save
 * budget; {@code vfio} only the device-independent part ({@link VfioSimUnplugRig}). {@code device}
 * is "sim"; a PCI address is refused (each removal would need a re-plug through sysfs rescan).
 *
 * <p>{@code cRemapFloor} is the floor of the same shape in the same run: the kernel work of the
 * reroute alone — the workload's windows with the same pages populated, one {@code MAP_FIXED} of a
 * shadow memfd per window, from C. {@code cRemapFloorBesideABusyCore} is the same with one more
 * thread of the process running on the other core, whose TLB every flush of the zap must then
 * reach: the condition the driver's reroute runs in.
 *
 * <p>One removal is one event with a heavy untimed setup (a device, thousands of buffers), so each
 * measurement is a single shot and the interval comes from many of them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 30)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class UnplugLatencyBenchmark {

    @State(Scope.Thread)
    public static class Removal {
        @Param({"8x125x64K", "8x1000x4K"})
        public String workload;
        @Param({"driver-nosave", "driver", "vfio"})
        public String path;
        @Param({"sim"})
        public String device;
        UnplugRig rig;

        @Setup(Level.Iteration)
        public void plug() {
            rig = UnplugRig.create(path, device, UnplugWorkload.parse(workload));
        }

        @TearDown(Level.Iteration)
        public void unplugAndFree() {
            rig.close();
        }
    }

    /** The C floor: the workload's client windows over a memfd, the same pages touched. */
    @State(Scope.Thread)
    public static class Floor {
        @Param({"8x125x64K", "8x1000x4K"})
        public String workload;
        UnplugWorkload w;
        MemFd vram;
        MemFd shadow;
        Mapping[] windows;
        Arena arena;
        MemorySegment addrs;

        @Setup(Level.Trial)
        public void up() {
            w = UnplugWorkload.parse(workload);
            vram = MemFd.create("floor-vram", UnplugWorkload.VRAM);
            shadow = MemFd.create("floor-shadow", UnplugWorkload.VRAM);
            arena = Arena.ofConfined();
            addrs = arena.allocate(ValueLayout.ADDRESS, w.clients());
        }

        @Setup(Level.Iteration)
        public void map() {
            windows = new Mapping[w.clients()];
            for (int c = 0; c < w.clients(); c++) {
                windows[c] = vram.map();
                addrs.setAtIndex(ValueLayout.ADDRESS, c, windows[c].segment());
                for (int b = 0; b < w.bosPerClient(); b++) {
                    RerouteRig.touchWrite(windows[c].segment().asSlice(w.offset(c, b), w.boSize()), w.boSize(),
                            UnplugWorkload.PAGE, (byte) b);
                }
            }
        }

        @TearDown(Level.Iteration)
        public void unmap() {
            for (Mapping m : windows) {
                m.close();
            }
        }

        @TearDown(Level.Trial)
        public void down() {
            arena.close();
            shadow.close();
            vram.close();
        }
    }

    /**
     * The floor again with one more thread of this process running on the other core, as a JVM
     * always has some (the simulator's engines, the JIT, GC): each batched TLB flush of the zap
     * must then interrupt that core too, where alone it flushes only its own.
     */
    @State(Scope.Thread)
    public static class FloorBesideABusyCore extends Floor {
        private volatile boolean spin;
        private Thread spinner;

        @Setup(Level.Iteration)
        public void startSpinner() {
            spin = true;
            spinner = Thread.ofPlatform().name("floor-busy-core").start(() -> {
                while (spin) {
                    Thread.onSpinWait();
                }
            });
        }

        @TearDown(Level.Iteration)
        public void stopSpinner() throws InterruptedException {
            spin = false;
            spinner.join();
        }
    }

    @Benchmark
    public Duration requestToReleased(Removal s) throws InterruptedException {
        s.rig.requestRemoval();
        return s.rig.awaitReleased(Duration.ofSeconds(10));
    }

    @Benchmark
    public int cRemapFloorBesideABusyCore(FloorBesideABusyCore s) throws Throwable {
        return cRemapFloor(s);
    }

    @Benchmark
    public int cRemapFloor(Floor s) throws Throwable {
        int r = (int) CBaselines.REMAP_WINDOWS.invokeExact(s.addrs, UnplugWorkload.VRAM, s.w.clients(), s.shadow.value());
        CBaselines.check(r, "amdvfio_remap_windows");
        return r;
    }
}
