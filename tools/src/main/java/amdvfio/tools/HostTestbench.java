package amdvfio.tools;

import amdvfio.driver.reset.CardPolicy;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.DeviceUsers;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.OverrideClaimer;
import amdvfio.vfio.sysfs.OverrideStore;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real PCI function through sysfs and kernel VFIO. Removals are the sysfs writes IGT and libdrm's
 * hot-unplug tests make: {@code remove} then {@code bus/pci/rescan}, or {@code driver/unbind}
 * then a vfio-pci bind. The kernel's {@code remove} write blocks until the holder releases the
 * device, so it runs on its own thread while the driver reacts to REQ.
 *
 * <p>The IOMMU group is the unit: a removal takes every function of the group (an AMD card's
 * HDMI audio with its GPU), and bringing it back puts every one of them on vfio-pci again
 * ({@link GroupBinder}), with the recorded overrides re-applied as the functions are added.
 */
final class HostTestbench implements Testbench {

    private final Sysfs sysfs;
    private final PciAddress address;
    private final GroupBinder binder;
    private final DeviceUsers users;
    private final AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
    private Thread pendingWrite;
    private Removal lastRemoval;
    private List<PciAddress> removedGroup = List.of();
    private final CardPolicy policy;

    HostTestbench(Sysfs sysfs, PciAddress address) {
        this(sysfs, address, true, CardPolicy.DEFAULT);
    }

    /**
     * {@code mustExist} false: the function may arrive later (watch waits for an eGPU to be plugged in).
     * {@code policy}: how Gpu.open treats the card (the firmware directory of {@code --firmware-dir}).
     */
    HostTestbench(Sysfs sysfs, PciAddress address, boolean mustExist, CardPolicy policy) {
        this.sysfs = sysfs;
        this.address = address;
        this.policy = policy;
        if (mustExist) {
            sysfs.function(address); // DeviceNotFoundException → exit 3
        }
        this.binder = new GroupBinder(sysfs, OverrideStore.forSysfs(sysfs));
        this.users = DeviceUsers.forSysfs(sysfs);
    }

    Sysfs sysfs() {
        return sysfs;
    }

    GroupBinder binder() {
        return binder;
    }

    BindPolicy policy() {
        return new BindPolicy(sysfs, users);
    }

    /** Checks that every sysfs file the moves of {@code plan} write is writable, before the first write. */
    void requireMovable(List<GroupBinder.Change> plan) {
        for (GroupBinder.Change c : plan) {
            if (!c.moves()) {
                continue;
            }
            Path dir = sysfs.functionDir(c.address());
            requireWritable(dir.resolve("driver_override"));
            if (c.from() != null) {
                requireWritable(dir.resolve("driver/unbind"));
            }
        }
        requireWritable(sysfs.root().resolve("bus/pci/drivers_probe"));
    }

    /** {@code unbind --force} of a function not on vfio-pci: unbind it, clear its override, re-probe when asked. */
    List<GroupBinder.Change> forceUnbind(PciAddress a, boolean reprobe) {
        PciFunction f = sysfs.function(a);
        sysfs.setDriverOverride(a, null);
        sysfs.unbindDriver(a);
        binder.store().remove(a);
        if (reprobe) {
            sysfs.probe(a);
        }
        return List.of(new GroupBinder.Change(f, f.driver(), sysfs.function(a).driver(), "--force"));
    }

    /** The non-bridge functions of the group, this one last (the one whose removal waits for our release). */
    private List<PciAddress> groupFunctions() {
        List<PciAddress> out = new ArrayList<>();
        for (PciFunction m : binder.members(address)) {
            if (!m.bridge() && !m.address().equals(address)) {
                out.add(m.address());
            }
        }
        out.add(address);
        return out;
    }

