package amdvfio.driver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that writes and reads a VRAM and a GTT mapping without pause, every page, in its own
 * lane (slot {@code lane} of each page): a fault, an exception, or a GTT write that does not read
 * back is its failure. VRAM reads are not compared — a write may land on the device just before the
 * remap shows the saved copy — only that they complete.
 */
final class MappingHammer {

    private static final long PAGE = 4096;

    private final Thread thread;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    private MappingHammer(MemorySegment vram, MemorySegment gtt, int lane) {
        thread = Thread.ofPlatform().daemon().name("unplug-hammer-" + lane).unstarted(() -> run(vram, gtt, lane * 8L));
    }

    static MappingHammer start(MemorySegment vram, MemorySegment gtt, int lane) {
        MappingHammer h = new MappingHammer(vram, gtt, lane);
        h.thread.start();
        return h;
    }

    private void run(MemorySegment vram, MemorySegment gtt, long slot) {
        try {
            long sink = 0;
            for (long n = 1; !stop; n++) {
                for (long page = 0; page + slot + 8 <= Math.min(vram.byteSize(), gtt.byteSize()); page += PAGE) {
                    vram.set(ValueLayout.JAVA_LONG, page + slot, n);
                    sink += vram.get(ValueLayout.JAVA_LONG, page + slot);
                    gtt.set(ValueLayout.JAVA_LONG, page + slot, n);
                    if (gtt.get(ValueLayout.JAVA_LONG, page + slot) != n) {
                        throw new AssertionError("GTT write of " + n + " at +" + (page + slot) + " did not read back");
                    }
                }
                rounds.set(n);
            }
            rounds.addAndGet(sink & 0); // keeps the VRAM reads
        } catch (Throwable t) { // InternalError is a SIGBUS the reroute should have made impossible
            failure.set(t);
        }
    }

    long rounds() {
        return rounds.get();
    }

    /** Waits (bounded) until the thread completed {@code n} rounds or died. */
    void awaitRounds(long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rounds.get() < n && thread.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }

    Throwable failure() {
        return failure.get();
    }
}
