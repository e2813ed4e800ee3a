package amdvfio.hwtests.group;

import amdvfio.hwtests.edu.ClientLoop;
import amdvfio.hwtests.edu.EduDevice;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.OverrideClaimer;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.MappingOwner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static amdvfio.hwtests.group.GuestPci.SYSFS;
import static amdvfio.hwtests.group.GuestPci.check;

/**
 * One remove/rescan cycle of the multifunction slot's whole group while function 0 is open with a
 * client mapping of BAR0 and a client thread reading it: remove fn1 then fn0 (the write blocks
 * until our early fini releases the device on REQ), rescan with the recorded overrides re-applied
 * on the add uevents, bind the group, then check that no VFIO descriptor or mapping is left.
 */
final class ReplugCycle {

    record Result(long removeToReqMs, long reqToReleaseMs, long cycleMs, List<PciAddress> claimedOnAdd,
                  List<GroupBinder.Change> movedAfter) {
        String describe() {
            return String.format("remove->REQ %d ms, REQ->release %d ms, cycle %d ms; overrides applied on add uevent: %s; "
                    + "moved after rescan: %s", removeToReqMs, reqToReleaseMs, cycleMs, claimedOnAdd,
                    movedAfter.stream().filter(GroupBinder.Change::moves).map(c -> c.address() + " " + c.note()).toList());
        }
    }

    private ReplugCycle() {
    }

    static Result once(GroupBinder binder, PciAddress fn0, boolean verbose) throws Exception {
        PciAddress fn1 = GuestPci.fn1(fn0);
        long t0 = System.nanoTime();
        EduDevice e = EduDevice.open(fn0.toString());
        check(e.lifecycle.acquire(), "client reference refused");
        MappingOwner owner = e.mappings.newOwner("client");
        ClientMapping m = owner.map(0, 4096);
        ClientLoop client = new ClientLoop(m);
        long until = System.nanoTime() + 5_000_000_000L;
        while (client.deviceReads.get() < 10 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        check(client.deviceReads.get() >= 10, "client not reading the device: " + client.summary());

        AtomicReference<Throwable> removeFailure = new AtomicReference<>();
        long removeStart = System.nanoTime();
        Thread remover = Thread.ofPlatform().name("group-remove").start(() -> {
            try {
                SYSFS.remove(fn1); // not held: immediate
                SYSFS.remove(fn0); // returns once our early fini released the device
            } catch (Throwable t) {
                removeFailure.set(t);
            }
        });
        check(e.lifecycle.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(30)), "early fini did not finish: " + e.lifecycle.report());
        remover.join(30_000);
        check(!remover.isAlive() && removeFailure.get() == null, "remove did not complete: " + removeFailure.get());
        check(!SYSFS.exists(fn0) && !SYSFS.exists(fn1), "functions still present after remove");
        check(m.backing() == ClientMapping.Backing.SHADOW, "client mapping not rerouted: " + m);
        long req = e.firstReqNanos();
        long released = e.releasedNanos();
        check(req > 0 && released > req, "no REQ before release (REQ " + req + ", release " + released + ")");
        client.close();
        check(client.failure() == null, "client thread failed: " + client.failure());
        m.close();
        e.lifecycle.release();
        check(e.lifecycle.awaitState(Lifecycle.State.RELEASED, Duration.ofSeconds(5)), "late fini did not run");

        OverrideClaimer claimer = OverrideClaimer.start(SYSFS, binder.store());
        try (claimer) {
            SYSFS.rescan();
            SYSFS.awaitPresent(fn0, Duration.ofSeconds(10));
            SYSFS.awaitPresent(fn1, Duration.ofSeconds(10));
        }
        List<PciAddress> claimed = claimer.claimed();
        List<GroupBinder.Change> moved = binder.bind(fn0, Duration.ofSeconds(10));
        check(SYSFS.readiness(fn0).ready(), "group not ready after rescan: " + SYSFS.readiness(fn0).describe());
        List<String> fds = GuestPci.vfioFds();
        List<String> maps = GuestPci.vfioMaps();
        check(fds.isEmpty() && maps.isEmpty(), "leaked after the cycle: fds " + fds + ", maps " + maps);
        if (verbose) {
            System.out.println("GROUP cycle: " + client.summary());
        }
        return new Result((req - removeStart) / 1_000_000, (released - req) / 1_000_000, (System.nanoTime() - t0) / 1_000_000,
                claimed, moved);
    }
}
