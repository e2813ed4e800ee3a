package amdvfio.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sysfs tree in a temp directory, laid out like /sys/bus/pci and /sys/kernel/iommu_groups. */
final class FakeSysfs {

    final Path root;

    FakeSysfs(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("bus/pci/devices"));
        Files.createDirectories(root.resolve("bus/pci/drivers"));
        Files.createDirectories(root.resolve("kernel/iommu_groups"));
    }

    /** Adds a function; {@code driver} and {@code group} may be null / negative for none. */
    FakeSysfs function(String bdf, int vendor, int device, int classCode, String driver, int group) throws IOException {
        Path dir = root.resolve("sys-devices").resolve(bdf);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vendor"), String.format("0x%04x%n", vendor));
        Files.writeString(dir.resolve("device"), String.format("0x%04x%n", device));
        Files.writeString(dir.resolve("class"), String.format("0x%06x%n", classCode));
        Files.writeString(dir.resolve("subsystem_vendor"), String.format("0x%04x%n", vendor));
        Files.writeString(dir.resolve("subsystem_device"), "0x0000\n");
        Files.writeString(dir.resolve("driver_override"), "(null)\n");
        if (driver != null) {
            Path drv = root.resolve("bus/pci/drivers").resolve(driver);
            Files.createDirectories(drv);
            Files.createSymbolicLink(dir.resolve("driver"), drv);
        }
        if (group >= 0) {
            Path g = root.resolve("kernel/iommu_groups").resolve(Integer.toString(group));
            Files.createDirectories(g.resolve("devices"));
            Files.createSymbolicLink(dir.resolve("iommu_group"), g);
            Files.createSymbolicLink(g.resolve("devices").resolve(bdf), dir);
        }
        Files.createSymbolicLink(root.resolve("bus/pci/devices").resolve(bdf), dir);
        return this;
    }
}
