package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.sim.SimProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeTest {

    @ParameterizedTest
    @MethodSource("amdvfio.driver.SimFixture#profiles")
    void probePassesRingAndIbTestsOnEveryRing(SimProfile profile) {
        try (SimFixture f = new SimFixture(profile)) {
            assertEquals(profile.sdmaCount(), f.gpu.ringCount());
            assertTrue(f.card.strictViolations().isEmpty(), () -> f.card.strictViolations().toString());
            assertTrue(f.card.faults().isEmpty(), () -> f.card.faults().toString());
        }
    }
}
