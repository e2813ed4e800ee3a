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

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's own hot-unplug on the simulated Navi10: a {@link Gpu} with {@code clients} clients
 * holding {@code bos} mapped 64 KiB VRAM buffers, every page's first word written. REQ runs the
 * whole early fini — VRAM save by SDMA when {@code saveVram}, guard drain, scheduler stop,
 * interrupts off, fence force-completion, reroute of every client mapping, DMA unmap, close —
 * and the simulator reports when the device was released.
 */
final class DriverSimUnplugRig implements UnplugRig {

    private final SimBus bus = new SimBus();
    private final SimControl card;
    private final Gpu gpu;
    private final List<GpuClient> clients = new ArrayList<>();

    DriverSimUnplugRig(int bos, int clientCount, boolean saveVram) {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        card = bus.plug(at, SimProfile.NAVI10, SimConfig.defaults().withStrict(false).withVram(1L << 30));
        gpu = Gpu.open(bus.open(at), Gpu.Options.DEFAULT.withVramSaveBudget(saveVram ? Duration.ofSeconds(5) : Duration.ZERO));
        for (int c = 0; c < clientCount; c++) {
            clients.add(gpu.openClient());
        }
        for (int i = 0; i < bos; i++) {
            GpuClient c = clients.get(i % clientCount);
            BufferObject bo = c.allocate(Domain.VRAM, 64 << 10);
            var mapping = c.map(bo);
            for (long page = 0; page < mapping.byteSize(); page += 4096) {
                mapping.set(ValueLayout.JAVA_INT, page, i);
            }
        }
    }

    @Override
    public void requestRemoval() {
        card.requestRemoval();
    }

    @Override
    public void awaitReleased(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (card.requestToRelease() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("device not released within " + timeout + ": " + gpu.teardownReport());
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public Duration reportedRequestToRelease() {
        return card.requestToRelease();
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
