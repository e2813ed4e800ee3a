package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertThrows;

import amdvfio.sim.SimProfile;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

/**
 * Tests of the tests: each disables one guarantee in the driver (a package-private switch of
 * {@link Gpu}) and proves that the scenario which is supposed to check it turns red. Without
 * these, a scenario could pass for the wrong reason (e.g. mappings that happen to stay readable).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuaranteeChecksTest {

    private final HotUnplugScenariosTest scenarios = new HotUnplugScenariosTest();

    @AfterEach
    void restore() {
        Gpu.testSkipReroute = false;
        Gpu.testSkipForceCompletion = false;
        Gpu.testAllowRecoveryAfterLoss = false;
    }

    @Test
    void withoutRerouteTheMappingCheckFails() {
        Gpu.testSkipReroute = true; // VRAM mappings keep pointing at the released device (truncated: SIGBUS)
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> scenarios.libdrmUnplugRescanIdle(SimProfile.NAVI10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("mapping"), e.getMessage());
    }

    @Test
    void withoutRerouteTheHammeringThreadsFault() {
        Gpu.testSkipReroute = true; // the windows keep mapping the released card's memory: SIGBUS
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> scenarios.threadsHammeringTheirMappingsThroughTheRemovalNeverFault(SimProfile.NAVI10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("hammering"), e.getMessage());
    }

    @Test
    void withoutForceCompletionTheFenceCheckFails() {
        Gpu.testSkipForceCompletion = true; // fences of jobs the lost engine never ran stay pending
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> scenarios.surpriseRemovalForceCompletesJobsTheEngineNeverRan(SimProfile.VEGA10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("fence completed"), e.getMessage());
    }

    @Test
    void withRecoveryAfterLossTheNoRecoveryCheckFails() {
        Gpu.testAllowRecoveryAfterLoss = true; // a timeout after the loss resets the engine (and says TIMEOUT)
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> scenarios.hungJobAfterLossReportsDeviceLostAndIsNotRecovered(SimProfile.NAVI21));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("DEVICE_LOST")
                || e.getMessage().contains("recovery"), e.getMessage());
    }
}
