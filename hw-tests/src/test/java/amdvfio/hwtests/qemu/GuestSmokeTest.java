package amdvfio.hwtests.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import amdvfio.hwtests.qemu.guest.VfioSmokeProbe;

/**
 * The VM tier's proof: a TCG guest with the edu device behind an emulated Intel IOMMU, the real
 * vfio-pci driver bound to it, and a Java 25 FFM program in the guest talking to /dev/vfio/vfio.
 * Exercises the legacy container/group VFIO path only (guest kernel 6.1 has no vfio cdev/iommufd).
 */
@Tag("vm")
class GuestSmokeTest {

    @BeforeAll
    static void needsQemu() {
        QemuGuest.assumeQemuInstalled();
    }

    @Test
    void javaProgramInGuestTalksToRealVfioPci() throws Exception {
        long t0 = System.nanoTime();
        GuestResult r = QemuGuest.builder("GuestSmokeTest")
                .eduDevice()
                .mainClass(VfioSmokeProbe.class)
                .timeout(Duration.ofSeconds(300))
                .run();
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("GuestSmokeTest wall time (prepare check + boot + program + power-off): " + wallMs + " ms; " + r.timingSummary());

        r.assertSucceeded();
        List<String> probe = r.linesStartingWith("PROBE ");
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
