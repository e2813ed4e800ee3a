package amdvfio.vfio.unplug;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The process-wide reader table of {@link DeviceGuard}, the analogue of drm's one static
 * {@code drm_unplug_srcu} that every device's {@code drm_dev_enter()} reads and every
 * {@code drm_dev_unplug()} synchronizes (drivers/gpu/drm/drm_drv.c). A thread owns slot
 * {@code threadId & (SLOTS - 1)} once it has claimed it; the slot holds two monotonic counters,
 * {@code entries} and {@code exits}, written only by the owner, on a 128-byte line of their own.
 * Static, so the hot path reaches the counters without first loading a table from the guard.
 *
 * <p>A thread whose slot a live thread owns gets {@code false} from {@link #claim} and uses its
 * guard's striped atomic counters instead. A dead owner's slot is reclaimed once its counters
 * are equal (it died outside any section).
 */
final class ReaderSlots {

    /** Threads with distinct ids modulo this (any 128 consecutive thread ids) never share a slot. */
    static final int SLOTS = 128;
    private static final int MASK = SLOTS - 1;
    /** 16 longs = 128 bytes: one slot per pair of cache lines, against adjacent-line prefetch. */
    static final int PAD = 16;
    static final int ENTRIES = 1;
    static final int EXITS = 2;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

    /** Per slot, at base(id): [owner thread id, 0 = free][entries][exits]; one leading pad off the array header. */
    static final long[] COUNTS = new long[(SLOTS + 1) * PAD];
    /** The owner of each slot, to tell a dead owner (whose slot may be reclaimed) from a live one. */
    private static final Thread[] OWNERS = new Thread[SLOTS];

    private ReaderSlots() {
    }

    static int base(long threadId) {
        return (((int) threadId & MASK) + 1) * PAD;
    }

    /** Takes the current thread's slot if it is free or its owner died outside any section. */
    static boolean claim(long id) {
        int base = base(id);
        int i = (int) id & MASK;
        long owner = (long) LONGS.getVolatile(COUNTS, base);
        if (owner != 0) {
            Thread t = (Thread) THREADS.getVolatile(OWNERS, i);
            // isAlive() false: the owner's last action happens-before this (JLS 17.4.4), its counts are final
            if (t == null || t.threadId() != owner || t.isAlive() || open(base) != 0) {
                return false;
            }
        }
        if (!LONGS.compareAndSet(COUNTS, base, owner, id)) {
            return false;
        }
        THREADS.setVolatile(OWNERS, i, Thread.currentThread());
        return true;
    }

    /** Sections open on the slot at {@code base}: exits read first, so a section open across both reads counts. */
    static long open(int base) {
        long exits = (long) LONGS.getVolatile(COUNTS, base + EXITS);
        return (long) LONGS.getVolatile(COUNTS, base + ENTRIES) - exits;
    }

    /** Sections open on all slots (racy: for messages and tests). */
    static long open() {
        long sum = 0;
        for (int s = 0; s < SLOTS; s++) {
            sum += open((s + 1) * PAD);
        }
        return sum;
    }

    /** Per slot, the entries count now (volatile reads): the sections a drain must see closed. */
    static long[] entriesSnapshot() {
        long[] snapshot = new long[SLOTS];
        for (int s = 0; s < SLOTS; s++) {
            snapshot[s] = (long) LONGS.getVolatile(COUNTS, (s + 1) * PAD + ENTRIES);
        }
        return snapshot;
    }

    /** True once slot {@code s} has as many exits as {@code entries} (every section begun by then has closed). */
    static boolean closedUpTo(int s, long entries) {
        return (long) LONGS.getVolatile(COUNTS, (s + 1) * PAD + EXITS) - entries >= 0;
    }
}
