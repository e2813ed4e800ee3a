package amdvfio.bench.unplug;

import amdvfio.driver.Gpu;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.TeardownReport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's own hot-unplug on the simulated Navi10: a {@link Gpu} with the workload's clients,
 * each holding its mapped VRAM buffers with every page written. REQ runs the whole early fini —
 * VRAM save by SDMA into the shadow when {@code saveVram}, guard drain, scheduler stop, interrupts
 * off, fence force-completion, one remap per client window, DMA unmap, close — and the simulator
 * reports when the device was released.
 */
final class DriverSimUnplugRig implements UnplugRig {

    private final SimBus bus = new SimBus();
    private final SimControl card;
    private final Gpu gpu;
    private final List<GpuClient> clients = new ArrayList<>();

    DriverSimUnplugRig(UnplugWorkload w, boolean saveVram) {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        card = bus.plug(at, SimProfile.NAVI10, SimConfig.defaults().withStrict(false).withVram(UnplugWorkload.VRAM));
        gpu = Gpu.open(bus.open(at), Gpu.Options.DEFAULT.withVramSaveBudget(saveVram ? Duration.ofSeconds(5) : Duration.ZERO));
        for (int c = 0; c < w.clients(); c++) {
            clients.add(gpu.openClient());
        }
        for (int b = 0; b < w.bosPerClient(); b++) {
            for (int c = 0; c < w.clients(); c++) { // round-robin, as UnplugWorkload.offset places them
                GpuClient client = clients.get(c);
                BufferObject bo = client.allocate(Domain.VRAM, w.boSize());
                MemorySegment mapping = client.map(bo);
                for (long page = 0; page < mapping.byteSize(); page += UnplugWorkload.PAGE) {
                    mapping.set(ValueLayout.JAVA_INT, page, b);
                }
            }
        }
    }

    @Override
    public void requestRemoval() {
        card.requestRemoval();
    }

    @Override
    public Duration awaitReleased(Duration timeout) throws InterruptedException {
        Duration d = card.awaitReleased(timeout);
        if (d == null) {
            throw new IllegalStateException("device not released within " + timeout + ": " + gpu.teardownReport());
        }
        return d;
    }

    /** When the simulated removal began: the origin of {@link #awaitReleased}'s figure. */
    long removalBeganNanoTime() {
        return card.removalBeganNanoTime();
    }

    /** The lifecycle's teardown report: early-fini steps and their durations. */
    TeardownReport report() throws InterruptedException {
        gpu.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30));
        return gpu.teardownReport();
    }

    @Override
    public void close() {
        try {
            gpu.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.forEach(GpuClient::close);
        gpu.close();
        bus.close();
    }
}
