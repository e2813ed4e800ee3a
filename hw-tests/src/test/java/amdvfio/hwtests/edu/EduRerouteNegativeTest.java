package amdvfio.hwtests.edu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import amdvfio.hwtests.qemu.GuestResult;
import amdvfio.hwtests.qemu.GuestScenarioRunner;
import amdvfio.hwtests.qemu.QemuGuest;

/**
 * The tier detects a broken build: scenario 4 with {@code -Damdvfio.test.skipReroute=true} (early
 * fini skips {@code MappingTable.rerouteAll()}) must FAIL. Without the reroute the client's BAR0
 * mapping keeps the vfio device file referenced after every fd is closed, so the kernel's removal
 * stays blocked; S4 sees the device still present after its (shortened) wait and fails with
 * REMOVAL-BLOCKED, then unmaps the client mapping and shows that this is what completes the
 * removal. One short boot, S4 only.
 */
@Tag("vm")
class EduRerouteNegativeTest {

    @BeforeAll
    static void needsQemu() {
        QemuGuest.assumeQemuInstalled();
    }

    @Test
    void scenario4FailsWhenRerouteIsSkipped() throws Exception {
        GuestResult r = QemuGuest.builder("EduRerouteNegativeTest").eduDevice()
                .addJvmArgs("-D" + EduDevice.SKIP_REROUTE + "=true", "-Damdvfio.test.goneTimeoutMs=4000")
                .mainClass(GuestScenarioRunner.class, EduScenarios.S4SysfsRemove.class.getName())
                .timeout(Duration.ofSeconds(240))
                .run();
        assertFalse(r.timedOut(), r.describeFailure());
        assertEquals(Map.of("S4SysfsRemove", "FAIL"), r.scenarios(), "S4 must fail without reroute\n" + r.describeFailure());
        assertTrue(r.console().contains("NOT rerouting client mappings"), r.describeFailure());
        assertFalse(r.linesStartingWith("REMOVAL-BLOCKED s4:").isEmpty(), r.describeFailure());
        assertTrue(r.linesStartingWith("REMOVAL-AFTER-UNMAP s4:").stream().anyMatch(l -> l.contains("removal completed")),
                "unmapping the client mapping should have let the removal complete\n" + r.describeFailure());
    }
}
