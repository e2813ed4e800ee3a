package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.unplug.Lifecycle;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shared rig of the hot-unplug scenarios: one simulated bus, a card at a fixed address, the
 * process state before anything was plugged (fds, our threads, our mappings), and the checks every
 * scenario makes after a loss — so each scenario is a few lines of steps.
 *
 * <p>{@link #assertSurvivedLoss} is the guarantee list: bounded time to DETACHED, the device
 * released (the simulator saw the release), every tracked fence complete and, if it did not
 * succeed, failed with DEVICE_LOST, every tracked mapping still readable and writable, allocation
 * and submission failing fast with DeviceLostException, and no engine recovery after the loss.
 * {@link #close} then checks that nothing leaked.
 */
final class UnplugRig implements AutoCloseable {

    /** Short timeouts: job 2 s, fallback/health tick 50 ms, ring tests 2 s, VRAM save budget 1 s. */
    static final Gpu.Options OPTS = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(2),
            0x3fff00, Duration.ofSeconds(1));
    static final SimConfig CONFIG = SimConfig.defaults().withVram(256L << 20).withRequestInterval(Duration.ofMillis(200))
            .withSurpriseRequestDelay(Duration.ofMillis(100));
    static final Duration BOUND = Duration.ofSeconds(10);

    final SimBus bus = new SimBus();
    final SimProfile profile;
    final PciAddress at;
    final SimConfig config;
    SimControl card;
    private final Set<String> fdsBefore;
    private final long mapsBefore;
    private final List<MemorySegment> mappings = new CopyOnWriteArrayList<>();
    private final List<Fence> fences = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Load> loads = new ArrayList<>();

    UnplugRig(SimProfile profile) throws IOException {
        this(profile, "0000:0a:00.0", CONFIG);
    }

    UnplugRig(SimProfile profile, String address, SimConfig config) throws IOException {
        this.profile = profile;
        this.at = PciAddress.parse(address);
        this.config = config;
        this.fdsBefore = fds();
        this.mapsBefore = ourMaps();
        this.card = withAudioFunction(bus.plug(at, profile, config));
    }

    /**
     * A consumer card: its HDMI audio function sits beside the GPU, so vfio-pci has no bus reset to
     * apply when the GPU is released (pci_parent_bus_reset refuses a bus with another function) and
     * the Navi10/Vega10 reset bug does not strike between two opens of the same card. The lone
     * function where it does is CardStateTest's.
     */
    private static SimControl withAudioFunction(SimControl c) {
        c.pciResetAvailable(false);
        return c;
    }

    static Stream<SimProfile> profiles() {
        return SimProfile.ALL.stream();
    }

    /** Opens the card in the slot now (a vfio open + probe). */
    Gpu open() {
        return open(at);
    }

    Gpu open(PciAddress address) {
        return open(address, OPTS);
    }

    Gpu open(PciAddress address, Gpu.Options options) {
        Gpu g = Gpu.open(bus.open(address), options);
        toClose.add(g);
        return g;
    }

    GpuClient client(Gpu g) {
        GpuClient c = g.openClient();
        toClose.add(0, c); // clients close before their device
        return c;
    }

    /** The re-plug after a removal: rescan/rebind brings a new card to the same address. */
    SimControl replug() {
        card = withAudioFunction(bus.slot(at).occupied() ? bus.slot(at).replug() : bus.plug(at, profile, config));
        return card;
    }

    /** A mapping the loss checks will write and read. */
    MemorySegment track(MemorySegment m) {
        mappings.add(m);
        return m;
    }

    Fence track(Fence f) {
        fences.add(f);
        return f;
    }

    /** A VRAM and a GTT buffer of 64 KiB with a pattern, both mapped and tracked. */
    List<BufferObject> buffers(GpuClient c) {
        List<BufferObject> out = new ArrayList<>();
        for (Domain d : List.of(Domain.VRAM, Domain.GTT)) {
            BufferObject bo = c.allocate(d, 64 << 10);
            MemorySegment m = track(c.map(bo));
            for (long i = 0; i < m.byteSize(); i += 4) {
                m.set(ValueLayout.JAVA_INT, i, (int) (i * 31 + d.ordinal()));
            }
            out.add(bo);
        }
        return out;
    }

    /** True when {@code m} still holds the pattern {@link #buffers} wrote for {@code d}. */
    static boolean holdsPattern(MemorySegment m, Domain d) {
        for (long i = 0; i < m.byteSize(); i += 4) {
            if (m.get(ValueLayout.JAVA_INT, i) != (int) (i * 31 + d.ordinal())) {
                return false;
            }
        }
        return true;
    }

    /** A thread submitting small jobs in a loop until the device is lost, then waiting on its last fence. */
    final class Load implements AutoCloseable {
        final Thread thread;
        final AtomicReference<Fence> last = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean lastWaitReturned;
        volatile long submitted;

        Load(GpuClient c) {
            BufferObject dst = c.allocate(Domain.GTT, 4096);
            thread = Thread.ofPlatform().daemon().name("unplug-load").start(() -> {
                try {
                    while (true) {
                        Fence f = c.submit(Job.builder().fill(dst, 0, 4096, (byte) submitted).writeDword(dst, 0, (int) submitted).build());
                        last.set(f);
                        submitted++;
                        if ((submitted & 63) == 0) {
                            Thread.sleep(1);
                        }
                    }
                } catch (DeviceLostException | amdvfio.driver.ClientClosedException e) {
                    // the loss: now the infinite wait on the last fence (libdrm hotunplug test 2)
                    Fence f = last.get();
                    try {
                        if (f != null) {
                            f.await(Duration.ofDays(1));
                        }
                        lastWaitReturned = true;
                    } catch (InterruptedException ie) {
                        failure.set(ie);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            loads.add(this);
        }

        /** Waits until at least {@code n} jobs were submitted. */
        Load warm(int n) throws InterruptedException {
            long until = System.nanoTime() + 5_000_000_000L;
            while (submitted < n && System.nanoTime() < until && thread.isAlive()) {
                Thread.sleep(1);
            }
            return this;
        }

        @Override
        public void close() throws InterruptedException {
            thread.join(BOUND.toMillis());
        }
    }

    Load load(GpuClient c) {
        return new Load(c);
    }

    /**
     * Every guarantee a client relies on after {@code g} was lost. {@code c} is a client of {@code
     * g} still open (or null).
     */
    void assertSurvivedLoss(Gpu g, GpuClient c) throws InterruptedException {
        assertSurvivedLoss(g, c, card);
    }

    /** As above, for the card {@code lost} that {@code g} drove (a re-plug already put another in the slot). */
    void assertSurvivedLoss(Gpu g, GpuClient c, SimControl lost) throws InterruptedException {
        SimControl card = lost;
        assertTrue(g.awaitState(Lifecycle.State.DETACHED, BOUND), "early fini finished in bounded time: " + g.teardownReport());
        assertTrue(g.teardownReport().failures().isEmpty(), "no fini step failed: " + g.teardownReport().failures());
        assertNotNull(card.awaitReleased(BOUND), "the device was released (the kernel's removal completed)");
        assertTrue(card.awaitVramReclaimed(BOUND), "the removed card's VRAM is gone: stale mappings would fault now");
        for (Load l : loads) {
            l.thread.join(BOUND.toMillis());
            assertTrue(!l.thread.isAlive(), "the submitter's infinite wait on its last fence returned");
            assertTrue(l.failure.get() == null, "submitter failed: " + l.failure.get());
            if (l.last.get() != null) {
                fences.add(l.last.get());
            }
        }
        for (Fence f : fences) {
            assertTrue(f.await(Duration.ofSeconds(3)), "fence completed after the loss: " + f);
            if (!f.isSignaled()) {
                assertEquals(FenceError.DEVICE_LOST, f.error(), "force-completed with DEVICE_LOST: " + f);
            }
        }
        for (MemorySegment m : mappings) {
            assertMappingUsable(m);
        }
        if (c != null) {
            assertThrows(DeviceLostException.class, () -> c.allocate(Domain.VRAM, 4096), "allocation fails fast");
            assertThrows(DeviceLostException.class, () -> c.allocate(Domain.GTT, 4096), "allocation fails fast");
            for (BufferObject bo : c.buffers()) {
                assertThrows(DeviceLostException.class, () -> c.submit(Job.builder().fill(bo, 0, 4, (byte) 1).build()),
                        "submission fails fast");
                break;
            }
        }
        assertEquals(0, g.recoveries(), "no engine recovery after the loss");
    }

    /** Writes and reads a whole mapping; a fault (InternalError from SIGBUS) fails the scenario. */
    static void assertMappingUsable(MemorySegment m) {
        try {
            int v = 0xdeafbeef;
            for (long i = 0; i < m.byteSize(); i += 4096) {
                m.set(ValueLayout.JAVA_INT, i, v);
                if (m.get(ValueLayout.JAVA_INT, i) != v) {
                    fail("mapping at 0x" + Long.toHexString(m.address()) + " does not keep a write");
                }
            }
        } catch (InternalError e) {
            fail("mapping at 0x" + Long.toHexString(m.address()) + " faulted after the loss: " + e);
        }
    }

    /** IGT's health check: open the device now in the slot, run a copy through VRAM and back, close. */
    void healthCheck() throws InterruptedException {
        try (Gpu g = Gpu.open(bus.open(at), OPTS); GpuClient c = g.openClient()) {
            copyCheck(c);
        }
    }

    /** A copy GTT → VRAM → GTT that must land. */
    static void copyCheck(GpuClient c) throws InterruptedException {
        {
            BufferObject src = c.allocate(Domain.GTT, 1 << 16);
            BufferObject mid = c.allocate(Domain.VRAM, 1 << 16);
            BufferObject dst = c.allocate(Domain.GTT, 1 << 16);
            c.map(src).fill((byte) 0x5A);
            Fence f = c.submit(Job.builder().copy(src, 0, mid, 0, 1 << 16).copy(mid, 0, dst, 0, 1 << 16).build());
            assertTrue(c.await(f, Duration.ofSeconds(5)) && f.isSignaled(), "health check copy: " + f);
            assertEquals((byte) 0x5A, c.map(dst).get(ValueLayout.JAVA_BYTE, (1 << 16) - 1));
        }
    }

    /** Closes every client and device, then the bus, and checks nothing of ours is left. */
    @Override
    public void close() throws Exception {
        for (Load l : loads) {
            l.thread.interrupt();
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        for (Load l : loads) {
            l.close();
        }
        bus.close();
        // a handle left open keeps its card and the card's threads alive: name it, not the threads
        assertEquals(List.of(), bus.openHandles(), "no device handle left open");
        long until = System.nanoTime() + BOUND.toNanos();
        while (!ourThreads().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(Set.of(), ourThreads(), "no thread left");
        assertEquals(fdsBefore, fds(), "no file descriptor left");
        assertEquals(mapsBefore, ourMaps(), "no memfd or device mapping left");
    }

    static Set<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("amdvfio") || n.startsWith("unplug-")).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> fds() throws IOException {
        return LifecycleTest.fds();
    }

    static long ourMaps() throws IOException {
        return LifecycleTest.ourMaps();
    }
}
