package amdvfio.vfio.unplug;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code drm_dev_enter()/drm_dev_exit()} analogue (drivers/gpu/drm/drm_drv.c): code that
 * touches the hardware runs between {@link #enter()} and {@link #exit()}; {@link #unplug} makes
 * every later {@code enter()} fail and waits until no thread is inside, as
 * {@code drm_dev_unplug()} does with {@code synchronize_srcu()}.
 *
 * <pre>{@code
 * if (!guard.enter()) return DEVICE_LOST;
 * try { mmio.write32(DOORBELL, wptr); } finally { guard.exit(); }
 * }</pre>
 *
 * <h2>Design</h2>
 * A Dekker-style protocol between a striped reader count and one {@code unplugged} flag. A thread
 * uses the stripe {@code threadId & mask}; each stripe is a {@code long} on its own 128-byte
 * line, so uncontended readers on different stripes share no cache line. {@code enter()} is one
 * atomic add plus one volatile load; {@code exit()} is one atomic add. Nothing allocates, nothing
 * blocks, no lock is taken.
 * <pre>
 *   enter():  count[s] += 1 (volatile RMW)   ; then read unplugged (volatile)
 *             if unplugged: count[s] -= 1, return false
 *   exit():   count[s] -= 1 (volatile RMW)
 *   unplug(): unplugged = true (volatile)    ; then for each stripe: wait until count[s] reads 0
 * </pre>
 *
 * <h2>Why it is correct (Java memory model)</h2>
 * Volatile reads/writes and {@code VarHandle.getAndAdd} are synchronization actions: they lie in
 * one total synchronization order (SO) consistent with each thread's program order, and a
 * volatile read sees the last write to that variable before it in SO.
 * <ol>
 * <li><b>No enter succeeds after unplug returns.</b> Take an {@code enter()} that succeeds, i.e.
 * read {@code unplugged == false}. Its read precedes the flag write in SO (otherwise it would see
 * {@code true}), so its increment — earlier in its program order — also precedes the flag write,
 * and hence precedes every read unplug() makes of that stripe afterwards. Each stripe's value is
 * the number of increments without their decrement (every thread decrements the stripe it
 * incremented, since its id does not change), so while that thread is inside, every such read
 * is at least 1. When unplug() reads 0 the thread has exited. An {@code enter()} whose increment
 * follows the flag write in SO reads the flag after it and returns false: it never enters.</li>
 * <li><b>One zero per stripe is enough.</b> After the flag write the only increments on a
 * stripe are those of failing enters, each undone before the thread does anything else; so once
 * a stripe reads 0 no successful entrant remains on it, and none can arrive.</li>
 * <li><b>What the section did is visible to the unplugger.</b> The decrement in {@code exit()}
 * is a volatile write and unplug()'s read of 0 a volatile read that sees it (or a later
 * write), so everything a thread did inside its section happens-before {@code unplug()} returns.</li>
 * </ol>
 *
 * <p>Nesting ({@code enter} inside a section on the same thread) works: the stripe just counts
 * twice. Calling {@link #unplug} from inside a guarded section waits for itself and times out —
 * never do that (early fini runs on the teardown thread, which holds no section).
 *
 * <p>Threading: {@link #enter()}/{@link #exit()} from any number of threads; {@link #unplug}
 * from any thread, any number of times (later calls just wait for the drain again).
 */
public final class DeviceGuard {

    /** 16 longs = 128 bytes: one stripe per pair of cache lines, against adjacent-line prefetch. */
    private static final int PAD = 16;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle UNPLUGGED;

    static {
        try {
            UNPLUGGED = MethodHandles.lookup().findVarHandle(DeviceGuard.class, "unplugged", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] counts;
    private final int mask;
    @SuppressWarnings("unused") // accessed through UNPLUGGED
    private volatile boolean unplugged;

    /** A guard with one stripe per available processor, rounded up to a power of two. */
    public DeviceGuard() {
        this(Runtime.getRuntime().availableProcessors() * 2);
    }

    /** A guard with at least {@code stripes} stripes (rounded up to a power of two). */
    public DeviceGuard(int stripes) {
        if (stripes <= 0) {
            throw new IllegalArgumentException("stripes must be positive: " + stripes);
        }
        int n = Integer.highestOneBit(Math.max(1, stripes - 1)) << 1;
        n = stripes == 1 ? 1 : n;
        this.mask = n - 1;
        // one leading pad so stripe 0 does not share a line with the array header
        this.counts = new long[(n + 1) * PAD];
    }

    private int slot() {
        return (((int) Thread.currentThread().threadId() & mask) + 1) * PAD;
    }

    /**
     * Enters a guarded section: true if the device is still plugged (then {@link #exit()} must
     * follow, in a finally), false once {@link #unplug} has begun (then do not touch the hardware
     * and do not call exit). drm_dev_enter().
     */
    public boolean enter() {
        int slot = slot();
        COUNT.getAndAdd(counts, slot, 1L);
        if ((boolean) UNPLUGGED.getVolatile(this)) {
            COUNT.getAndAdd(counts, slot, -1L);
            return false;
        }
        return true;
    }

    /** Leaves the section entered by a successful {@link #enter()}. drm_dev_exit(). */
    public void exit() {
        COUNT.getAndAdd(counts, slot(), -1L);
    }

    /** True once {@link #unplug} has begun. */
    public boolean isUnplugged() {
        return (boolean) UNPLUGGED.getVolatile(this);
    }

    /**
     * Marks the device unplugged and waits until no thread is inside a guarded section.
     * drm_dev_unplug() up to synchronize_srcu().
     *
     * @return how long the drain took
     * @throws GuardDrainTimeoutException if threads are still inside after {@code timeout}; the
     *         flag stays set, so no new thread enters
     */
    public Duration unplug(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        UNPLUGGED.setVolatile(this, true);
        int spins = 0;
        for (int s = 0; s <= mask; s++) {
            int slot = (s + 1) * PAD;
            while ((long) COUNT.getVolatile(counts, slot) != 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new GuardDrainTimeoutException(inside(), timeout);
                }
                if (++spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Threads inside a section right now (a racy sum: for messages and tests). */
    public long inside() {
        long sum = 0;
        for (int s = 0; s <= mask; s++) {
            sum += (long) COUNT.getVolatile(counts, (s + 1) * PAD);
        }
        return sum;
    }

    /** Number of stripes. */
    public int stripes() {
        return mask + 1;
    }
}
