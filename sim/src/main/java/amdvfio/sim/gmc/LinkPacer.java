package amdvfio.sim.gmc;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces host↔VRAM traffic to a link rate (a token bucket shared by every engine of the device,
 * since they share the PCIe link). Rate 0 means unpaced.
 */
public final class LinkPacer {

    /** Sleep only once the link is this far behind: parkNanos cannot sleep for microseconds. */
    private static final long MIN_SLEEP_NANOS = 200_000;

    private final long bytesPerSecond;
    private long nextFreeNanos;

    public LinkPacer(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Accounts {@code bytes} crossing the link and sleeps until the link would have carried them. */
    public void cross(long bytes) {
        if (bytesPerSecond <= 0 || bytes <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            // credit up to 1 ms of oversleep so parkNanos' overshoot does not lower the rate
            long start = Math.max(now - 1_000_000, nextFreeNanos);
            nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
            wait = nextFreeNanos - now;
        }
        if (wait > MIN_SLEEP_NANOS) {
            LockSupport.parkNanos(wait);
        }
    }
}
