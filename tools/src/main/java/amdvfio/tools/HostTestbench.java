package amdvfio.tools;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real PCI function through sysfs and kernel VFIO. Removals are the sysfs writes IGT and libdrm's
 * hot-unplug tests make: {@code remove} then {@code bus/pci/rescan}, or {@code driver/unbind}
 * then a vfio-pci bind. The kernel's {@code remove} write blocks until the holder releases the
 * device, so it runs on its own thread while the driver reacts to REQ.
 */
final class HostTestbench implements Testbench {

    private final Sysfs sysfs;
    private final PciAddress address;
    private final AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
    private Thread pendingWrite;
    private Removal lastRemoval;

    HostTestbench(Sysfs sysfs, PciAddress address) {
        this.sysfs = sysfs;
        this.address = address;
        sysfs.function(address); // DeviceNotFoundException → exit 3
    }

    Sysfs sysfs() {
        return sysfs;
    }

    /**
     * Refuses a function the loop must not take: one that drives the boot display, or is bound to
     * another driver, unless {@code force}; and any whose sysfs files this process cannot write.
     */
    void checkControllable(boolean force, boolean needsRemove) {
        PciFunction f = sysfs.function(address);
        Path dir = sysfs.devicesDir().resolve(address.toString());
        if (!force && "1".equals(readQuietly(dir.resolve("boot_vga")))) {
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, address + " drives the boot display (boot_vga = 1); "
                    + "removing it would take the console away. Use another GPU, or --force if you mean it.");
        }
        if (!force && f.driver() != null && !f.isBoundToVfio()) {
            throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, address + " belongs to " + f.driver()
                    + "; bind it first (amdvfio bind " + address + "), or give --force to let this command rebind it.");
        }
        requireWritable(dir.resolve("driver_override"));
        requireWritable(sysfs.root().resolve("bus/pci/drivers_probe"));
        if (needsRemove) {
            requireWritable(dir.resolve("remove"));
            requireWritable(sysfs.root().resolve("bus/pci/rescan"));
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
    public PciAddress address() {
        return address;
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public String describe() {
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
        Runnable write = switch (how) {
            case ORDERLY -> () -> sysfs.remove(address);
            case UNBIND -> () -> sysfs.unbind(address);
            case SURPRISE, AER -> throw new CommandFailure(ExitCodes.USAGE, "a " + how.name().toLowerCase()
                    + " removal cannot be made by software on real hardware; pull the cable (watch), or use --sim");
        };
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
        if (lastRemoval == Removal.ORDERLY) {
            sysfs.awaitAbsent(address, timeout);
            sysfs.rescan();
            sysfs.awaitPresent(address, timeout);
        }
        sysfs.bindToVfio(address, timeout);
        sysfs.readiness(address).orThrow();
    }

    @Override
    public String leftovers() {
        return "";
    }

    @Override
    public void close() {
    }
}
