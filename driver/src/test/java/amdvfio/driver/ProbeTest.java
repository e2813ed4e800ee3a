package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.asic.IpDiscovery;
import amdvfio.driver.asic.Probe;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.RegionInfo;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
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
        long vram = 1L << 30;
        SimConfig config = SimConfig.defaults().withVram(vram).withSmallBar(true); // BAR0 = the first 256 MiB
        PciAddress at = PciAddress.parse("0000:07:00.0");
        Set<Long> windowReads = new ConcurrentSkipListSet<>();
        long[] hi = {0};
        try (SimBus bus = new SimBus()) {
            bus.plug(at, profile, config);
            TappedDevice dev = new TappedDevice(bus.open(at), (bar, offset, write, value) -> {
                if (bar != RegionInfo.BAR5 || !write) {
                    return;
                }
                if (offset == amdvfio.amdgpu.FixedRegs.MM_INDEX_HI * 4L) {
                    hi[0] = value;
                } else if (offset == amdvfio.amdgpu.FixedRegs.MM_INDEX * 4L && (value & 0x8000_0000L) != 0) {
                    windowReads.add(hi[0] << 31 | (value & 0x7FFF_FFFFL)); // a VRAM address through the window
                }
            });
            try (Gpu gpu = Gpu.open(dev, SimFixture.FAST); var client = gpu.openClient()) {
                long table = vram - IpDiscovery.TMR_OFFSET_FROM_END;
                if (profile.usesDiscovery()) {
                    for (long a = table; a < table + IpDiscovery.TMR_SIZE; a += 4) {
                        assertTrue(windowReads.contains(a), String.format("discovery dword 0x%x read through MM_INDEX", a));
                    }
                } else {
                    assertEquals(Set.of(), windowReads, "Vega10 has fixed bases: no discovery read at all");
                }
                var bo = client.allocate(amdvfio.driver.bo.Domain.VRAM, 4096);
                client.map(bo).fill((byte) 3);
                var gtt = client.allocate(amdvfio.driver.bo.Domain.GTT, 4096);
                var fence = client.submit(Job.builder().copy(bo, 0, gtt, 0, 4096).build());
                assertTrue(client.await(fence, java.time.Duration.ofSeconds(5)));
                assertEquals(3, client.map(gtt).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4095));
            }
        }
    }
}
