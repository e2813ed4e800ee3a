package amdvfio.tools;

import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.OverrideClaimer;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.sysfs.UeventMonitor;

import amdvfio.vfio.sysfs.ArrivalDiagnostics;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
    private final boolean authorize;
    private final Consumer<ArrivalDiagnostics.Finding> onFinding;
    private final Consumer<String> onAuthorized;
    private final Set<String> reported = new HashSet<>();

    /**
     * @param authorize    write {@code authorized} of unauthorized Thunderbolt devices (only when asked, as boltctl)
     * @param onFinding    each diagnostic finding, once
     * @param onAuthorized each Thunderbolt device authorized
     */
    HostArrival(HostTestbench tb, boolean force, boolean authorize, Consumer<ArrivalDiagnostics.Finding> onFinding,
                Consumer<String> onAuthorized) {
        this.tb = tb;
        this.force = force;
        this.authorize = authorize;
        this.onFinding = onFinding;
        this.onAuthorized = onAuthorized;
    }

    /** Blocks until the function is present; returns the group members that moved to vfio-pci. */
    List<GroupBinder.Change> await() {
        Sysfs sysfs = tb.sysfs();
        PciAddress address = tb.address();
        // Listen before looking, so an arrival between the look and the listen is not missed.
        try (OverrideClaimer claimer = OverrideClaimer.start(sysfs, tb.binder().store());
             UeventMonitor uevents = openUeventsOrNull()) {
            ArrivalDiagnostics diagnostics = new ArrivalDiagnostics(sysfs);
            while (!sysfs.exists(address)) {
                Cancellation.check();
                lookWhileAbsent(diagnostics);
                if (uevents != null) {
                    uevents.next(Duration.ofMillis(200)); // any event: look at sysfs again
                } else {
                    Cancellation.sleep(100);
                }
            }
            diagnostics.function(address, 0).forEach(this::report);
            return bindGroup();
        }
    }

    /** What keeps the device from appearing: unauthorized Thunderbolt (authorized when asked), no vfio-pci, no IOMMU. */
    private void lookWhileAbsent(ArrivalDiagnostics diagnostics) {
        diagnostics.machine().forEach(this::report);
        if (authorize) {
            diagnostics.authorizeThunderbolt().forEach(onAuthorized);
        }
    }

    private void report(ArrivalDiagnostics.Finding f) {
        if (reported.add(f.message())) {
            onFinding.accept(f);
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
