package amdvfio.tools;

import amdvfio.driver.Gpu;
import amdvfio.vfio.PciDevice;

/**
 * One opened device: the PCI handle, the probed {@link Gpu} and the {@link LossWatch} on it.
 * Closing stops the watch and the GPU (late fini follows when its last client closes).
 */
final class Session implements AutoCloseable {

    final PciDevice device;
    final Gpu gpu;
    final LossWatch watch;
    /** Time from the vfio open to a probed, tested GPU. */
    final long probeNanos;

    private Session(PciDevice device, Gpu gpu, LossWatch watch, long probeNanos) {
        this.device = device;
        this.gpu = gpu;
        this.watch = watch;
        this.probeNanos = probeNanos;
    }

    /** Opens and probes the testbench's device; the session is registered for Ctrl-C. */
    static Session open(Testbench tb) {
        long t0 = System.nanoTime();
        PciDevice device = tb.open();
        Gpu gpu = Gpu.open(device); // closes the device itself when the probe fails
        LossWatch watch;
        try {
            watch = new LossWatch(device);
        } catch (RuntimeException e) {
            gpu.close();
            throw e;
        }
        return Cancellation.register(new Session(device, gpu, watch, System.nanoTime() - t0));
    }

    /** The device released its last handle (the kernel's removal can complete). */
    boolean released() {
        return device.isClosed();
    }

    @Override
    public void close() {
        Cancellation.unregister(this);
        watch.close();
        gpu.close();
    }
}
