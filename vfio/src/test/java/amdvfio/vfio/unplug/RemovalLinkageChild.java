package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.event.IrqRecordingDeviceAccess;

import java.time.Duration;

/**
 * {@link RemovalLinkageTest}'s fresh JVM: probes a device's removal path (REQ on the event loop,
 * lifecycle, one client window, reroute, release) in a process that has made none of its native
 * calls yet, prints {@value #REMOVAL_BEGINS} just before the REQ and {@value #DETACHED} once early
 * fini ended, and the JVM's class-load log (on stdout) shows what the removal linked.
 * Argument "unlinked" switches the activation's linking off.
 */
public final class RemovalLinkageChild {

    static final String REMOVAL_BEGINS = "REMOVAL-BEGINS";
    static final String DETACHED = "DETACHED";

    public static void main(String[] args) throws Exception {
        Lifecycle.testSkipRemovalLinking = args.length > 0 && args[0].equals("unlinked");
        long page = Syscalls.pageSize();
        MemFd vram = MemFd.create("linkage-vram", 16 * page);
        PciDevice device = IrqRecordingDeviceAccess.newDevice();
        MappingTable table = new MappingTable(new MappableRange(vram, 0, vram.size()));
        Lifecycle life = new Lifecycle("0000:02:00.0");
        DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1, new DeviceEventHandler() {
            @Override
            public void onRequest(long count) {
                life.trigger(LossReason.REQ);
            }
        });
        life.addEarlyFini("release-device", () -> {
            vram.close();
            device.close();
        });
        life.addEarlyFini("reroute-mappings", table::rerouteAll);
        life.addEarlyFini("stop-event-loop", loop::close);
        life.activate();
        MappingOwner client = table.newOwner("client");
        ClientMapping m = client.map(0, 4 * page);
        m.segment().fill((byte) 7);

        System.out.println(REMOVAL_BEGINS);
        IrqRecordingDeviceAccess.req(device).signal(); // the kernel asks for the device back
        if (!life.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(10))) {
            throw new IllegalStateException("no teardown: " + life.report());
        }
        System.out.println(DETACHED);
        if (!life.report().failures().isEmpty()) {
            throw new IllegalStateException("a fini step failed: " + life.report().failures());
        }
        client.close();
        table.close();
    }
}
