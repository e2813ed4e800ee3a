package amdvfio.hwtests.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import amdvfio.hwtests.qemu.guest.VfioSmokeProbe;

/**
 * The VM tier's proof: a TCG guest with the edu device behind an emulated Intel IOMMU, the real
 * vfio-pci driver bound to it, and a Java 25 FFM program in the guest talking to /dev/vfio/vfio.
 * Exercises the legacy container/group VFIO path only (no Debian kernel enables the vfio cdev/iommufd),
 * on both Debian kernels: bookworm's 6.1 and bookworm-backports' 6.12; each run asserts which kernel booted.
 */
@Tag("vm")
class GuestSmokeTest {

    @BeforeAll
    static void needsQemu() {
        QemuGuest.assumeQemuInstalled();
    }

    @ParameterizedTest(name = "Linux {0}")
    @ValueSource(strings = {"6.1", "6.12"})
    void javaProgramInGuestTalksToRealVfioPci(String kernel) throws Exception {
        long t0 = System.nanoTime();
        GuestResult r = QemuGuest.builder("GuestSmokeTest-" + kernel)
                .kernel(kernel)
                .eduDevice()
                .mainClass(VfioSmokeProbe.class)
                .timeout(Duration.ofSeconds(300))
                .run();
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("GuestSmokeTest wall time (prepare check + boot + program + power-off): " + wallMs + " ms; " + r.timingSummary());

        r.assertSucceeded();
        List<String> probe = r.linesStartingWith("PROBE ");
        String expected = GuestImage.get(kernel).kernelVersion();
        assertEquals(expected, r.kernelRan(), r.describeFailure());
        assertTrue(probe.contains("kernel=" + expected), "the JVM ran on another kernel: " + probe);
        assertTrue(expected.startsWith(kernel + "."), expected);
        assertTrue(probe.stream().anyMatch(l -> l.startsWith("vfio_path=legacy-container-group")), r.describeFailure());
        assertTrue(probe.contains("device=0000:01:00.0 vendor=0x1234 device_id=0x11e8 driver=vfio-pci"), r.describeFailure());
        assertTrue(probe.stream().anyMatch(l -> l.matches("iommu_group=\\d+ group_dev=/dev/vfio/\\d+ exists=true")), r.describeFailure());
        assertTrue(probe.contains("VFIO_GET_API_VERSION=0"), r.describeFailure());
        assertTrue(probe.contains("VFIO_CHECK_EXTENSION(TYPE1v2)=1"), r.describeFailure());
        assertTrue(probe.stream().anyMatch(l -> l.startsWith("VFIO_GROUP_GET_STATUS") && l.endsWith("viable=true")), r.describeFailure());
        assertTrue(probe.contains("ok"), r.describeFailure());
        assertTrue(probe.stream().anyMatch(l -> l.startsWith("cpus_allowed=0 ")), "guest JVM not pinned to vCPU 0: " + probe);
        assertEquals(0, r.exitCode());
    }
}
