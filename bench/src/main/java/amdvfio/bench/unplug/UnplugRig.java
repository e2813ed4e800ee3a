package amdvfio.bench.unplug;

import java.time.Duration;

/**
 * One device ready to be taken away, loaded with an {@link UnplugWorkload}. The REQ→released
 * benchmark only talks to this interface: the device-independent part ({@link VfioSimUnplugRig})
 * and the driver's own hot-unplug path ({@link DriverSimUnplugRig}, with or without the VRAM save)
 * on the simulator, and later a real device. One rig serves one removal.
 */
interface UnplugRig extends AutoCloseable {

    /** The kernel asks for the device back (sysfs remove): REQ is signalled. Returns at once. */
    void requestRemoval();

    /** Blocks (no spinning: the teardown needs the cores) until the device is released; its REQ→release time. */
    Duration awaitReleased(Duration timeout) throws InterruptedException;

    /** Drops the clients (late fini) and frees the rig. */
    @Override
    void close();

    /** The rig for a {@code path} and a device ({@code "sim"} or a PCI address). */
    static UnplugRig create(String path, String device, UnplugWorkload w) {
        if (!"sim".equals(device)) {
            throw new UnsupportedOperationException("device=" + device + ": REQ→released on a real device needs the "
                    + "driver's real-hardware path and a re-plug between invocations (sysfs rescan); not ready yet");
        }
        return switch (path) {
            case "vfio" -> new VfioSimUnplugRig(w);
            case "driver" -> new DriverSimUnplugRig(w, true);
            case "driver-nosave" -> new DriverSimUnplugRig(w, false);
            default -> throw new IllegalArgumentException("path must be vfio, driver or driver-nosave: " + path);
        };
    }
}
