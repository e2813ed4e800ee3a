package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioUnavailableException;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a function's whole IOMMU group between its host drivers and vfio-pci. The group is the
 * unit VFIO hands out: the kernel lets a group be opened only when every member is on a vfio
 * driver or on none (vfio_group_viable), so an AMD card's HDMI audio function must move with
 * its GPU. Bridges stay on pcieport (it sets driver_managed_dma).
 *
 * <p>Each move is the kernel's documented sequence (Documentation/ABI/testing/sysfs-bus-pci,
 * driver_override): set {@code driver_override}, unbind, {@code drivers_probe}. The override is
 * also recorded in an {@link OverrideStore}, because sysfs forgets it when the function is
 * removed: {@link OverrideClaimer} re-applies it the moment the function is added again, {@link
 * #bind} after a rescan or re-plug takes back what a native driver claimed first, and {@link #restore} gives
 * each function back the driver it had before {@link #bind}.
 *
 * <p>Plans are computed before anything changes, so a command can show them (and refuse) first.
 * Threading: one caller at a time per group.
 */
public final class GroupBinder {

    public static final String VFIO_PCI = "vfio-pci";

    /**
     * What happens to one member. {@code to} null means "no driver"; {@link #KERNEL_CHOICE}
     * means the kernel probes its native driver.
     */
    public record Change(PciFunction function, String from, String to, String note) {
        public boolean moves() {
            return from == null ? to != null : !from.equals(to);
        }

        public PciAddress address() {
            return function.address();
        }
    }

    /** {@link Change#to()} when unbind leaves the choice to the kernel's driver matching. */
    public static final String KERNEL_CHOICE = "(native driver)";

    private final Sysfs sysfs;
    private final OverrideStore store;

    public GroupBinder(Sysfs sysfs, OverrideStore store) {
        this.sysfs = sysfs;
        this.store = store;
    }

    public OverrideStore store() {
        return store;
    }

    /** Every PCI function of {@code address}'s IOMMU group (bridges included), in address order; itself alone without a group. */
    public List<PciFunction> members(PciAddress address) {
        PciFunction f = sysfs.function(address);
        return f.hasIommuGroup() ? sysfs.groupMembers(f.iommuGroup()) : List.of(f);
    }

    /** What {@link #bind} would do to each member. */
    public List<Change> planBind(PciAddress address) {
        List<Change> plan = new ArrayList<>();
        for (PciFunction m : members(address)) {
            if (m.bridge()) {
                plan.add(new Change(m, m.driver(), m.driver(), "bridge, stays (it does not block the group)"));
            } else if (m.isBoundToVfio()) {
                plan.add(new Change(m, m.driver(), m.driver(), "already on " + m.driver()));
            } else {
                plan.add(new Change(m, m.driver(), VFIO_PCI, m.driver() == null ? "unbound, probed on vfio-pci"
                        : "taken from " + m.driver()));
            }
        }
        return plan;
    }

    /**
     * Binds every non-bridge member to vfio-pci, recording each previous driver, and waits for
     * all of them. Members already on vfio-pci get the persistent override too.
     *
     * @return the plan that was carried out
     * @throws VfioUnavailableException when the vfio-pci driver is not registered
     */
    public List<Change> bind(PciAddress address, Duration timeout) {
        requireVfioPci();
        List<Change> plan = planBind(address);
        for (Change c : plan) {
            if (c.function().bridge()) {
                continue;
            }
            store.put(c.address(), VFIO_PCI, c.moves() ? c.from() : null);
            if (c.moves()) {
                moveTo(c.address(), VFIO_PCI);
                sysfs.awaitDriver(c.address(), VFIO_PCI, timeout); // one at a time, as the kernel probes
            } else {
                sysfs.setDriverOverride(c.address(), VFIO_PCI);
            }
        }
        return plan;
    }

    /** What {@link #restore} would do: members on vfio-pci go to their recorded driver, or the kernel's choice. */
    public List<Change> planRestore(PciAddress address, boolean reprobe) {
        List<Change> plan = new ArrayList<>();
        for (PciFunction m : members(address)) {
            if (m.bridge() || !m.isBoundToVfio()) {
                plan.add(new Change(m, m.driver(), m.driver(), m.bridge() ? "bridge, stays" : "not on vfio-pci, stays"));
                continue;
            }
            String previous = store.find(m.address()).map(OverrideStore.Override::previousDriver).orElse(null);
            String to = !reprobe ? null : previous != null && !PciFunction.isVfioDriver(previous) ? previous : KERNEL_CHOICE;
            plan.add(new Change(m, m.driver(), to, !reprobe ? "left without a driver (--no-reprobe)"
                    : to.equals(KERNEL_CHOICE) ? "the kernel probes its driver" : "back to " + previous + ", its driver before"));
        }
        return plan;
    }

    /**
     * Takes every member off vfio-pci, clears the persistent overrides and, with {@code reprobe},
     * gives each its previous driver (or lets the kernel choose). Waits for a named previous
     * driver to bind.
     *
     * @return the plan, with {@code to} replaced by the driver each function ended on
     */
    public List<Change> restore(PciAddress address, boolean reprobe, Duration timeout) {
        List<Change> done = new ArrayList<>();
        for (Change c : planRestore(address, reprobe)) {
            if (!c.moves()) {
                done.add(c);
                continue;
            }
            PciAddress a = c.address();
            boolean named = c.to() != null && !c.to().equals(KERNEL_CHOICE);
            sysfs.setDriverOverride(a, named ? c.to() : null);
            sysfs.unbindDriver(a);
            store.remove(a);
            if (c.to() != null) {
                sysfs.probe(a);
            }
            if (named) {
                sysfs.awaitDriver(a, c.to(), timeout);
                sysfs.setDriverOverride(a, null);
            }
            done.add(new Change(c.function(), c.from(), sysfs.function(a).driver(), c.note()));
        }
        return done;
    }

    private void moveTo(PciAddress a, String driver) {
        sysfs.setDriverOverride(a, driver);
        sysfs.unbindDriver(a);
        sysfs.probe(a);
    }

    private void requireVfioPci() {
        var dir = sysfs.root().resolve("bus/pci/drivers/vfio-pci");
        if (!Files.isDirectory(dir)) {
            throw new VfioUnavailableException(dir.toString());
        }
    }
}
