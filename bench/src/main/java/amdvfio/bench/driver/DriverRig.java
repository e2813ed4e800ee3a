package amdvfio.bench.driver;

import amdvfio.driver.Gpu;
import amdvfio.driver.client.GpuClient;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;

/** A simulated GPU of one profile, opened by the driver, with one client: the submission benchmarks' device. */
final class DriverRig implements AutoCloseable {

    final SimBus bus = new SimBus();
    final Gpu gpu;
    final GpuClient client;

    DriverRig(String profile, long vramBytes) {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        SimProfile p = SimProfile.ALL.stream().filter(x -> x.name().equalsIgnoreCase(profile)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown profile " + profile));
        bus.plug(at, p, SimConfig.defaults().withStrict(false).withVram(vramBytes));
        gpu = Gpu.open(bus.open(at));
        client = gpu.openClient();
    }

    @Override
    public void close() {
        client.close();
        gpu.close();
        bus.close();
    }
}
