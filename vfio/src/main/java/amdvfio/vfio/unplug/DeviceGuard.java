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
 * <h2>Design: an asymmetric barrier</h2>
 * Every register access pays enter+exit and unplug happens once in a device's life, so the
 * readers get no locked instruction and no fence, and the one writer pays for both sides with
 * {@link Membarrier} ({@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}), the scheme of
 * liburcu's "memb" flavour and of the kernel's own SRCU fast path.
 * <ul>
 * <li>A thread owns a <em>reader slot</em> of the process-wide {@link ReaderSlots} table (slot
 * {@code threadId & 127}, claimed once by CAS; a dead owner's idle slot is reclaimed), shared by
 * all guards as drm's {@code drm_unplug_srcu} is shared by all devices. The slot holds two
 * monotonic counters, {@code entries} and {@code exits}, on their own 128-byte line, written only
 * by the owner; the thread is inside while they differ. {@code enter()}: entries+1 (opaque store),
 * then read {@code unplugged} (acquire load). {@code exit()}: exits+1 (release store). x86: plain
 * {@code mov}s and no fence. Monotonic counters rather than a depth, so that a drain can wait for
 * the sections begun before a snapshot (a grace period) even while the thread keeps entering other
 * devices' sections, which would keep a shared depth from ever reading 0.</li>
 * <li>A thread whose slot is owned by another live thread uses the <em>shared stripes</em>, the
 * previous Dekker scheme: an atomic add on a striped counter, then a volatile read of the flag.</li>
 * <li>{@code unplug()}: {@code unplugged = true} (volatile), {@code membarrier()}, then a grace
 * period: snapshot every slot's entries and wait until its exits reach the snapshot (every section
 * begun before has closed, whatever device it was for; sections are short), and wait until every
 * stripe of this guard reads 0.</li>
 * </ul>
 *
 * <h2>Why it is correct</h2>
 * <b>Slots.</b> The argument is below the Java memory model, because the JMM knows nothing of
 * membarrier; it rests on three facts.
 * <ol>
 * <li><b>The emitted code keeps the reader's order</b>: the entries store comes before the flag load
 * in the instruction stream. The JMM alone would allow a store followed by a load of another
 * variable to be reordered (only {@code fullFence}/volatile forbid that, and they emit the locked
 * instruction this design removes). HotSpot does not reorder them: every VarHandle access with a
 * memory order other than plain is an unsafe access that C2 brackets with {@code MemBarCPUOrder}
 * nodes ({@code C2Access::needs_cpu_membar()} and {@code C2AccessFence},
 * src/hotspot/share/gc/shared/c2/barrierSetC2.cpp: "Memory barrier to prevent normal and 'unsafe'
 * accesses from bypassing each other"), a compiler-only barrier no memory node crosses; C1 and the
 * interpreter do not schedule memory operations at all. The same role as liburcu's
 * {@code cmm_barrier()} between the reader's store and load. This is the one place the guard
 * relies on HotSpot rather than on the specification.</li>
 * <li><b>membarrier</b>: when it returns, every thread that was running has executed a full
 * barrier at some point P of its instruction stream, and every thread not running is ordered by
 * its last context switch (the man page: "all running threads ... have passed through a state in
 * which all memory accesses to user-space addresses match program order").</li>
 * <li><b>The flag is visible before P</b>: the unplugger's volatile store is followed by a full
 * fence and by the syscall's own {@code smp_mb()} before any IPI is sent.</li>
 * </ol>
 * Take a reader R whose {@code enter()} succeeds, racing {@code unplug()}. If R's entries store
 * is before P, it is globally visible when membarrier returns, so the snapshot taken after it
 * counts R's entry and the drain waits for R's exit. If the entries store is after P, R's flag load is after P too (fact 1) and so sees
 * {@code true} (fact 3): R fails, counts an exit and never touches the hardware. A reader that
 * starts after membarrier returned fails the same way. So after the drain no slot owner is inside
 * and none can enter; counting a failing enter's exit only makes the drain wait a little. The
 * exit is a release store and the drain's read of it a volatile (so acquiring) load, so what the
 * section did happens-before {@code unplug()} returns.
 *
 * <p><b>Stripes</b> are correct by the JMM alone: the add and the flag read are synchronization
 * actions, so an enter that saw {@code false} had its add before the flag store in the
 * synchronization order, and the drain, reading after that store, sees the add until its matching
 * decrement.
 *
 * <p><b>Without membarrier</b> ({@link #usesMembarrier()} false: Linux before 4.14, a seccomp
 * filter, another OS; {@link #membarrierUnavailableReason()} says which) the entries store is
 * a volatile store instead, which makes the slot argument the stripes' one: one locked instruction
 * per enter, none per exit.
 *
 * <p>Nesting ({@code enter} inside a section on the same thread) works: the slot or the stripe
 * just counts twice. A thread that claims a slot while inside a stripe-counted section keeps
 * exiting that section through the stripe: exit uses the slot only while its entries exceed its
 * exits, and sections nest. Calling {@link #unplug} from inside a guarded section waits for itself and
 * times out — never do that (early fini runs on the teardown thread, which holds no section).
 *
 * <p>Threading: {@link #enter()}/{@link #exit()} from any number of threads, platform or virtual;
 * {@link #unplug} from any thread, any number of times (later calls just wait for the drain again).
 */
public final class DeviceGuard {

    private static final int PAD = ReaderSlots.PAD;
    private static final int ENTRIES = ReaderSlots.ENTRIES;
    private static final int EXITS = ReaderSlots.EXITS;
    private static final long[] SLOTS = ReaderSlots.COUNTS;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle UNPLUGGED;

    /** Tests only: unplug() skips membarrier, so slot readers race it unprotected (DeviceGuardBarrierTest). */
    static boolean testSkipWriterBarrier;

    static {
        try {
            UNPLUGGED = MethodHandles.lookup().findVarHandle(DeviceGuard.class, "unplugged", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Per stripe, at ((i + 1) * PAD): threads inside through the stripe path. */
    private final long[] stripes;
    private final int stripeMask;
    private final boolean asymmetric;
    @SuppressWarnings("unused") // accessed through UNPLUGGED
    private volatile boolean unplugged;

    /** A guard with one stripe per processor (rounded up), using membarrier where the kernel offers it. */
    public DeviceGuard() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A guard with at least {@code stripes} stripes for threads without a slot (rounded up to a power of two). */
    public DeviceGuard(int stripes) {
        this(stripes, Membarrier.AVAILABLE);
    }

    /** Tests: {@code asymmetric == false} forces the fenced-reader scheme used without membarrier. */
    DeviceGuard(int stripes, boolean asymmetric) {
        if (stripes <= 0) {
            throw new IllegalArgumentException("stripes must be positive: " + stripes);
        }
        if (asymmetric && !Membarrier.AVAILABLE) {
            throw new IllegalStateException(Membarrier.UNAVAILABLE);
        }
        int n = stripes == 1 ? 1 : Integer.highestOneBit(stripes - 1) << 1;
        this.stripeMask = n - 1;
        // one leading pad so stripe 0 does not share a line with the array header
        this.stripes = new long[(n + 1) * PAD];
        this.asymmetric = asymmetric;
    }

    /**
     * Enters a guarded section: true if the device is still plugged (then {@link #exit()} must
     * follow, in a finally), false once {@link #unplug} has begun (then do not touch the hardware
     * and do not call exit). drm_dev_enter().
     */
    public boolean enter() {
        long id = Thread.currentThread().threadId();
        int base = ReaderSlots.base(id);
        if (SLOTS[base] != id) {
            return enterUnowned(id);
        }
        long entries = SLOTS[base + ENTRIES] + 1;
        boolean lost;
        if (asymmetric) {
            LONGS.setOpaque(SLOTS, base + ENTRIES, entries);
            lost = (boolean) UNPLUGGED.getAcquire(this); // HotSpot keeps it after the store (class comment, fact 1)
        } else {
            LONGS.setVolatile(SLOTS, base + ENTRIES, entries);
            lost = (boolean) UNPLUGGED.getVolatile(this);
        }
        if (lost) {
            LONGS.setRelease(SLOTS, base + EXITS, SLOTS[base + EXITS] + 1);
            return false;
        }
        return true;
    }

    /** Leaves the section entered by a successful {@link #enter()}. drm_dev_exit(). */
    public void exit() {
        long id = Thread.currentThread().threadId();
        int base = ReaderSlots.base(id);
        if (SLOTS[base] == id) {
            long exits = SLOTS[base + EXITS];
            if (SLOTS[base + ENTRIES] != exits) {
                LONGS.setRelease(SLOTS, base + EXITS, exits + 1);
                return;
            }
        }
        LONGS.getAndAdd(stripes, stripe(id), -1L);
    }

    private int stripe(long id) {
        return (((int) id & stripeMask) + 1) * PAD;
    }

    private boolean enterUnowned(long id) {
        if (ReaderSlots.claim(id)) {
            return enter();
        }
        int stripe = stripe(id);
        LONGS.getAndAdd(stripes, stripe, 1L);
        if ((boolean) UNPLUGGED.getVolatile(this)) {
            LONGS.getAndAdd(stripes, stripe, -1L);
            return false;
        }
        return true;
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
        int spins = 0;
        UNPLUGGED.setVolatile(this, true);
        if (asymmetric && !testSkipWriterBarrier) {
            Membarrier.barrier();
        }
        long[] entries = ReaderSlots.entriesSnapshot();
        for (int s = 0; s < entries.length; s++) {
            while (!ReaderSlots.closedUpTo(s, entries[s])) {
                spins = pause(spins, deadline, timeout);
            }
        }
        for (int s = 0; s <= stripeMask; s++) {
            while ((long) LONGS.getVolatile(stripes, (s + 1) * PAD) != 0) {
                spins = pause(spins, deadline, timeout);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The drain's wait: spin a little, then park; time out with the count still inside. A method,
     * not a class: a removal is often the process's first, and loading a class on its path cost
     * a few hundred microseconds in a fresh JVM.
     */
    private int pause(int spins, long deadline, Duration timeout) {
        if (System.nanoTime() - deadline > 0) {
            throw new GuardDrainTimeoutException(inside(), timeout);
        }
        if (spins < 1000) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(20_000);
        }
        return spins + 1;
    }

    /**
     * Sections open right now, a racy sum for messages and tests: this guard's stripes plus every
     * slot's open sections, whatever guard they entered (the slots are shared by all guards).
     */
    public long inside() {
        long sum = ReaderSlots.open();
        for (int s = 0; s <= stripeMask; s++) {
            sum += (long) LONGS.getVolatile(stripes, (s + 1) * PAD);
        }
        return sum;
    }

    /** Stripes of this guard (for threads whose reader slot another live thread owns). */
    public int stripes() {
        return stripeMask + 1;
    }

    /** True when readers pay no fence because unplug uses membarrier; false: a fence per enter. */
    public boolean usesMembarrier() {
        return asymmetric;
    }

    /** Why this process cannot use membarrier, or null when it can. */
    public static String membarrierUnavailableReason() {
        return Membarrier.UNAVAILABLE;
    }
}
