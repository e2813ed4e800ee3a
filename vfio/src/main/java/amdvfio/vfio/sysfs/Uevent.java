package amdvfio.vfio.sysfs;

import amdvfio.vfio.InvalidPciAddressException;
import amdvfio.vfio.PciAddress;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One kernel uevent as NETLINK_KOBJECT_UEVENT delivers it: a header {@code action@devpath}
 * followed by NUL-separated {@code KEY=value} pairs (lib/kobject_uevent.c). PCI functions add
 * {@code PCI_SLOT_NAME=0000:03:00.0} and {@code PCI_ID=1002:731F} (drivers/pci/pci-driver.c,
 * {@code pci_uevent}).
 */
public record Uevent(String action, String devpath, Map<String, String> env) {

    public Uevent {
        env = Map.copyOf(env);
    }

    /** Parses one datagram; returns empty for what is not a kernel uevent (e.g. udev's "libudev" rebroadcasts). */
    public static Optional<Uevent> parse(byte[] datagram, int length) {
        String text = new String(datagram, 0, length, StandardCharsets.UTF_8);
        String[] parts = text.split("\0");
        if (parts.length == 0 || !parts[0].contains("@")) {
            return Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                env.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        String action = env.getOrDefault("ACTION", parts[0].substring(0, parts[0].indexOf('@')));
        String devpath = env.getOrDefault("DEVPATH", parts[0].substring(parts[0].indexOf('@') + 1));
        return Optional.of(new Uevent(action, devpath, env));
    }

    public String subsystem() {
        return env.getOrDefault("SUBSYSTEM", "");
    }

    /** The PCI function this event is about, for SUBSYSTEM=pci events that name one. */
    public Optional<PciAddress> pciAddress() {
        String slot = env.get("PCI_SLOT_NAME");
        if (slot == null || !"pci".equals(subsystem())) {
            return Optional.empty();
        }
        try {
            return Optional.of(PciAddress.parse(slot));
        } catch (InvalidPciAddressException e) {
            return Optional.empty();
        }
    }

    /** The PCI vendor id from {@code PCI_ID=VVVV:DDDD}, or -1. */
    public int pciVendorId() {
        return pciIdPart(0);
    }

    /** The PCI device id from {@code PCI_ID=VVVV:DDDD}, or -1. */
    public int pciDeviceId() {
        return pciIdPart(1);
    }

    private int pciIdPart(int index) {
        String id = env.get("PCI_ID");
        if (id == null) {
            return -1;
        }
        String[] vd = id.split(":");
        try {
            return vd.length == 2 ? Integer.parseInt(vd[index], 16) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean isAdd() {
        return "add".equals(action);
    }

    public boolean isRemove() {
        return "remove".equals(action);
    }
}
