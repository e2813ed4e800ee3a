package amdvfio.tools;

import amdvfio.os.Epoll;
import amdvfio.os.EventFd;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.unplug.LossReason;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Notices that a device is going away: the VFIO REQ eventfd (orderly removal), the ERR eventfd
 * (AER), or a config vendor id of 0xFFFF (surprise removal; checked every {@link #PRESENCE_MILLIS}).
 * It only records the first event; the command then tears down on its own thread, as the
 * architecture asks of interrupt-side handlers.
 *
 * <p>Stop-gap for the CLI until the driver's own loss detection (branch hotunplug) lands: the
 * driver at this point registers neither REQ nor ERR, so the CLI does, and calls {@code Gpu.close()}.
 */
final class LossWatch implements AutoCloseable {

    /** How often presence is checked while nothing is signalled (SPDK polls hotplug every 100 ms). */
    static final int PRESENCE_MILLIS = 10;

    /** The first loss signal and when it was seen ({@link System#nanoTime()}). */
    record Event(LossReason reason, long atNanos) {
    }

    private final PciDevice device;
    private final EventFd req = EventFd.create("req");
    private final EventFd err = EventFd.create("err");
    private final Epoll epoll = Epoll.create(2);
    private final CountDownLatch seen = new CountDownLatch(1);
    private final Thread thread;
    private volatile Event event;
    private volatile boolean stop;

    LossWatch(PciDevice device) {
        this.device = device;
        device.enableIrq(IrqType.REQ, List.of(req));
        if (device.irqInfo(IrqType.ERR).available()) {
            device.enableIrq(IrqType.ERR, List.of(err));
        }
        epoll.add(req, 1);
        epoll.add(err, 2);
        thread = Thread.ofPlatform().daemon().name("loss-watch " + device.address()).start(this::run);
    }

    private void run() {
        while (!stop && event == null) {
            int n = epoll.await(PRESENCE_MILLIS);
            LossReason why = null;
            for (int i = 0; i < n; i++) {
                long token = epoll.token(i);
                if (token == 1 && req.drain() > 0) {
                    why = why == null ? LossReason.REQ : why;
                } else if (token == 2 && err.drain() > 0) {
                    why = LossReason.ERR_FATAL;
                }
            }
            if (why == null && n == 0 && !stop) {
                try {
                    if (!device.config().isPresent()) {
                        why = LossReason.SURPRISE;
                    }
                } catch (RuntimeException closed) {
                    return; // the device was closed under us: nothing more to watch
                }
            }
            if (why != null) {
                event = new Event(why, System.nanoTime());
                seen.countDown();
            }
        }
    }

    /** The loss event, waiting up to {@code timeout}; null if none came. */
    Event await(Duration timeout) {
        try {
            seen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.Cancelled();
        }
        return event;
    }

    Event event() {
        return event;
    }

    /** Stops watching and unregisters the eventfds (before the device is closed). Idempotent. */
    @Override
    public synchronized void close() {
        if (stop) {
            return;
        }
        stop = true;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!device.isClosed()) {
            try {
                device.disableIrq(IrqType.REQ);
                device.disableIrq(IrqType.ERR);
            } catch (RuntimeException ignored) {
                // a removed device may refuse; closing it releases the IRQs anyway
            }
        }
        epoll.close();
        req.close();
        err.close();
    }
}
