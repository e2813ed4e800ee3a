package amdvfio.vfio.event;

import amdvfio.os.Epoll;
import amdvfio.os.EventFd;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciDevice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One platform thread per device, {@code amdvfio-irq-<bdf>}, that waits with epoll on the
 * device's interrupt vector eventfds, its ERR and REQ eventfds and a control eventfd, drains
 * whichever are ready and hands the counts to the registered {@link DeviceEventHandler}s.
 *
 * <p>The loop never tears anything down on its own thread: handlers hand off (to the lifecycle's
 * teardown thread), and {@link #close()} from the loop thread is refused. {@link #close()} stops
 * the thread through the control eventfd, joins it, disables the IRQ indexes it enabled (when the
 * device is still open) and closes every descriptor it created — no thread or fd is left.
 *
 * <p>Threading: {@link #addHandler} and {@link #close()} from any thread except the loop's own.
 * Dispatch allocates nothing: handlers are kept in an array replaced on registration.
 */
public final class DeviceEventLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeviceEventLoop.class.getName());
    private static final long TOKEN_CONTROL = -1;
    private static final long TOKEN_ERR = -2;
    private static final long TOKEN_REQ = -3;
    private static final Duration JOIN = Duration.ofSeconds(5);

    private final PciDevice device;
    private final IrqType irqType;
    private final EventFd[] vectors;
    private final EventFd err;
    private final EventFd req;
    private final EventFd control;
    private final Epoll epoll;
    private final List<IrqType> enabled = new ArrayList<>();
    private final Thread thread;
    private final AtomicLong handlerFailures = new AtomicLong();
    private volatile DeviceEventHandler[] handlers;
    private volatile boolean stopping;
    private volatile Throwable loopFailure;
    private boolean closed;

    private DeviceEventLoop(PciDevice device, IrqType irqType, int vectorCount, DeviceEventHandler[] handlers) {
        this.device = device;
        this.irqType = irqType;
        this.handlers = handlers.clone();
        String bdf = device.address().toString();
        List<AutoCloseable> made = new ArrayList<>();
        try {
            vectors = new EventFd[vectorCount];
            for (int i = 0; i < vectorCount; i++) {
                vectors[i] = EventFd.create(bdf + "-" + irqType.name().toLowerCase() + i);
                made.add(vectors[i]);
            }
            err = device.irqInfo(IrqType.ERR).available() ? EventFd.create(bdf + "-err") : null;
            if (err != null) {
                made.add(err);
            }
            req = device.irqInfo(IrqType.REQ).available() ? EventFd.create(bdf + "-req") : null;
            if (req != null) {
                made.add(req);
            }
            control = EventFd.create(bdf + "-control");
            made.add(control);
            epoll = Epoll.create(vectorCount + 3);
            made.add(epoll);
            for (int i = 0; i < vectorCount; i++) {
                epoll.add(vectors[i], i);
            }
            if (err != null) {
                epoll.add(err, TOKEN_ERR);
            }
            if (req != null) {
                epoll.add(req, TOKEN_REQ);
            }
            epoll.add(control, TOKEN_CONTROL);
            // the kernel starts signalling as soon as SET_IRQS returns: epoll is ready before
            if (vectorCount > 0) {
                enable(irqType, List.of(vectors));
            }
            if (err != null) {
                enable(IrqType.ERR, List.of(err));
            }
            if (req != null) {
                enable(IrqType.REQ, List.of(req));
            }
            thread = Thread.ofPlatform().name("amdvfio-irq-" + bdf).daemon(true).unstarted(this::run);
        } catch (RuntimeException e) {
            disableEnabled();
            for (int i = made.size() - 1; i >= 0; i--) {
                try {
                    made.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Routes {@code vectorCount} vectors of {@code irqType} (MSI, MSI-X or INTx; 0 for none) and
     * the ERR and REQ indexes the device offers to new eventfds, and starts the loop thread.
     */
    public static DeviceEventLoop start(PciDevice device, IrqType irqType, int vectorCount, DeviceEventHandler... handlers) {
        if (irqType == IrqType.ERR || irqType == IrqType.REQ || vectorCount < 0) {
            throw new IllegalArgumentException("interrupt vectors must be INTX, MSI or MSIX with count >= 0: "
                    + irqType + " x " + vectorCount);
        }
        DeviceEventLoop loop = new DeviceEventLoop(device, irqType, vectorCount, handlers);
        loop.thread.start();
        return loop;
    }

    private void enable(IrqType type, List<EventFd> fds) {
        device.enableIrq(type, fds);
        enabled.add(type);
    }

    /** Adds a handler; it receives events from the next dispatch on. */
    public synchronized void addHandler(DeviceEventHandler handler) {
        DeviceEventHandler[] next = Arrays.copyOf(handlers, handlers.length + 1);
        next[handlers.length] = handler;
        handlers = next;
    }

    /** The name of the loop thread ({@code amdvfio-irq-<bdf>}). */
    public String threadName() {
        return thread.getName();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Handler calls that threw (each is logged; the loop goes on). */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /** What stopped the loop other than {@link #close()} (an epoll failure), or null. */
    public Throwable loopFailure() {
        return loopFailure;
    }

    /** Whether the device offered and the loop routed the ERR / REQ index. */
    public boolean listensFor(IrqType type) {
        return switch (type) {
            case ERR -> err != null;
            case REQ -> req != null;
            default -> type == irqType && vectors.length > 0;
        };
    }

    private void run() {
        try {
            while (!stopping) {
                int n = epoll.await(-1);
                for (int i = 0; i < n; i++) {
                    dispatch(epoll.token(i));
                }
            }
        } catch (Throwable t) {
            loopFailure = t;
            LOG.log(System.Logger.Level.ERROR, thread.getName() + " stopped: " + t, t);
        }
    }

    private void dispatch(long token) {
        if (token == TOKEN_CONTROL) {
            control.drain();
            return;
        }
        DeviceEventHandler[] hs = handlers;
        if (token == TOKEN_ERR) {
            if (err.drain() > 0) {
                for (DeviceEventHandler h : hs) {
                    try {
                        h.onError();
                    } catch (Throwable t) {
                        handlerFailed("onError", t);
                    }
                }
            }
        } else if (token == TOKEN_REQ) {
            long count = req.drain();
            if (count > 0) {
                for (DeviceEventHandler h : hs) {
                    try {
                        h.onRequest(count);
                    } catch (Throwable t) {
                        handlerFailed("onRequest", t);
                    }
                }
            }
        } else {
            int vector = (int) token;
            long count = vectors[vector].drain();
            if (count > 0) {
                for (DeviceEventHandler h : hs) {
                    try {
                        h.onIrq(vector, count);
                    } catch (Throwable t) {
                        handlerFailed("onIrq", t);
                    }
                }
            }
        }
    }

    private void handlerFailed(String what, Throwable t) {
        handlerFailures.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, thread.getName() + ": a handler's " + what + " threw; going on", t);
    }

    /**
     * Stops and joins the loop thread, disables the IRQ indexes it enabled if the device is still
     * open (errors ignored: the device may be gone), and closes its eventfds and epoll. Idempotent.
     *
     * @throws IllegalStateException when called from the loop thread (a handler must hand off)
     */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the event loop cannot close itself from " + thread.getName()
                    + ": hand the event to the lifecycle's teardown thread instead");
        }
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        control.signal();
        try {
            thread.join(JOIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // cannot close the epoll under a thread still inside epoll_wait; leave it to exit
            throw new IllegalStateException(thread.getName() + " did not stop within " + JOIN.toSeconds()
                    + " s; a handler is blocking (handlers must only hand off)");
        }
        disableEnabled();
        epoll.close();
        control.close();
        if (req != null) {
            req.close();
        }
        if (err != null) {
            err.close();
        }
        for (EventFd v : vectors) {
            v.close();
        }
    }

    private void disableEnabled() {
        if (device.isClosed()) {
            enabled.clear();
            return;
        }
        for (int i = enabled.size() - 1; i >= 0; i--) {
            try {
                device.disableIrq(enabled.get(i));
            } catch (RuntimeException e) {
                // a removed device fails SET_IRQS; the kernel drops its triggers on close anyway
                LOG.log(System.Logger.Level.DEBUG, "disabling " + enabled.get(i) + " failed: " + e);
            }
        }
        enabled.clear();
    }
}
