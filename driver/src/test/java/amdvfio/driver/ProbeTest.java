package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
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

    @ParameterizedTest
    @MethodSource("amdvfio.driver.SimFixture#profiles")
    void probeReadsDiscoveryThroughTheMmIndexWindowWhenBar0IsSmall(SimProfile profile) throws Exception {
        SimConfig config = SimConfig.defaults().withVram(1L << 30).withSmallBar(true);
        try (SimBus bus = new SimBus();
             SimFixture f = new SimFixture(bus, false, "0000:07:00.0", profile, config, SimFixture.FAST)) {
            var bo = f.client.allocate(amdvfio.driver.bo.Domain.VRAM, 4096);
            f.client.map(bo).fill((byte) 3);
            var gtt = f.client.allocate(amdvfio.driver.bo.Domain.GTT, 4096);
            var fence = f.client.submit(Job.builder().copy(bo, 0, gtt, 0, 4096).build());
            assertTrue(f.client.await(fence, java.time.Duration.ofSeconds(5)));
            assertEquals(3, f.client.map(gtt).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4095));
        }
    }
}
