package amdvfio.tools;

import amdvfio.driver.Gpu;
import amdvfio.vfio.unplug.LossReason;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for the driver to notice that its device is going away (REQ, ERR, or a surprise found by
 * its presence checks) and reports when the teardown was triggered, on the {@link System#nanoTime}
 * clock the commands time phases with. The driver tears down by itself; this only observes.
 */
final class LossWatch {

    /** The loss signal and when the driver's lifecycle was triggered ({@link System#nanoTime()}). */
    record Event(LossReason reason, long atNanos) {
    }

    private final Gpu gpu;

    LossWatch(Gpu gpu) {
        this.gpu = gpu;
    }

    /** The loss, waiting up to {@code timeout}; null if the device was not lost (an explicit close is not a loss). */
    Event await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!gpu.isLost() || gpu.lossReason() == null) {
            if (System.nanoTime() - deadline > 0) {
                return null;
            }
            LockSupport.parkNanos(20_000);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new Cancellation.Cancelled();
            }
        }
        if (gpu.lossReason() == LossReason.CLOSE) {
            return null;
        }
        Instant at = gpu.teardownReport().triggeredAt();
        long ago = Duration.between(at, Instant.now()).toNanos();
        return new Event(gpu.lossReason(), System.nanoTime() - Math.max(0, ago));
    }
}
