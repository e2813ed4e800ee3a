package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.ExportedBuffer;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Nothing of ours outlives the last client and the device: threads, fds, mappings, memfds. */
class LifecycleTest {

    static Stream<Arguments> profiles() {
        return SimFixture.profiles().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void closingAllClientsAndTheDeviceLeavesNoThreadFdMappingOrMemfd(SimProfile profile) throws Exception {
        try (SimBus bus = new SimBus()) {
            PciAddress at = PciAddress.parse("0000:05:00.0");
            SimControl card = bus.plug(at, profile, SimConfig.defaults());
            Set<String> fdsBefore = fds();
            Set<String> threadsBefore = threads();
            long mapsBefore = ourMaps();

            Gpu gpu = Gpu.open(bus.open(at), SimFixture.FAST);
            GpuClient a = gpu.openClient();
            GpuClient b = gpu.openClient();
            BufferObject vram = a.allocate(Domain.VRAM, 1 << 20);
            BufferObject gtt = a.allocate(Domain.GTT, 1 << 20);
            a.map(vram).fill((byte) 1);
            a.map(gtt).fill((byte) 2);
            Fence f = a.submit(Job.builder().copy(vram, 0, gtt, 0, 1 << 20).build());
            assertTrue(a.await(f, Duration.ofSeconds(5)));
            try (ExportedBuffer exported = a.exportBuffer(gtt)) {
                BufferObject shared = b.importBuffer(exported);
                assertEquals(1, b.map(shared).get(ValueLayout.JAVA_BYTE, 0));
            }
            assertTrue(threads().stream().anyMatch(t -> t.startsWith("amdvfio-irq")), "interrupt thread runs");
            assertTrue(ourMaps() > mapsBefore, "the checks see our memfd mappings while open");
            assertTrue(fds().size() > fdsBefore.size(), "the checks see our descriptors while open");

            a.close();
            gpu.close();
            assertTrue(threads().stream().noneMatch(t -> t.startsWith("amdvfio-irq")), "interrupt thread stopped at early fini");
            assertEquals(1, card.openHandles(), "late fini waits for the last client");
            b.close();
            assertEquals(0, card.openHandles(), "device closed after the last client");

            assertEquals(fdsBefore, fds(), "no file descriptor left");
            assertEquals(threadsBefore.stream().filter(t -> t.startsWith("amdvfio-irq")).count(),
                    threads().stream().filter(t -> t.startsWith("amdvfio-irq")).count());
            assertEquals(mapsBefore, ourMaps(), "no memfd or device mapping left");
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void coldCardIsRefusedWithAClearErrorInsteadOfHanging(SimProfile profile) throws Exception {
        try (SimBus bus = new SimBus()) {
            PciAddress at = PciAddress.parse("0000:06:00.0");
            SimControl card = bus.plug(at, profile, SimConfig.defaults());
            card.hangEngine(0); // SDMA0 never executes: what a card without running firmware looks like
            Set<String> fdsBefore = fds();
            long start = System.nanoTime();
            FirmwareNotRunningException e = assertThrows(FirmwareNotRunningException.class,
                    () -> Gpu.open(bus.open(at), SimFixture.FAST));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
            assertTrue(e.getMessage().contains("ring test"), e.getMessage());
            assertEquals(0, card.openHandles(), "probe failure releases the device");
            assertEquals(fdsBefore, fds());
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void freedBuffersReturnTheirVramAndGartSpace(SimProfile profile) {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject first = f.client.allocate(Domain.VRAM, 64 << 20);
            long at = first.gpuAddress();
            f.client.free(first);
            BufferObject again = f.client.allocate(Domain.VRAM, 64 << 20);
            assertEquals(at, again.gpuAddress(), "the freed range is reused");
            assertThrows(OutOfDeviceMemoryException.class, () -> f.client.allocate(Domain.VRAM, 8L << 30));
            assertThrows(OutOfDeviceMemoryException.class, () -> f.client.allocate(Domain.GTT, 4L << 30));
        }
    }

    static Set<String> fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return p.getFileName() + "->" + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + "->?";
                }
            }).filter(x -> !x.contains("/proc/") && !x.contains("surefire")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Set<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Lines of /proc/self/maps that are ours: memfds ("amdvfio:") and device mappings. */
    static long ourMaps() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
        return lines.stream().filter(l -> l.contains("amdvfio:") || l.contains("/dev/vfio")).count();
    }
}
