package amdvfio.vfio.unplug;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class DeviceGuardTest {

    @Test
    void shouldLetThreadsEnterUntilUnplugged() {
        DeviceGuard guard = new DeviceGuard();

        assertTrue(guard.enter());
        guard.exit();
        guard.unplug(Duration.ofSeconds(1));

        assertFalse(guard.enter());
        assertTrue(guard.isUnplugged());
        assertEquals(0, guard.inside());
    }

    @Test
    void shouldWaitForAThreadInsideBeforeUnplugReturns() throws Exception {
        DeviceGuard guard = new DeviceGuard();
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean exited = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            assertTrue(guard.enter());
            entered.countDown();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            exited.set(true); // a plain-ish write in the section, published by exit()
            guard.exit();
        });
        entered.await();

        Duration took = guard.unplug(Duration.ofSeconds(5));

        assertTrue(exited.get(), "unplug returned while a thread was still inside");
        assertTrue(took.toMillis() >= 50, "drain took " + took);
        t.join();
    }

    @Test
    void shouldTimeOutWithTheCountWhenAThreadNeverLeaves() {
        DeviceGuard guard = new DeviceGuard();
        assertTrue(guard.enter());

        GuardDrainTimeoutException e = assertThrows(GuardDrainTimeoutException.class,
                () -> guard.unplug(Duration.ofMillis(50)));

        assertEquals(1, e.inside());
        assertFalse(guard.enter(), "the flag stays set after a timed-out drain");
        guard.exit();
        assertDoesNotThrow(() -> guard.unplug(Duration.ofMillis(50)), "drains once the last thread exits");
    }

    @Test
    void shouldNestOnOneThread() {
        DeviceGuard guard = new DeviceGuard(1);
        assertTrue(guard.enter());
        assertTrue(guard.enter());
        guard.exit();
        assertEquals(1, guard.inside());
        guard.exit();
        assertEquals(0, guard.inside());
    }

    /**
     * Outcomes: a worker that entered is counted in {@code inside} while in its section; when
     * unplug returns, {@code inside} must be 0 (no thread in a section) and no enter may succeed
     * afterwards (checked by the workers themselves through {@code lateEnter}).
     */
    @Test
    void shouldLeaveNoThreadInsideAndAdmitNoneAfterUnplugUnderStress() throws Exception {
        for (int round = 0; round < 20; round++) {
            DeviceGuard guard = new DeviceGuard(4);
            AtomicInteger insideNow = new AtomicInteger();
            AtomicBoolean unplugReturned = new AtomicBoolean();
            AtomicLong lateEnter = new AtomicLong();
            AtomicLong entries = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        if (guard.enter()) {
                            if (unplugReturned.get()) {
                                lateEnter.incrementAndGet();
                            }
                            insideNow.incrementAndGet();
                            entries.incrementAndGet();
                            Thread.onSpinWait();
                            insideNow.decrementAndGet();
                            guard.exit();
                        }
                    }
                }));
            }
            long until = System.nanoTime() + 5_000_000_000L;
            while (entries.get() < 1000 && System.nanoTime() < until) {
                Thread.onSpinWait(); // let the workers get going: the race is with threads inside
            }

            guard.unplug(Duration.ofSeconds(10));
            int atReturn = insideNow.get();
            unplugReturned.set(true);
            Thread.sleep(2);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }

            assertEquals(0, atReturn, "threads inside a section when unplug returned (round " + round + ")");
            assertEquals(0, lateEnter.get(), "enters that succeeded after unplug returned (round " + round + ")");
            assertTrue(entries.get() > 0, "the workers did enter before the unplug");
            assertEquals(0, guard.inside());
        }
    }

    /**
     * Two live threads whose ids share a reader slot: the second counts itself on the guard's
     * stripes, and unplug waits for it there.
     */
    @Test
    void shouldCountAThreadWhoseSlotIsTakenOnTheStripes() throws Exception {
        DeviceGuard guard = new DeviceGuard(2);
        CountDownLatch ownerClaimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().start(() -> {
            assertTrue(guard.enter());
            guard.exit();
            ownerClaimed.countDown();
            await(release);
        });
        ownerClaimed.await();
        Thread sharer = unstartedThreadSharingTheSlotOf(owner, () -> {
            assertTrue(guard.enter());
            try {
                await(release);
            } finally {
                guard.exit();
            }
        });
        sharer.start();
        long slotsOpen = ReaderSlots.open();
        while (guard.inside() == slotsOpen) {
            Thread.onSpinWait(); // until the sharer is counted
        }

        assertEquals(owner.threadId(), ReaderSlots.COUNTS[ReaderSlots.base(owner.threadId())], "the owner keeps its slot");
        assertThrows(GuardDrainTimeoutException.class, () -> guard.unplug(Duration.ofMillis(20)),
                "unplug returned while the stripe-counted thread was inside");
        release.countDown();
        sharer.join();
        owner.join();
        assertDoesNotThrow(() -> guard.unplug(Duration.ofSeconds(5)));
        assertEquals(slotsOpen, guard.inside());
    }

    private static Thread unstartedThreadSharingTheSlotOf(Thread owner, Runnable task) {
        int slot = ReaderSlots.base(owner.threadId());
        for (int i = 0; i < 10 * ReaderSlots.SLOTS; i++) {
            Thread t = Thread.ofPlatform().unstarted(task); // ids are handed out at construction
            if (ReaderSlots.base(t.threadId()) == slot) {
                return t;
            }
        }
        throw new AssertionError("no thread id shared the owner's slot");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }
}
