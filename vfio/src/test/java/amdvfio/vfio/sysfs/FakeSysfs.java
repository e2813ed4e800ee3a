package amdvfio.vfio.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs tree in a temp dir with the same files and links the kernel makes, so that
 * {@link Sysfs} can be tested without touching the machine's devices.
 */
public final class FakeSysfs {

    public final Path root;

    public FakeSysfs(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("bus/pci/devices"));
        Files.createDirectories(root.resolve("bus/pci/drivers"));
        Files.createDirectories(root.resolve("kernel/iommu_groups"));
        Files.writeString(root.resolve("bus/pci/drivers_probe"), "");
        Files.writeString(root.resolve("bus/pci/rescan"), "");
    }

    public Path dev(String bdf) {
        return root.resolve("devices/pci0000:00").resolve(bdf);
    }

    /** Adds a function; {@code group} < 0 for none, {@code driver} null for unbound. */
    public FakeSysfs function(String bdf, int vendor, int device, int classCode, String driver, int group) throws IOException {
        Path d = dev(bdf);
        Files.createDirectories(d);
        Files.writeString(d.resolve("vendor"), String.format("0x%04x\n", vendor));
        Files.writeString(d.resolve("device"), String.format("0x%04x\n", device));
        Files.writeString(d.resolve("class"), String.format("0x%06x\n", classCode));
        Files.writeString(d.resolve("subsystem_vendor"), "0x1da2\n");
        Files.writeString(d.resolve("subsystem_device"), "0xe409\n");
        Files.writeString(d.resolve("driver_override"), "(null)\n");
        Files.writeString(d.resolve("remove"), "");
        Files.createSymbolicLink(root.resolve("bus/pci/devices").resolve(bdf), d);
        if (driver != null) {
            bind(bdf, driver);
        }
        if (group >= 0) {
            Path g = root.resolve("kernel/iommu_groups").resolve(Integer.toString(group));
            Files.createDirectories(g.resolve("devices"));
            Files.createSymbolicLink(d.resolve("iommu_group"), g);
            Files.createSymbolicLink(g.resolve("devices").resolve(bdf), d);
        }
        return this;
    }

    /** Points the driver link at {@code driver}, creating the driver directory with its unbind file. */
    public void bind(String bdf, String driver) throws IOException {
        Path drv = driverDir(driver);
        Path link = dev(bdf).resolve("driver");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, drv);
    }

    public Path driverDir(String driver) throws IOException {
        Path drv = root.resolve("bus/pci/drivers").resolve(driver);
        Files.createDirectories(drv);
        if (!Files.exists(drv.resolve("unbind"))) {
            Files.writeString(drv.resolve("unbind"), "");
        }
        return drv;
    }

    void unbind(String bdf) throws IOException {
        Files.deleteIfExists(dev(bdf).resolve("driver"));
    }

    void removeFunction(String bdf) throws IOException {
        Files.delete(root.resolve("bus/pci/devices").resolve(bdf));
    }

    String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
