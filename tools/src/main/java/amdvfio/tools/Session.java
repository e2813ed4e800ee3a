package amdvfio.tools;

import amdvfio.driver.Gpu;
import amdvfio.vfio.PciDevice;

/**
 * One opened device: the PCI handle, the probed {@link Gpu} and the {@link LossWatch} on it.
 * Closing closes the GPU (late fini follows when its last client closes).
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
        Gpu gpu = Gpu.open(device, Gpu.Options.DEFAULT, tb.cardPolicy()); // closes the device itself when the probe fails
        LossWatch watch = new LossWatch(gpu);
        return Cancellation.register(new Session(device, gpu, watch, System.nanoTime() - t0));
    }

    /** The device released its last handle (the kernel's removal can complete). */
    boolean released() {
        return device.isClosed();
    }

    /** Waits (bounded) until early fini is over and the device handle is closed (DETACHED). */
    boolean awaitDetached(java.time.Duration timeout) throws InterruptedException {
        return gpu.awaitState(amdvfio.vfio.unplug.Lifecycle.State.DETACHED, timeout);
    }

    /**
     * Closes the GPU and waits (bounded by the driver) for early fini to close the device handle.
     * On Ctrl-C the command thread is interrupted: {@code Gpu.close} would then return at once
     * without that wait, so the interrupt is held back for the duration of the close.
     */
    @Override
    public void close() {
        Cancellation.unregister(this);
        boolean interrupted = Thread.interrupted();
        try {
            gpu.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
