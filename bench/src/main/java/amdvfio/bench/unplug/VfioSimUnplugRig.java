package amdvfio.bench.unplug;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import amdvfio.vfio.unplug.MappingOwner;
import amdvfio.vfio.unplug.MappingTable;
import amdvfio.vfio.unplug.TeardownReport;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The device-independent part of hot-unplug, wired as the driver wires it (see HotUnplugFlowTest
 * in vfio): a simulated Navi10 opened through the device contract, its REQ eventfd on a
 * {@link DeviceEventLoop} whose handler only triggers the {@link Lifecycle}; early fini on the
 * teardown thread = drain the {@link DeviceGuard}, reroute the {@link MappingTable} (one window per
 * client, each client mapping its own buffers, every page written), close the device, stop the
 * event loop. What it leaves out, because the driver owns it: stopping schedulers, disabling the
 * engines' interrupts, force-completing fences, saving VRAM.
 */
final class VfioSimUnplugRig implements UnplugRig {

    private static final PciAddress AT = PciAddress.parse("0000:03:00.0");

    private final SimBus bus = new SimBus();
    private final SimControl card;
    private final PciDevice dev;
    private final DeviceGuard guard = new DeviceGuard();
    private final MappingTable table;
    private final Lifecycle life = new Lifecycle(AT.toString());
    private final DeviceEventLoop loop;
    private final List<MappingOwner> owners = new ArrayList<>();

    VfioSimUnplugRig(UnplugWorkload w) {
        card = bus.plug(AT, SimProfile.NAVI10, SimConfig.defaults().withVram(UnplugWorkload.VRAM));
        dev = bus.open(AT);
        table = new MappingTable(dev.mappable(0));
        loop = DeviceEventLoop.start(dev, IrqType.MSI, 0, new DeviceEventHandler() {
            @Override
            public void onRequest(long count) {
                life.trigger(LossReason.REQ); // hand off only
            }
        });
        // probe order; early fini runs them in reverse
        life.addEarlyFini("stop-event-loop", loop::close);
        life.addEarlyFini("release-device", dev::close);
        life.addEarlyFini("reroute-mappings", table::rerouteAll);
        life.addEarlyFini("unplug-guard", () -> guard.unplug(Duration.ofSeconds(2)));
        life.addLateFini("free-table", table::close);
        life.activate();
        for (int c = 0; c < w.clients(); c++) {
            if (!life.acquire()) {
                throw new IllegalStateException("device lost during setup");
            }
            owners.add(table.newOwner("client-" + c));
        }
        for (int b = 0; b < w.bosPerClient(); b++) {
            for (int c = 0; c < w.clients(); c++) {
                ClientMapping m = owners.get(c).map(w.offset(c, b), w.boSize());
                for (long page = 0; page < w.boSize(); page += UnplugWorkload.PAGE) {
                    m.segment().set(ValueLayout.JAVA_INT, page, b);
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
            throw new IllegalStateException("not released within " + timeout + ": " + life.report());
        }
        return d;
    }

    /** The lifecycle's teardown report: early-fini steps and their durations. */
    TeardownReport report() throws InterruptedException {
        life.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30));
        return life.report();
    }

    @Override
    public void close() {
        try {
            life.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (MappingOwner o : owners) {
            o.close();
            life.release();
        }
        if (!dev.isClosed()) { // setup failed before any removal
            loop.close();
            dev.close();
            table.close();
        }
        bus.close();
    }
}
