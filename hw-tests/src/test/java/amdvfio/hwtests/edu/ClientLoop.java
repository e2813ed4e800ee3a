package amdvfio.hwtests.edu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

import amdvfio.vfio.unplug.ClientMapping;

/**
 * A client thread that keeps writing and reading edu's liveness register through a client
 * mapping of BAR0 (made through the {@code MappingTable}), before, during and after the loss.
 * While the device backs the mapping a read returns the inverse of the write; once rerouted to
 * dummy memory it returns the value written. It counts both and records any throwable (a fault
 * would be a JVM crash or an InternalError: the scenario fails on either).
 */
public final class ClientLoop implements AutoCloseable {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment seg;
    private final Thread thread;
    private volatile boolean stop;
    public final AtomicLong deviceReads = new AtomicLong();
    public final AtomicLong dummyReads = new AtomicLong();
    public final AtomicLong otherReads = new AtomicLong();
    private volatile Throwable failure;

    public ClientLoop(ClientMapping mapping) {
        this.seg = mapping.segment();
        this.thread = Thread.ofPlatform().daemon(true).name("edu-client").start(this::run);
    }

    private void run() {
        int v = 0x13572468;
        try {
            while (!stop) {
                v = v * 1103515245 + 12345;
                INT.setVolatile(seg, (long) EduDevice.LIVENESS, v);
                int r = (int) INT.getVolatile(seg, (long) EduDevice.LIVENESS);
                if (r == ~v) deviceReads.incrementAndGet();
                else if (r == v) dummyReads.incrementAndGet();
                else otherReads.incrementAndGet(); // a write of the other side raced in: possible at the switch
                Thread.onSpinWait();
                if ((deviceReads.get() + dummyReads.get()) % 64 == 0) Thread.sleep(1);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    public boolean alive() {
        return thread.isAlive();
    }

    public Throwable failure() {
        return failure;
    }

    public long total() {
        return deviceReads.get() + dummyReads.get() + otherReads.get();
    }

    public String summary() {
        return "client reads: device=" + deviceReads + " dummy=" + dummyReads + " other=" + otherReads + " alive=" + alive()
                + " failure=" + failure;
    }

    /** Throws unless the thread is still running without a failure and made progress since {@code since}. */
    public void assertHealthy(long since) throws InterruptedException {
        long until = System.nanoTime() + 2_000_000_000L;
        while (total() <= since && System.nanoTime() < until) Thread.sleep(5);
        EduChecks.check(failure == null, "client thread failed: " + failure);
        EduChecks.check(alive(), "client thread died");
        EduChecks.check(total() > since, "client thread made no progress: " + summary());
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(5000);
    }
}
