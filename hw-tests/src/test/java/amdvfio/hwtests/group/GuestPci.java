package amdvfio.hwtests.group;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Guest-side look-ups: the test devices by ids (root-port bus numbers are QEMU's to choose), VFIO fds, interrupts. */
final class GuestPci {

    static final Sysfs SYSFS = new Sysfs();

    private GuestPci() {
    }

    /** The functions with these ids, in address order. */
    static List<PciAddress> find(int vendor, int device) {
        return SYSFS.list().stream().filter(f -> f.vendorId() == vendor && f.deviceId() == device)
                .map(PciFunction::address).toList();
    }

    /** Function 0 of the multifunction edu slot: the edu whose slot also has function 1. */
    static PciAddress multifunctionEdu() {
        List<PciAddress> edus = find(0x1234, 0x11e8);
        for (PciAddress a : edus) {
            if (a.function() == 1) {
                return new PciAddress(a.domain(), a.bus(), a.device(), 0);
            }
        }
        throw new IllegalStateException("no multifunction edu slot among " + edus);
    }

    static PciAddress fn1(PciAddress fn0) {
        return new PciAddress(fn0.domain(), fn0.bus(), fn0.device(), 1);
    }

    static PciAddress only(int vendor, int device, String what) {
        List<PciAddress> l = find(vendor, device);
        check(l.size() == 1, "expected one " + what + " (" + Integer.toHexString(vendor) + ":" + Integer.toHexString(device)
                + "), found " + l);
        return l.get(0);
    }

    /** This process's descriptors that point at VFIO. */
    static List<String> vfioFds() throws IOException {
        List<String> out = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/dev/vfio") || target.contains("[vfio")) {
                        out.add(fd.getFileName() + "->" + target);
                    }
                } catch (IOException ignored) {
                    // closed while listing
                }
            }
        }
        return out;
    }

    /** Lines of /proc/self/maps that map a VFIO device (BAR mmaps). */
    static List<String> vfioMaps() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("vfio")).toList();
    }

    /** Lines of /proc/interrupts naming {@code irqName} (vfio-pci names them "vfio-msix[n](bdf)"). */
    static List<String> interrupts(String irqName) throws IOException {
        return Files.readAllLines(Path.of("/proc/interrupts")).stream().filter(l -> l.contains(irqName)).toList();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static void out(String tag, String line) {
        System.out.println("GROUP-CHECK " + tag + " " + line);
    }
}
