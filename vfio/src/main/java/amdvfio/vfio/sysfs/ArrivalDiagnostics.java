package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What stops an eGPU testbench before any driver runs, found in sysfs and explained in a line or
 * two each: a Thunderbolt device not authorized (no PCIe tunnel, so no function at all), BARs the
 * kernel could not assign (the bridge's hotplug window too small), a small BAR0 where the card
 * offers a larger one, a link trained below its maximum, no IOMMU, no vfio-pci driver.
 *
 * <p>Sources: Documentation/admin-guide/thunderbolt.rst ({@code authorized}),
 * Documentation/ABI/testing/sysfs-bus-pci ({@code resource}, {@code resourceN_resize},
 * {@code current_link_speed/width}, {@code max_link_speed/width}); reset_resource() in
 * drivers/pci/setup-bus.c zeroes a resource the kernel failed to assign.
 */
public final class ArrivalDiagnostics {

    /** What was found. */
    public enum Kind { THUNDERBOLT_NOT_AUTHORIZED, BAR_UNASSIGNED, SMALL_BAR, LINK_DEGRADED, NO_IOMMU, NO_VFIO_PCI }

    /**
     * One finding.
     *
     * @param subject the PCI address or Thunderbolt device it is about
     * @param what    what is wrong, one line
     * @param fix     what to do, one line
     */
    public record Finding(Kind kind, String subject, String what, String fix) {
        public String message() {
            return what + "; " + fix;
        }
    }

    /** BARs an AMD GPU cannot work without: VRAM aperture, doorbells, registers (amdgpu_device.c). */
    private static final int[] AMD_GPU_BARS = {0, 2, 5};

    private final Sysfs sysfs;

    public ArrivalDiagnostics(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** The findings about the machine: Thunderbolt authorization, IOMMU, vfio-pci. */
    public List<Finding> machine() {
        List<Finding> out = new ArrayList<>(unauthorizedThunderbolt());
        if (!Files.isDirectory(sysfs.root().resolve("bus/pci/drivers/vfio-pci"))) {
            out.add(new Finding(Kind.NO_VFIO_PCI, "vfio-pci", "the vfio-pci driver is not loaded",
                    "load it: modprobe vfio-pci (a kernel with CONFIG_VFIO_PCI is needed)"));
        }
        if (!hasAnyIommuGroup()) {
            out.add(new Finding(Kind.NO_IOMMU, "iommu", "the kernel shows no IOMMU groups: the IOMMU is off",
                    "add intel_iommu=on or amd_iommu=on (and iommu=pt) to the kernel command line, enable VT-d/AMD-Vi "
                            + "in the firmware, and reboot"));
        }
        return out;
    }

    /** The findings about one function; {@code vramBytes} (0 when unknown) judges BAR0. */
    public List<Finding> function(PciAddress address, long vramBytes) {
        List<Finding> out = new ArrayList<>();
        PciFunction f = sysfs.find(address).orElse(null);
        if (f == null) {
            return out;
        }
        if (!f.hasIommuGroup() && hasAnyIommuGroup()) {
            out.add(new Finding(Kind.NO_IOMMU, address.toString(), address + " has no IOMMU group",
                    "the IOMMU does not cover it; check dmesg for DMAR/AMD-Vi messages"));
        }
        List<long[]> res = resources(address);
        unassignedBars(f, res, out);
        smallBar0(f, res, vramBytes, out);
        degradedLink(address, out);
        return out;
    }

    /** The Thunderbolt devices that are connected but not authorized: {@code authorized} reads 0. */
    public List<Finding> unauthorizedThunderbolt() {
        List<Finding> out = new ArrayList<>();
        for (Path d : thunderboltDevices()) {
            if ("0".equals(read(d.resolve("authorized")))) {
                String name = String.join(" ", nonNull(read(d.resolve("vendor_name"))), nonNull(read(d.resolve("device_name")))).strip();
                String id = d.getFileName().toString();
                out.add(new Finding(Kind.THUNDERBOLT_NOT_AUTHORIZED, id, "Thunderbolt device " + id
                        + (name.isEmpty() ? "" : " (" + name + ")") + " is connected but not authorized, so its PCIe tunnel "
                        + "(the eGPU) is not up", "authorize it: boltctl authorize " + nonNull(read(d.resolve("unique_id")))
                        + ", or amdvfio watch --authorize"));
            }
        }
        return out;
    }

    /** Writes 1 to {@code authorized} of every unauthorized Thunderbolt device, as boltctl does; returns their ids. */
    public List<String> authorizeThunderbolt() {
        List<String> done = new ArrayList<>();
        for (Finding f : unauthorizedThunderbolt()) {
            Path file = sysfs.root().resolve("bus/thunderbolt/devices").resolve(f.subject()).resolve("authorized");
            try {
                Files.writeString(file, "1", StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
                done.add(f.subject());
            } catch (IOException e) {
                throw new amdvfio.vfio.VfioException("cannot authorize Thunderbolt device " + f.subject() + " (" + file
                        + "): " + e.getMessage() + "; run as root, or check the security level (boltctl domains)", e);
            }
        }
        return done;
    }

    private void unassignedBars(PciFunction f, List<long[]> res, List<Finding> out) {
        List<String> bars = new ArrayList<>();
        for (int bar = 0; bar < Math.min(6, res.size()); bar++) {
            long[] r = res.get(bar);
            boolean unset = r[2] != 0 && r[0] == 0;                        // flags kept, no address
            boolean zeroed = r[0] == 0 && r[1] == 0 && r[2] == 0 && f.isAmdGpu() && isRequiredAmdBar(bar);
            if (unset || zeroed) {
                bars.add("BAR" + bar);
            }
        }
        if (!bars.isEmpty()) {
            out.add(new Finding(Kind.BAR_UNASSIGNED, f.address().toString(), f.address() + ": the kernel could not assign "
                    + String.join(", ", bars) + " (a resource line of zeros): the bridge's hotplug window is too small",
                    "boot with pci=realloc and a larger window, e.g. pci=hpmmioprefsize=32G (dmesg: 'BAR n: no space')"));
        }
    }

    private void smallBar0(PciFunction f, List<long[]> res, long vramBytes, List<Finding> out) {
        if (!f.isAmdGpu() || res.isEmpty() || res.get(0)[1] == 0) {
            return;
        }
        long bar0 = res.get(0)[1] - res.get(0)[0] + 1;
        long offered = largestResize(f.address(), 0);
        boolean belowVram = vramBytes > 0 && bar0 < vramBytes;
        if (!belowVram && offered <= bar0) {
            return;
        }
        String what = f.address() + ": BAR0 is " + size(bar0) + (belowVram ? ", below the " + size(vramBytes) + " of VRAM" : "")
                + ": the CPU sees VRAM through a window and every copy beyond it goes through SDMA";
        String fix = offered > bar0
                ? "the card offers up to " + size(offered) + " (resource0_resize): with no driver bound, write "
                        + Long.numberOfTrailingZeros(offered >> 20) + " to resource0_resize, or enable Resizable BAR and "
                        + "Above 4G decoding in the firmware"
                : "the card offers no larger BAR0 (no resource0_resize): enable Resizable BAR in the firmware if it has it";
        out.add(new Finding(Kind.SMALL_BAR, f.address().toString(), what, fix));
    }

    private void degradedLink(PciAddress a, List<Finding> out) {
        String speed = sysfs.attribute(a, "current_link_speed").orElse(null);
        String maxSpeed = sysfs.attribute(a, "max_link_speed").orElse(null);
        String width = sysfs.attribute(a, "current_link_width").orElse(null);
        String maxWidth = sysfs.attribute(a, "max_link_width").orElse(null);
        if (speed == null || maxSpeed == null || width == null || maxWidth == null) {
            return;
        }
        double gts = gts(speed);
        double maxGts = gts(maxSpeed);
        int lanes = lanes(width);
        int maxLanes = lanes(maxWidth);
        if (gts <= 0 || maxGts <= 0 || lanes <= 0 || maxLanes <= 0 || (gts >= maxGts && lanes >= maxLanes)) {
            return;
        }
        out.add(new Finding(Kind.LINK_DEGRADED, a.toString(), a + ": the link trained at " + speed + " x" + lanes
                + ", below its maximum " + maxSpeed + " x" + maxLanes + ": every throughput figure is lower",
                "check the cable, enclosure and slot; Thunderbolt 3/4 tunnels carry at most about PCIe 3.0 x4"));
    }

    /** The largest size {@code resource<bar>_resize} offers (bit n of its mask = 2^n MiB), or 0. */
    long largestResize(PciAddress a, int bar) {
        String mask = sysfs.attribute(a, "resource" + bar + "_resize").orElse(null);
        if (mask == null || mask.isEmpty()) {
            return 0;
        }
        try {
            long m = Long.parseUnsignedLong(mask.startsWith("0x") ? mask.substring(2) : mask, 16);
            return m == 0 ? 0 : (1L << (63 - Long.numberOfLeadingZeros(m))) << 20;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The {@code resource} lines: {start, end, flags} per line. */
    List<long[]> resources(PciAddress a) {
        List<long[]> out = new ArrayList<>();
        String text = read(sysfs.functionDir(a).resolve("resource"));
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 3) {
                out.add(new long[] {hex(p[0]), hex(p[1]), hex(p[2])});
            }
        }
        return out;
    }

    private static boolean isRequiredAmdBar(int bar) {
        for (int b : AMD_GPU_BARS) {
            if (b == bar) {
                return true;
            }
        }
        return false;
    }

    private boolean hasAnyIommuGroup() {
        try (Stream<Path> s = Files.list(sysfs.root().resolve("kernel/iommu_groups"))) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private List<Path> thunderboltDevices() {
        try (Stream<Path> s = Files.list(sysfs.root().resolve("bus/thunderbolt/devices"))) {
            return s.filter(p -> Files.exists(p.resolve("authorized"))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static double gts(String speed) {
        String s = speed.toLowerCase(Locale.ROOT);
        int i = s.indexOf("gt/s");
        try {
            return i < 0 ? -1 : Double.parseDouble(s.substring(0, i).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int lanes(String width) {
        try {
            return Integer.parseInt(width.strip().replaceFirst("^x", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String read(Path p) {
        return Sysfs.text(p);
    }
}
