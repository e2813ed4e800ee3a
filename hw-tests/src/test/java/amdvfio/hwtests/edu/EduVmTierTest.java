package amdvfio.hwtests.edu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import amdvfio.hwtests.qemu.GuestResult;
import amdvfio.hwtests.qemu.GuestScenarioRunner;
import amdvfio.hwtests.qemu.QemuGuest;
import amdvfio.hwtests.qemu.Qmp;
import amdvfio.hwtests.qemu.RunningGuest;

/**
 * The VM tier's real scenarios: the {@link EduDevice} driver over the {@code vfio} module against
 * the real vfio-pci driver (Linux 6.1 guest, legacy container/group path). All seven scenarios share
 * <b>one guest boot</b> ({@link GuestScenarioRunner}, in order S1..S7 — S5 closes the handle S4 left
 * open); this class boots it once and drives the QMP half of S6 from the host; each test then
 * asserts on its own scenario's result and output. A failure message carries the console tail, and
 * the whole console is in target/vm/EduVmTierTest/console.log.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.MethodName.class)
class EduVmTierTest {

    static final List<Class<?>> SCENARIOS = List.of(EduScenarios.S1OpenRegisters.class, EduScenarios.S2Dma.class,
            EduScenarios.S3Msi.class, EduScenarios.S4SysfsRemove.class, EduScenarios.S5ReplugLateClose.class,
            EduScenarios.S6QmpUnplugDuringDma.class, EduScenarios.S7IgnoredReq.class);

    static GuestResult result;
    static Map<String, String> status;
    static String hostSide = "";

    @BeforeAll
    static void bootOnce() throws Exception {
        QemuGuest.assumeQemuInstalled();
        String[] names = SCENARIOS.stream().map(Class::getName).toArray(String[]::new);
        long t0 = System.nanoTime();
        try (RunningGuest g = QemuGuest.builder("EduVmTierTest").eduDevice().qmp()
                .mainClass(GuestScenarioRunner.class, names)
                .timeout(Duration.ofSeconds(480))
                .start()) {
            try {
                g.awaitLine("^READY-FOR-DEVICE-DEL", Duration.ofSeconds(400));
                Qmp qmp = g.qmp();
                long delMs = qmp.deviceDelAndWait("edu0", Duration.ofSeconds(60));
                hostSide += "device_del -> DEVICE_DELETED " + delMs + " ms; ";
                g.awaitLine("^DEVICE-GONE", Duration.ofSeconds(60));
                qmp.deviceAdd(Map.of("driver", "edu", "bus", "rp1", "id", "edu0"));
                hostSide += "device_add sent";
            } catch (Throwable t) { // S6's host half failed: the guest result still tells the other scenarios
                hostSide += "host side of S6 failed: " + t;
            }
            result = g.awaitExit();
        }
        status = result.scenarios();
        System.out.printf("EduVmTierTest: one boot, wall %d ms; scenarios %s; %s%n", (System.nanoTime() - t0) / 1_000_000, status, hostSide);
        result.linesStartingWith("REQ-").forEach(l -> System.out.println("  REQ-" + l));
    }

    static void assertPassed(Class<?> scenario) {
        String name = scenario.getSimpleName();
        assertEquals("PASS", status.get(name), name + " in the shared boot (" + hostSide + ")\n" + result.describeFailure());
    }

    static void assertLine(String prefix) {
        assertFalse(result.linesStartingWith(prefix).isEmpty(), "no console line '" + prefix + "'\n" + result.describeFailure());
    }

    @Test
    void s1_openRegionInfoBar0MmapIdentLivenessPresence() {
        assertPassed(EduScenarios.S1OpenRegisters.class);
        assertLine("EDU-CHECK s1 ident=0x010000ed");
        assertLine("EDU-CHECK s1 liveness ok");
    }

    @Test
    void s2_dmaBothWaysAndUnmappedIovaRefused() {
        assertPassed(EduScenarios.S2Dma.class);
        assertLine("EDU-CHECK s2 dma host->device->host 4095 bytes verified both ways");
        assertLine("EDU-CHECK s2 dma to unmapped iovas");
        assertTrue(result.console().contains("DMAR"), "no DMAR fault logged by the guest kernel for the unmapped IOVA\n" + result.describeFailure());
    }

    @Test
    void s3_msiDeliveredToEventLoop() {
        assertPassed(EduScenarios.S3Msi.class);
        assertLine("EDU-CHECK s3 msi on DMA completion");
    }

    @Test
    void s4_sysfsRemoveWhileClientMapsBar0() {
        assertPassed(EduScenarios.S4SysfsRemove.class);
        assertLine("REQ-TIMING s4:");
    }

    @Test
    void s5_rescanRebindReopenWhileOldHandleOpenThenLateClose() {
        assertPassed(EduScenarios.S5ReplugLateClose.class);
        assertLine("EDU-CHECK s5 msi on DMA completion");
        assertLine("EDU s5: stale handle closed, old lifecycle RELEASED");
    }

    @Test
    void s6_qmpDeviceDelDuringDmaThenDeviceAdd() {
        assertTrue(hostSide.contains("device_add sent"), hostSide + "\n" + result.describeFailure());
        assertPassed(EduScenarios.S6QmpUnplugDuringDma.class);
        assertLine("REQ-TIMING s6:");
        assertLine("EDU-CHECK s6 msi on DMA completion");
    }

    @Test
    void s7_ignoredReqIsResignalledAndBlocksRemovalUntilRelease() {
        assertPassed(EduScenarios.S7IgnoredReq.class);
        assertLine("REQ-IGNORED s7:");
    }
}
