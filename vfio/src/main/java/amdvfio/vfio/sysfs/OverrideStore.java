package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The driver overrides amdvfio set, kept outside sysfs so they outlive the function: a sysfs
 * {@code remove} frees the {@code pci_dev} and its {@code driver_override} with it, so a rescan
 * or a re-plug would hand the function back to its native driver. driverctl keeps the same
 * record in {@code /etc/driverctl.d/pci-<bdf>} and re-applies it from a udev rule on "add"; we
 * keep it per boot in {@code /run/amdvfio/driverctl.d/pci-<bdf>} (the machine's) and re-apply it
 * when the function arrives ({@link GroupBinder#reclaim}).
 *
 * <p>File format: line 1 the driver (driverctl's), line 2 {@code previous=<driver>} or
 * {@code previous=} when the function had none — the driver {@code unbind} gives it back to.
 *
 * <p>Threading: each call is one file operation; concurrent amdvfio processes see whole files.
 */
public final class OverrideStore {

    /** One function's record. */
    public record Override(PciAddress address, String driver, String previousDriver) {
    }

    private final Path dir;

    public OverrideStore(Path dir) {
        this.dir = dir;
    }

    /** The machine's store for {@code sysfs}: /run/amdvfio for /sys, inside the tree for a fake one. */
    public static OverrideStore forSysfs(Sysfs sysfs) {
        Path root = sysfs.root().toAbsolutePath().normalize();
        return new OverrideStore(root.equals(Path.of("/sys")) ? Path.of("/run/amdvfio/driverctl.d")
                : root.resolve(".amdvfio/driverctl.d"));
    }

    public Path dir() {
        return dir;
    }

    /** Records that {@code address} is kept on {@code driver}; keeps the first {@code previous} recorded. */
    public void put(PciAddress address, String driver, String previous) {
        String keep = find(address).map(Override::previousDriver).orElse(previous);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".pci-" + address + ".tmp");
            Files.writeString(tmp, driver + "\nprevious=" + (keep == null ? "" : keep) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file(address), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new VfioException("cannot record the driver override of " + address + " in " + dir + ": "
                    + e.getMessage() + "; run as root", e);
        }
    }

    /** The record of {@code address}, if any. */
    public Optional<Override> find(PciAddress address) {
        try {
            List<String> lines = Files.readAllLines(file(address), StandardCharsets.UTF_8);
            String driver = lines.isEmpty() ? "" : lines.get(0).strip();
            String previous = lines.stream().filter(l -> l.startsWith("previous=")).findFirst()
                    .map(l -> l.substring("previous=".length()).strip()).orElse("");
            return driver.isEmpty() ? Optional.empty()
                    : Optional.of(new Override(address, driver, previous.isEmpty() ? null : previous));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VfioException("cannot read " + file(address) + ": " + e.getMessage(), e);
        }
    }

    /** Drops the record of {@code address}. */
    public void remove(PciAddress address) {
        try {
            Files.deleteIfExists(file(address));
        } catch (IOException e) {
            throw new VfioException("cannot delete " + file(address) + ": " + e.getMessage(), e);
        }
    }

    private Path file(PciAddress address) {
        return dir.resolve("pci-" + address);
    }
}
