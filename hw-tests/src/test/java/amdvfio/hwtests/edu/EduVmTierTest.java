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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import amdvfio.hwtests.qemu.GuestResult;
import amdvfio.hwtests.qemu.GuestScenarioRunner;
import amdvfio.hwtests.qemu.QemuGuest;
import amdvfio.hwtests.qemu.Qmp;
import amdvfio.hwtests.qemu.RunningGuest;

/**
 * The VM tier's real scenarios: the {@link EduDevice} driver over the {@code vfio} module against
 * the real vfio-pci driver (Linux 6.1 guest here, 6.12 in {@link EduVmTier612Test}; legacy
 * container/group path). All seven scenarios share
 * <b>one guest boot</b> ({@link GuestScenarioRunner}, in order S1..S7 — S5 closes the handle S4 left
 * open); this class boots it once and drives the QMP half of S6 from the host; each test then
 * asserts on its own scenario's result and output. A failure message carries the console tail, and
 * the whole console is in target/vm/EduVmTierTest/console.log.
 */
@Tag("vm")
@TestMethodOrder(MethodOrderer.MethodName.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EduVmTierTest {

    static final List<Class<?>> SCENARIOS = List.of(EduScenarios.S1OpenRegisters.class, EduScenarios.S2Dma.class,
            EduScenarios.S3Msi.class, EduScenarios.S4SysfsRemove.class, EduScenarios.S5ReplugLateClose.class,
            EduScenarios.S6QmpUnplugDuringDma.class, EduScenarios.S7IgnoredReq.class);

    GuestResult result;
    Map<String, String> status;
    String hostSide = "";

    /** The Debian kernel series this class boots (the 6.12 subclass overrides it). */
    String kernel() {
        return "6.1";
    }

    @BeforeAll
    void bootOnce() throws Exception {
        QemuGuest.assumeQemuInstalled();
        String[] names = SCENARIOS.stream().map(Class::getName).toArray(String[]::new);
        long t0 = System.nanoTime();
        try (RunningGuest g = QemuGuest.builder(getClass().getSimpleName()).kernel(kernel()).eduDevice().qmp()
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

    void assertPassed(Class<?> scenario) {
        String name = scenario.getSimpleName();
        assertEquals("PASS", status.get(name), name + " in the shared boot (" + hostSide + ")\n" + result.describeFailure());
    }

    void assertLine(String prefix) {
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
        assertTrue(dmarFaultLogged(), "no DMAR fault of " + EduScenarios.BDF + " at an unmapped IOVA in the guest log\n"
                + result.describeFailure());
    }

    /**
     * The IOMMU's own report of the blocked DMA: a DMAR fault line naming edu's requester id and one
     * of the two IOVAs S2 printed (intel-iommu's dmar_fault_do_one: "DMAR: [DMA Write ...] Request
     * device [01:00.0] ... fault addr 0x..."; older kernels print the address without 0x).
     */
    boolean dmarFaultLogged() {
        java.util.regex.Matcher iovas = java.util.regex.Pattern.compile("dma to unmapped iovas 0x([0-9a-f]+) .* and 0x([0-9a-f]+) refused")
                .matcher(String.join("\n", result.linesStartingWith("EDU-CHECK s2 ")));
        if (!iovas.find()) {
            return false;
        }
        String rid = EduScenarios.BDF.substring(5); // "01:00.0"
        for (String iova : List.of(iovas.group(1), iovas.group(2))) {
            java.util.regex.Pattern fault = java.util.regex.Pattern.compile("DMAR: \\[DMA (Read|Write)[^\\]]*\\] Request device \\["
                    + java.util.regex.Pattern.quote(rid) + "\\].*fault addr (0x)?0*" + iova + "\\b");
            if (result.console().lines().anyMatch(l -> fault.matcher(l).find())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void s0_theNamedKernelRanAndLoggedNoWarning() {
        assertEquals(amdvfio.hwtests.qemu.GuestImage.get(kernel()).kernelVersion(), result.kernelRan(), result.describeFailure());
        assertEquals(List.of(), result.kernelWarnings(), result.describeFailure());
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
