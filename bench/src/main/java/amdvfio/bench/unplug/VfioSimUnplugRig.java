package amdvfio.bench.unplug;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.DummyPolicy;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import amdvfio.vfio.unplug.MappingOwner;
import amdvfio.vfio.unplug.MappingTable;
import amdvfio.os.Syscalls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The device-independent part of hot-unplug, wired as the driver will wire it (see
 * HotUnplugFlowTest in vfio): a simulated Navi10 opened through the device contract, its REQ
 * eventfd on a {@link DeviceEventLoop} whose handler only triggers the {@link Lifecycle}; early
 * fini on the teardown thread = drain the {@link DeviceGuard}, stop the event loop, reroute the
 * {@link MappingTable} (one owner per client, each mapping all {@code bos} 4 KiB BOs, every page written),
 * close the device. What it leaves out, because the driver owns it: stopping schedulers, disabling
 * the engines' interrupts, force-completing fences, saving VRAM BOs to host copies.
 */
final class VfioSimUnplugRig implements UnplugRig {

    private static final PciAddress AT = PciAddress.parse("0000:03:00.0");

    private final SimBus bus = new SimBus();
    private final SimControl card;
    private final PciDevice dev;
    private final DeviceGuard guard = new DeviceGuard();
    private final MappingTable table = new MappingTable(DummyPolicy.ZERO_FILL);
    private final Lifecycle life = new Lifecycle(AT.toString());
    private final DeviceEventLoop loop;
    private final List<MappingOwner> owners = new ArrayList<>();

    /**
     * @param packed BO b at VRAM page b (neighbouring BOs are neighbours in VRAM, so each client's
     *               arena mappings merge into few VMAs), else at page 2b (scattered: one VMA per
     *               mapping, the kernel's worst case for the arena reroute)
     */
    VfioSimUnplugRig(int bos, int clients, boolean packed) {
        long page = Syscalls.pageSize();
        card = bus.plug(AT, SimProfile.NAVI10, SimConfig.defaults().withVram(Math.max(64L << 20, bos * page * 2)));
        dev = bus.open(AT);
        loop = DeviceEventLoop.start(dev, IrqType.MSI, 0, new DeviceEventHandler() {
            @Override
            public void onRequest(long count) {
                life.trigger(LossReason.REQ); // hand off only
            }
        });
        // probe order; early fini runs them in reverse
        life.addEarlyFini("release-device", dev::close);
        life.addEarlyFini("reroute-mappings", table::rerouteAll);
        life.addEarlyFini("stop-event-loop", loop::close);
        life.addEarlyFini("unplug-guard", () -> guard.unplug(Duration.ofSeconds(2)));
        life.addLateFini("free-table", table::close);
        life.activate();
        MappableRange bar0 = dev.mappable(0);
        for (int c = 0; c < clients; c++) {
            if (!life.acquire()) {
                throw new IllegalStateException("device lost during setup");
            }
            MappingOwner owner = table.newOwner("client-" + c);
            owners.add(owner);
            for (int b = 0; b < bos; b++) {
                // every client maps every BO
                ClientMapping m = owner.map(bar0, (packed ? b : 2L * b) * page, page);
                m.segment().set(java.lang.foreign.ValueLayout.JAVA_INT, 0, b);
            }
        }
    }

    @Override
    public void requestRemoval() {
        card.requestRemoval();
    }

    @Override
    public void awaitReleased(Duration timeout) throws InterruptedException {
        if (!life.awaitState(Lifecycle.State.DETACHED, timeout)) {
            throw new IllegalStateException("not released within " + timeout + ": " + life.report());
        }
        if (card.requestToRelease() == null) {
            throw new IllegalStateException("early fini done but the simulated device is not released: " + life.report());
        }
    }

    @Override
    public Duration reportedRequestToRelease() {
        return card.requestToRelease();
    }

    /** The lifecycle's teardown report: early-fini steps and their durations. */
    amdvfio.vfio.unplug.TeardownReport report() {
        return life.report();
    }

    @Override
    public void close() {
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
