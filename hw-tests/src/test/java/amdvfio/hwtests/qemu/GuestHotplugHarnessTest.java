package amdvfio.hwtests.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import amdvfio.hwtests.qemu.guest.QmpUnplugReplugScenario;
import amdvfio.hwtests.qemu.guest.SysfsRemoveRescanScenario;

/**
 * Proves the harness pieces the hot-unplug scenarios need, in one guest boot: several scenarios
 * through {@link GuestScenarioRunner}, sysfs remove/rescan from guest Java code, and QMP
 * device_del / DEVICE_DELETED / device_add from the host, synchronised on console lines.
 */
@Tag("vm")
class GuestHotplugHarnessTest {

    @BeforeAll
    static void needsQemu() {
        QemuGuest.assumeQemuInstalled();
    }

    @Test
    void sysfsRemoveRescanAndQmpUnplugReplugInOneBoot() throws Exception {
        GuestResult r;
        long delMs;
        try (RunningGuest g = QemuGuest.builder("GuestHotplugHarnessTest")
                .eduDevice()
                .qmp()
                .mainClass(GuestScenarioRunner.class, SysfsRemoveRescanScenario.class.getName(), QmpUnplugReplugScenario.class.getName())
                .timeout(Duration.ofSeconds(300))
                .start()) {
            Qmp qmp = g.qmp();
            assertTrue(qmp.greeting().containsKey("QMP"));
            g.awaitLine("^READY-FOR-DEVICE-DEL", Duration.ofSeconds(120));
            delMs = qmp.deviceDelAndWait("edu0", Duration.ofSeconds(30));
            System.out.println("host: device_del edu0 -> DEVICE_DELETED in " + delMs + " ms");
            g.awaitLine("^DEVICE-GONE", Duration.ofSeconds(30));
            qmp.deviceAdd(Map.of("driver", "edu", "bus", "rp1", "id", "edu0"));
            g.awaitLine("^DEVICE-BACK", Duration.ofSeconds(30));
            r = g.awaitExit();
        }
        r.assertSucceeded();
        assertEquals(Map.of("SysfsRemoveRescanScenario", "PASS", "QmpUnplugReplugScenario", "PASS"), r.scenarios(), r.describeFailure());
        assertTrue(r.console().contains("DEVICE-BACK after"), r.describeFailure());
    }
}
