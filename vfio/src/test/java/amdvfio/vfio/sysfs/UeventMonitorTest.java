package amdvfio.vfio.sysfs;

import amdvfio.os.SyscallException;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UeventMonitorTest {

    @Test
    void parsesAKernelPciUevent() {
        byte[] msg = ("remove@/devices/pci0000:00/0000:00:01.0/0000:03:00.0\0ACTION=remove\0"
                + "DEVPATH=/devices/pci0000:00/0000:00:01.0/0000:03:00.0\0SUBSYSTEM=pci\0"
                + "PCI_ID=1002:731F\0PCI_SLOT_NAME=0000:03:00.0\0SEQNUM=4711\0").getBytes(StandardCharsets.UTF_8);

        Uevent e = Uevent.parse(msg, msg.length).orElseThrow();

        assertTrue(e.isRemove());
        assertEquals("pci", e.subsystem());
        assertEquals(Optional.of(PciAddress.parse("0000:03:00.0")), e.pciAddress());
        assertEquals(0x1002, e.pciVendorId());
        assertEquals(0x731f, e.pciDeviceId());
        assertEquals("4711", e.env().get("SEQNUM"));
    }

    @Test
    void ignoresUdevRebroadcastsAndGarbage() {
        byte[] udev = "libudev\0\0\0\0garbage".getBytes(StandardCharsets.UTF_8);
        assertTrue(Uevent.parse(udev, udev.length).isEmpty());
        byte[] empty = new byte[0];
        assertTrue(Uevent.parse(empty, 0).isEmpty());
    }

    /**
     * Writing an action to a device's {@code uevent} file makes the kernel send a synthetic
     * event for it (Documentation/ABI/testing/sysfs-uevent): a real round trip through netlink.
     */
    @Test
    void seesTheKernelsEventForARealPciFunction() throws IOException {
        List<PciFunction> functions = new Sysfs().list();
        assumeTrue(!functions.isEmpty(), "this machine has no PCI functions in /sys");
        PciFunction f = functions.get(0);
        Path ueventFile = Path.of("/sys/bus/pci/devices", f.address().toString(), "uevent");
        assumeTrue(Files.isWritable(ueventFile), "cannot write " + ueventFile + " (not root?)");
        UeventMonitor monitor;
        try {
            monitor = UeventMonitor.open();
        } catch (SyscallException e) {
            assumeTrue(false, "netlink uevent socket not available here: " + e.getMessage());
            return;
        }
        try (monitor) {
            Files.writeString(ueventFile, "change");

            Optional<Uevent> seen = Optional.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                Optional<Uevent> e = monitor.next(Duration.ofMillis(500));
                if (e.isPresent() && e.get().pciAddress().equals(Optional.of(f.address()))) {
                    seen = e;
                    break;
                }
            }

            assertTrue(seen.isPresent(), "no uevent for " + f.address() + " within 5 s");
            assertEquals("change", seen.get().action());
            assertEquals(f.vendorId(), seen.get().pciVendorId());
            assertFalse(seen.get().isAdd());
        }
    }

    @Test
    void nextReturnsEmptyAfterItsTimeoutWhenNothingHappens() {
        UeventMonitor monitor;
        try {
            monitor = UeventMonitor.open();
        } catch (SyscallException e) {
            assumeTrue(false, "netlink uevent socket not available here: " + e.getMessage());
            return;
        }
        try (monitor) {
            long t0 = System.nanoTime();
            Optional<Uevent> e;
            do {
                e = monitor.next(Duration.ofMillis(100));
            } while (e.isPresent() && System.nanoTime() - t0 < 2_000_000_000L); // drain unrelated events
            assertTrue(e.isEmpty());
        }
    }
}
