package amdvfio.tools;

import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.OverrideClaimer;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.sysfs.UeventMonitor;

import java.time.Duration;
import java.util.List;

/**
 * {@code watch} on real hardware: waits for the function to arrive and puts its whole IOMMU
 * group on vfio-pci. The recorded overrides are re-applied on each function's "add" uevent
 * ({@link OverrideClaimer}); whatever a native driver still claimed first is taken back by
 * {@link GroupBinder#bind}, after the same safety checks as {@code bind} (a compositor may have
 * opened the card in between).
 *
 * <p>Arrival is seen through the kernel's uevents, re-checking sysfs on every event so a dropped
 * event costs nothing; where the socket is refused (no CAP_NET_ADMIN) it polls sysfs every
 * 100 ms as SPDK does.
 */
final class HostArrival {

    private final HostTestbench tb;
    private final boolean force;

    HostArrival(HostTestbench tb, boolean force) {
        this.tb = tb;
        this.force = force;
    }

    /** Blocks until the function is present; returns the group members that moved to vfio-pci. */
    List<GroupBinder.Change> await() {
        Sysfs sysfs = tb.sysfs();
        PciAddress address = tb.address();
        // Listen before looking, so an arrival between the look and the listen is not missed.
        try (OverrideClaimer claimer = OverrideClaimer.start(sysfs, tb.binder().store());
             UeventMonitor uevents = openUeventsOrNull()) {
            while (!sysfs.exists(address)) {
                Cancellation.check();
                if (uevents != null) {
                    uevents.next(Duration.ofMillis(200)); // any event: look at sysfs again
                } else {
                    Cancellation.sleep(100);
                }
            }
            return bindGroup();
        }
    }

    private List<GroupBinder.Change> bindGroup() {
        PciAddress address = tb.address();
        List<GroupBinder.Change> plan = tb.binder().planBind(address);
        if (plan.stream().noneMatch(GroupBinder.Change::moves)) {
            return List.of();
        }
        List<BindPolicy.Refusal> refusals = tb.policy().checkBind(address, plan);
        if (!force && !refusals.isEmpty()) {
            throw GroupReport.refused("bind the arrived device", refusals);
        }
        tb.requireMovable(plan);
        return tb.binder().bind(address, BindCommand.BIND_TIMEOUT).stream().filter(GroupBinder.Change::moves).toList();
    }

    private static UeventMonitor openUeventsOrNull() {
        try {
            return UeventMonitor.open();
        } catch (SyscallException e) {
            return null; // e.g. EPERM in a container: fall back to polling
        }
    }
}