    /**
     * Refuses a function the loop must not take: one that drives the boot display, or whose group
     * is not on vfio-pci, unless {@code force} (which then binds the whole group); and any whose
     * sysfs files this process cannot write.
     */
    void checkControllable(boolean force, boolean needsRemove) {
        Path dir = sysfs.functionDir(address);
        if (!force && "1".equals(readQuietly(dir.resolve("boot_vga")))) {
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, address + " drives the boot display (boot_vga = 1); "
                    + "removing it would take the console away. Use another GPU, or --force if you mean it.");
        }
        List<GroupBinder.Change> plan = binder.planBind(address);
        List<GroupBinder.Change> moving = plan.stream().filter(GroupBinder.Change::moves).toList();
        if (!force && !moving.isEmpty()) {
            GroupBinder.Change first = moving.get(0);
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, first.address() + (first.from() == null ? " has no driver"
                    : " belongs to " + first.from()) + (first.address().equals(address) ? "" : " (same IOMMU group)")
                    + "; bind the group first (amdvfio bind " + address + "), or give --force to let this command rebind it.");
        }
        requireWritable(dir.resolve("driver_override"));
        requireWritable(sysfs.root().resolve("bus/pci/drivers_probe"));
        if (needsRemove) {
            for (PciAddress a : groupFunctions()) {
                requireWritable(sysfs.functionDir(a).resolve("remove"));
            }
            requireWritable(sysfs.root().resolve("bus/pci/rescan"));
        }
        if (!moving.isEmpty()) {
            requireMovable(plan);
            binder.bind(address, BindCommand.BIND_TIMEOUT);
        }
    }

    /**
     * Sysfs attributes without any write bit cannot be written, even by root (kernfs refuses);
     * checking the mode first gives the same answer on a fake tree run as root.
     */
    static void requireWritable(Path file) {
        if (!Files.exists(file)) {
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, file + " does not exist; is this a PCI sysfs tree "
                    + "(and is the vfio-pci module loaded)?");
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            boolean anyWrite = p.contains(PosixFilePermission.OWNER_WRITE) || p.contains(PosixFilePermission.GROUP_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_WRITE);
            if (!anyWrite || !Files.isWritable(file)) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, "cannot write " + file + ": it is read-only. "
                        + "Run as root (sudo), on a machine whose /sys is writable (not a read-only container mount).");
            }
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, "cannot check " + file + ": " + e.getMessage());
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public CardPolicy cardPolicy() {
        return policy;
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public String describe() {
        if (!sysfs.exists(address)) {
            return address + " (not present yet)";
        }
        PciFunction f = sysfs.function(address);
        return address + " (" + f.ids() + ", " + (f.driver() == null ? "no driver" : f.driver())
                + (f.hasIommuGroup() ? ", IOMMU group " + f.iommuGroup() : ", no IOMMU group") + ")";
    }

    @Override
    public int iommuGroup() {
        PciFunction f = sysfs.function(address);
        return f.hasIommuGroup() ? f.iommuGroup() : -1;
    }

    @Override
    public PciDevice open() {
        return KernelVfio.open(address, sysfs);
    }

    @Override
    public synchronized void remove(Removal how) {
        if (how == Removal.SURPRISE || how == Removal.AER) {
            throw new CommandFailure(ExitCodes.USAGE, "a " + how.name().toLowerCase()
                    + " removal cannot be made by software on real hardware; pull the cable (watch), or use --sim");
        }
        removedGroup = groupFunctions();
        List<PciAddress> group = removedGroup;
        Runnable write = how == Removal.ORDERLY
                ? () -> group.forEach(sysfs::remove) // the others are not held: only the last write waits
                : () -> sysfs.unbindDriver(address);
        lastRemoval = how;
        writeFailure.set(null);
        pendingWrite = Thread.ofPlatform().daemon().name("sysfs-" + how.name().toLowerCase()).start(() -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                writeFailure.set(e);
            }
        });
    }

    @Override
    public synchronized void bringBack(Duration timeout) {
        awaitPendingWrite(timeout);
        if (lastRemoval == Removal.ORDERLY) {
            for (PciAddress a : removedGroup) {
                sysfs.awaitAbsent(a, timeout);
            }
            try (OverrideClaimer claimer = OverrideClaimer.start(sysfs, binder.store())) {
                sysfs.rescan();
                for (PciAddress a : removedGroup) {
                    sysfs.awaitPresent(a, timeout);
                }
            }
        }
        binder.bind(address, timeout); // every member back on vfio-pci, whatever claimed it first
        sysfs.readiness(address).orThrow();
    }

    private void awaitPendingWrite(Duration timeout) {
        if (pendingWrite != null) {
            try {
                pendingWrite.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.Cancelled();
            }
            if (pendingWrite.isAlive()) {
                throw new CommandFailure(ExitCodes.FAILURE, "the kernel's " + lastRemoval.name().toLowerCase()
                        + " of " + address + " did not complete within " + timeout.toSeconds() + " s; check dmesg");
            }
            pendingWrite = null;
        }
        if (writeFailure.get() != null) {
            throw writeFailure.get();
        }
    }

    @Override
    public String leftovers() {
        return "";
    }

    @Override
    public void close() {
    }
}
