package amdvfio.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sysfs tree in a temp directory, laid out like /sys/bus/pci and /sys/kernel/iommu_groups. */
final class FakeSysfs {

    final Path root;

    /** Wraps a tree another FakeSysfs made, to add to it. */
    FakeSysfs(Path root, boolean existing) {
        this.root = root;
    }

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

    /** The firmware console is on this function. */
    FakeSysfs bootVga(String bdf) throws IOException {
        Files.writeString(root.resolve("sys-devices").resolve(bdf).resolve("boot_vga"), "1\n");
        return this;
    }

    /** DRM nodes of the function ({@code drm/card1}, {@code drm/renderD128}) and their /dev nodes. */
    FakeSysfs drm(String bdf, String... nodes) throws IOException {
        for (String n : nodes) {
            Files.createDirectories(root.resolve("sys-devices").resolve(bdf).resolve("drm").resolve(n));
            Files.createDirectories(root.resolve("dev/dri"));
            touch(root.resolve("dev/dri").resolve(n));
        }
        return this;
    }

    /** A connector of DRM card {@code card}, e.g. card1-HDMI-A-1, with its status and enabled state. */
    FakeSysfs connector(String bdf, String card, String name, String status, String enabled) throws IOException {
        Path c = root.resolve("sys-devices").resolve(bdf).resolve("drm").resolve(card).resolve(card + "-" + name);
        Files.createDirectories(c);
        Files.writeString(c.resolve("status"), status + "\n");
        Files.writeString(c.resolve("enabled"), enabled + "\n");
        return this;
    }

    /** A process {@code comm} holding {@code node} (a path under dev/, e.g. "dri/renderD128" or "kfd") as fd 5. */
    FakeSysfs process(int pid, String comm, String node) throws IOException {
        Path p = root.resolve("proc").resolve(Integer.toString(pid));
        Files.createDirectories(p.resolve("fd"));
        Files.writeString(p.resolve("comm"), comm + "\n");
        Files.createSymbolicLink(p.resolve("fd/5"), root.resolve("dev").resolve(node));
        return this;
    }

    /** Any attribute of the function, e.g. current_link_speed. */
    FakeSysfs attr(String bdf, String name, String value) throws IOException {
        Files.writeString(root.resolve("sys-devices").resolve(bdf).resolve(name), value + "\n");
        return this;
    }

    /** The {@code resource} file: one {start, end, flags} line per BAR (then ROM), as the kernel prints it. */
    FakeSysfs resource(String bdf, long[]... bars) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            long[] r = i < bars.length ? bars[i] : new long[3];
            b.append(String.format("0x%016x 0x%016x 0x%016x%n", r[0], r[1], r[2]));
        }
        Files.writeString(root.resolve("sys-devices").resolve(bdf).resolve("resource"), b.toString());
        return this;
    }

    /** A Thunderbolt device under bus/thunderbolt/devices. */
    FakeSysfs thunderbolt(String id, boolean authorized, String vendor, String device, String uuid) throws IOException {
        Path d = root.resolve("bus/thunderbolt/devices").resolve(id);
        Files.createDirectories(d);
        Files.writeString(d.resolve("authorized"), authorized ? "1\n" : "0\n");
        Files.writeString(d.resolve("vendor_name"), vendor + "\n");
        Files.writeString(d.resolve("device_name"), device + "\n");
        Files.writeString(d.resolve("unique_id"), uuid + "\n");
        return this;
    }

    private static void touch(Path p) throws IOException {
        if (!Files.exists(p)) {
            Files.writeString(p, "");
        }
    }
}
