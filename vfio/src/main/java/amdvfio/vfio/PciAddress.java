package amdvfio.vfio;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address, domain:bus:device.function, printed canonically as
 * {@code 0000:03:00.0} (the name of its directory in /sys/bus/pci/devices).
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern FORM = Pattern.compile(
            "(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        check(domain, 0xFFFF, "domain");
        check(bus, 0xFF, "bus");
        check(device, 0x1F, "device");
        check(function, 7, "function");
    }

    private static void check(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw new InvalidPciAddressException(String.format(
                    "PCI %s 0x%x is out of range (0..0x%x)", what, value, max));
        }
    }

    /**
     * Parses {@code 0000:03:00.0} or the short form {@code 03:00.0} (domain 0).
     *
     * @throws InvalidPciAddressException with the accepted forms when {@code text} is not one
     */
    public static PciAddress parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidPciAddressException("'" + text + "' is not a PCI address; expected "
                    + "domain:bus:device.function like 0000:03:00.0 or bus:device.function like 03:00.0 "
                    + "(see 'amdvfio list')");
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        return new PciAddress(domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                Integer.parseInt(m.group(4)));
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function;
    }
}
