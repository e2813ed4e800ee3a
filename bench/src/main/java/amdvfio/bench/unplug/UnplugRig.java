package amdvfio.bench.unplug;

import java.time.Duration;

/**
 * One device ready to be taken away, with {@code clients} clients each mapping {@code bos} buffer
 * objects of its device memory (every page touched). The REQ→released benchmark only talks to
 * this interface: the device-independent part ({@link VfioSimUnplugRig}) and the driver's own
 * hot-unplug path ({@link DriverSimUnplugRig}, with or without the VRAM save) on the simulator,
 * and later a real device. One rig serves one removal.
 */
interface UnplugRig extends AutoCloseable {

    /** The kernel asks for the device back (sysfs remove): REQ is signalled. Returns at once. */
    void requestRemoval();

    /** Waits until the device is released (every fd closed: the kernel's removal can complete). */
    void awaitReleased(Duration timeout) throws InterruptedException;

    /** The device side's own REQ→release figure when it keeps one, else null. */
    Duration reportedRequestToRelease();

    /** Drops the clients (late fini) and frees the rig. */
    @Override
    void close();

    /** The rig for a {@code path}, a device ({@code "sim"} or a PCI address) and a VRAM layout (packed, scattered). */
    static UnplugRig create(String path, String device, String vram, int bos, int clients) {
        if (!"sim".equals(device)) {
            throw new UnsupportedOperationException("device=" + device + ": REQ→released on a real device needs the "
                    + "driver's real-hardware path and a re-plug between invocations (sysfs rescan); not ready yet");
        }
        return switch (path) {
            case "vfio" -> new VfioSimUnplugRig(bos, clients, switch (vram) {
                case "packed" -> true;
                case "scattered" -> false;
                default -> throw new IllegalArgumentException("vram must be packed or scattered: " + vram);
            });
            case "driver" -> new DriverSimUnplugRig(bos, clients, true);
            case "driver-nosave" -> new DriverSimUnplugRig(bos, clients, false);
            default -> throw new IllegalArgumentException("path must be vfio, driver or driver-nosave: " + path);
        };
    }
}
