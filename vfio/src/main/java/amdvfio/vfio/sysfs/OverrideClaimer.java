package amdvfio.vfio.sysfs;

import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-applies recorded driver overrides ({@link OverrideStore}) the moment the kernel announces a
 * function, as driverctl's udev rule does on "add". The kernel sends the KOBJ_ADD uevent from
 * {@code pci_device_add} while it scans, and binds drivers only later in
 * {@code pci_bus_add_devices} (drivers/pci/probe.c, bus.c, after resource assignment), so an
 * override written on the uevent usually wins; when a native driver is faster,
 * {@link GroupBinder#bind} takes the function back afterwards. Best effort by design: without
 * the netlink socket (no CAP_NET_ADMIN) it does nothing.
 *
 * <p>Threading: one daemon thread reads uevents until {@link #close()}.
 */
public final class OverrideClaimer implements AutoCloseable {

    private final Sysfs sysfs;
    private final OverrideStore store;
    private final UeventMonitor uevents;
    private final Thread thread;
    private final List<PciAddress> claimed = new ArrayList<>();
    private volatile boolean stop;

    private OverrideClaimer(Sysfs sysfs, OverrideStore store, UeventMonitor uevents) {
        this.sysfs = sysfs;
        this.store = store;
        this.uevents = uevents;
        this.thread = uevents == null ? null : Thread.ofPlatform().daemon().name("override-claimer").start(this::run);
    }

    /** Starts listening; on a machine that refuses the uevent socket, a claimer that does nothing. */
    public static OverrideClaimer start(Sysfs sysfs, OverrideStore store) {
        UeventMonitor m;
        try {
            m = UeventMonitor.open();
        } catch (SyscallException e) {
            m = null;
        }
        return new OverrideClaimer(sysfs, store, m);
    }

    public boolean listening() {
        return uevents != null;
    }

    /** The functions whose override was written on their "add" uevent (complete once {@link #close()} returned). */
    public synchronized List<PciAddress> claimed() {
        return List.copyOf(claimed);
    }

    private void run() {
        while (!stop) {
            Optional<Uevent> ev;
            try {
                ev = uevents.next(Duration.ofMillis(100));
            } catch (RuntimeException e) {
                return; // the socket closed under us
            }
            ev.filter(Uevent::isAdd).flatMap(Uevent::pciAddress).ifPresent(this::apply);
        }
    }

    private void apply(PciAddress a) {
        store.find(a).ifPresent(rec -> {
            try {
                sysfs.setDriverOverride(a, rec.driver());
                synchronized (this) {
                    claimed.add(a);
                }
            } catch (RuntimeException e) {
                // gone again, or not writable: GroupBinder.bind reports it
            }
        });
    }

    /** Stops listening, after applying what the kernel had already sent. */
    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            try {
                thread.join(1000);
                Optional<Uevent> ev;
                while (!thread.isAlive() && (ev = uevents.next(Duration.ZERO)).isPresent()) {
                    ev.filter(Uevent::isAdd).flatMap(Uevent::pciAddress).ifPresent(this::apply);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the socket failed: nothing more to apply
            } finally {
                uevents.close();
            }
        }
    }
}
