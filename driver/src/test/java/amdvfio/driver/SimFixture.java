package amdvfio.driver;

import amdvfio.driver.client.GpuClient;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import java.time.Duration;
import java.util.stream.Stream;

/** One simulated card opened by the driver, with a client; closes everything in reverse. */
final class SimFixture implements AutoCloseable {

    /**
     * Short timeouts, and COPY/FILL split at 0x3fff00 bytes on every profile: the real maximum on
     * SDMA 4.0/5.0, a lowered one on 5.2/6.0 (whose ~1 GiB maximum is too big to copy past in a test).
     */
    static final Gpu.Options FAST = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(2),
            0x3fff00);

    final SimBus bus;
    final SimControl card;
    final Gpu gpu;
    final GpuClient client;
    private final boolean ownBus;

    SimFixture(SimProfile profile) {
        this(new SimBus(), true, "0000:03:00.0", profile, SimConfig.defaults(), FAST);
    }

    SimFixture(SimBus bus, boolean ownBus, String address, SimProfile profile, SimConfig config, Gpu.Options options) {
        this.bus = bus;
        this.ownBus = ownBus;
        PciAddress at = PciAddress.parse(address);
        this.card = bus.plug(at, profile, config);
        this.gpu = Gpu.open(bus.open(at), options);
        this.client = gpu.openClient();
    }

    static Stream<SimProfile> profiles() {
        return SimProfile.ALL.stream();
    }

    /**
     * Closes in reverse and fails if the simulator's strict mode flagged anything the driver did
     * that real hardware punishes, or the GPU faulted on an address the driver gave it.
     */
    @Override
    public void close() {
        var violations = card.strictViolations();
        var faults = card.faults();
        client.close();
        gpu.close();
        if (!violations.isEmpty() || !faults.isEmpty()) {
            if (ownBus) {
                bus.close();
            }
            throw new AssertionError("strict violations " + violations + ", GPU faults " + faults);
        }
        if (ownBus) {
            bus.close();
        }
    }
}
