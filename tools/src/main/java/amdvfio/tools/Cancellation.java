package amdvfio.tools;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Ctrl-C for every command. A JVM shutdown hook (SIGINT, SIGTERM) marks the run cancelled,
 * interrupts the command's thread so blocking waits return, and waits for the command to unwind
 * through its try-with-resources (which stops the workload and releases the device). If the
 * command has not finished after {@link #GRACE_MILLIS}, the hook closes what is still registered
 * itself, so the device is released and the JVM exits within a second either way.
 *
 * <p>Exactly one "interrupted" message is printed, by whichever side gets there first: the
 * command unwinding or the hook taking over ({@link #announceInterrupted()}).
 *
 * <p>Threading: {@link #check()} and {@link #cancelled()} may be called from any thread;
 * resources register and unregister from any thread.
 */
public final class Cancellation {

    /** How long the hook lets the command unwind by itself before closing its resources. */
    static final long GRACE_MILLIS = 600;

    private static volatile boolean cancelled;
    private static volatile Thread commandThread;
    private static final CountDownLatch finished = new CountDownLatch(1);
    private static final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private static final AtomicBoolean announced = new AtomicBoolean();
    private static volatile Consumer<String> announcer = m -> {
        System.err.println("amdvfio: " + m);
        System.err.flush();
    };

    /** The message of a Ctrl-C, whoever prints it. */
    static final String MESSAGE = "interrupted; the workload was stopped and the device released";

    private Cancellation() {
    }

    /** Installs the hook for the command running on the calling thread (the CLI's main thread). */
    static void install() {
        commandThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(Cancellation::onShutdown, "amdvfio-ctrl-c"));
    }

    /** Where the one "interrupted" message goes (text or a JSON error on stderr). */
    static void announceWith(Consumer<String> printer) {
        announcer = printer;
    }

    /** Prints the "interrupted" message unless it was printed already; safe from any thread. */
    static void announceInterrupted() {
        if (announced.compareAndSet(false, true)) {
            announcer.accept(MESSAGE);
        }
    }

    /** The command returned: the hook, if it runs now, has nothing to wait for. */
    static void commandFinished() {
        finished.countDown();
    }

    /** True once Ctrl-C (or SIGTERM) arrived. */
    public static boolean cancelled() {
        return cancelled;
    }

    /** Throws {@link Cancelled} once Ctrl-C arrived: long loops call it between steps. */
    public static void check() {
        if (cancelled || Thread.currentThread().isInterrupted() && commandThread == Thread.currentThread()) {
            throw new Cancelled();
        }
    }

    /** Registers {@code r} to be closed by the hook if the command does not unwind in time; returns it. */
    public static <T extends AutoCloseable> T register(T r) {
        synchronized (resources) {
            resources.push(r);
        }
        return r;
    }

    public static void unregister(AutoCloseable r) {
        synchronized (resources) {
            resources.remove(r);
        }
    }

    /** Sleeps, throwing {@link Cancelled} on Ctrl-C. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        check();
    }

    private static void onShutdown() {
        if (finished.getCount() == 0) {
            return; // normal exit, not a Ctrl-C
        }
        cancelled = true;
        Thread t = commandThread;
        if (t != null) {
            t.interrupt();
        }
        try {
            if (finished.await(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The command is stuck somewhere uninterruptible: release what it holds ourselves.
        while (true) {
            AutoCloseable r;
            synchronized (resources) {
                r = resources.poll();
            }
            if (r == null) {
                break;
            }
            try {
                r.close();
            } catch (Exception | Error ignored) {
                // best effort: the process is ending
            }
        }
        announceInterrupted();
    }

    /** Ctrl-C arrived: the command unwinds, releases the device and exits with {@link ExitCodes#INTERRUPTED}. */
    public static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Cancelled() {
            super("interrupted; the device was released", null, false, false);
        }
    }
}
