package amdvfio.hwtests.qemu.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Guest-side sysfs helpers for the edu device (plain file I/O: remove, rescan, wait). */
public final class EduSysfs {

    public static final String BDF = "0000:01:00.0";
    public static final Path DEVICE = Path.of("/sys/bus/pci/devices", BDF);

    private EduSysfs() {}

    /** {@code echo 1 > /sys/bus/pci/devices/<bdf>/remove} */
    public static void remove() throws IOException {
        Files.writeString(DEVICE.resolve("remove"), "1");
    }

    /** {@code echo 1 > /sys/bus/pci/rescan} */
    public static void rescan() throws IOException {
        Files.writeString(Path.of("/sys/bus/pci/rescan"), "1");
    }

    public static boolean present() {
        return Files.isDirectory(DEVICE);
    }

    /** The name of the bound driver, or null. */
    public static String driver() {
        try {
            return Files.readSymbolicLink(DEVICE.resolve("driver")).getFileName().toString();
        } catch (IOException e) {
            return null;
        }
    }

    public static boolean boundToVfioPci() {
        return "vfio-pci".equals(driver());
    }

    /** Polls every 5 ms; returns the milliseconds it took, throws if the time runs out. */
    public static long await(String what, BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if ((System.nanoTime() - t0) / 1_000_000 > timeoutMs) throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
