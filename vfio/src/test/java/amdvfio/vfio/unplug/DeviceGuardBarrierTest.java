package amdvfio.vfio.unplug;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guard's promise at its sharpest: one reader entering at the instant {@link DeviceGuard#unplug}
 * starts, round after round (the store-buffering race the asymmetric barrier exists for). A
 * violation is a round where the reader's enter succeeded and unplug returned while the reader was
 * still inside. With membarrier (or with fenced readers) there is none; with the writer's barrier
 * switched off, the reader's depth store sits in its store buffer while it reads the flag as
 * {@code false}, the unplugger reads depth 0, and violations appear.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeviceGuardBarrierTest {

    private static final int ROUNDS = 100_000;
    /**
     * Rounds the switched-off race may take to show a miss; it stops at the first. With 2 M,
     * about one run in 14 saw none on this 2-core machine, and CI failed on it.
     */
    private static final int MAX_ROUNDS_TO_BREAK = 10_000_000;

    @AfterEach
    void restore() {
        DeviceGuard.testSkipWriterBarrier = false;
    }

    @Test
    void shouldAdmitNoReaderUnplugMissesWithMembarrier() throws Exception {
        assumeTrue(Membarrier.AVAILABLE, Membarrier.UNAVAILABLE);

        Race race = Race.run(() -> new DeviceGuard(1, true), ROUNDS, false);

        assertEquals(0, race.violations, race.toString());
        assertTrue(race.entered > 0 && race.refused > 0, "the race went both ways: " + race);
    }

    @Test
    void shouldAdmitNoReaderUnplugMissesWithFencedReaders() throws Exception {
        DeviceGuard.testSkipWriterBarrier = true; // fenced readers need no writer barrier

        Race race = Race.run(() -> new DeviceGuard(1, false), ROUNDS, false);

        assertEquals(0, race.violations, race.toString());
        assertTrue(race.entered > 0 && race.refused > 0, "the race went both ways: " + race);
    }

    @Test
    void shouldLetUnplugMissAReaderWhenTheWriterBarrierIsSwitchedOff() throws Exception {
        assumeTrue(Membarrier.AVAILABLE, Membarrier.UNAVAILABLE);
        DeviceGuard.testSkipWriterBarrier = true;

        Race race = Race.run(() -> new DeviceGuard(1, true), MAX_ROUNDS_TO_BREAK, true);

        assertTrue(race.violations > 0, "no violation without the writer barrier: the race did not exercise it " + race);
    }

    @Test
    void shouldUseMembarrierOnThisKernel() {
        // Linux ≥ 4.14 without a seccomp filter refusing it: the build machines; a failure names the reason
        assertTrue(new DeviceGuard().usesMembarrier(), String.valueOf(DeviceGuard.membarrierUnavailableReason()));
    }

    /** Reader and unplugger in lockstep rounds, each round on a fresh guard whose slot the reader already owns. */
    private static final class Race {
        /** Reads of {@code returned} by the reader inside its section after it saw the flag (~2 µs). */
        private static final int LOOK = 2_000;

        private volatile DeviceGuard guard;
        private volatile int published;
        private volatile int readerReady;
        private volatile int go;
        private volatile int returned;
        private volatile int readerDone;
        private volatile int skew;
        long violations;
        long entered;
        long refused;
        int rounds;

        static Race run(java.util.function.Supplier<DeviceGuard> guards, int maxRounds, boolean stopAtFirst)
                throws InterruptedException {
            Race race = new Race();
            Thread reader = earlyFreeSlotThread(() -> race.read(maxRounds));
            reader.start();
            race.unplugRounds(guards, maxRounds, stopAtFirst);
            reader.join();
            return race;
        }

        /**
         * A reader whose slot is among the first the drain reads and is free: the race is between
         * the flag store and the drain's read of that slot, so a slot read late (after ~100 other
         * lines) would give the reader's store buffer time to drain and hide a broken barrier.
         */
        private static Thread earlyFreeSlotThread(Runnable task) {
            for (int i = 0; i < 20 * ReaderSlots.SLOTS; i++) {
                Thread t = Thread.ofPlatform().name("guard-reader").unstarted(task); // ids are given at construction
                int base = ReaderSlots.base(t.threadId());
                if (base <= 4 * ReaderSlots.PAD && ReaderSlots.COUNTS[base] == 0) {
                    return t;
                }
            }
            throw new AssertionError("no free reader slot among the first four");
        }

        private void unplugRounds(java.util.function.Supplier<DeviceGuard> guards, int maxRounds, boolean stopAtFirst) {
            for (int r = 1; r <= maxRounds; r++) {
                DeviceGuard g = guards.get();
                guard = g;
                published = r;
                int round = r;
                spinUntil(() -> readerReady == round);
                go = r;
                int s = 0;
                for (int k = r % 97; k > 0; k--) {
                    s += skew; // a few ns each: sweeps the two threads' skew across the race window
                }
                skew = s;
                g.unplug(Duration.ofSeconds(30));
                returned = r;
                spinUntil(() -> readerDone == round);
                rounds = r;
                if (stopAtFirst && violations > 0) {
                    published = -1; // tells the reader to stop
                    return;
                }
            }
        }

        private void read(int maxRounds) {
            for (int r = 1; r <= maxRounds; r++) {
                int round = r;
                spinUntil(() -> published == round || published == -1);
                if (published == -1) {
                    return;
                }
                DeviceGuard g = guard;
                if (g.enter()) { // claims the slot now, outside the race
                    g.exit();
                }
                if (ReaderSlots.COUNTS[ReaderSlots.base(Thread.currentThread().threadId())] != Thread.currentThread().threadId()) {
                    throw new IllegalStateException("the reader has no slot of its own");
                }
                readerReady = r;
                spinUntil(() -> go == round);
                if (g.enter()) {
                    entered++;
                    spinUntil(g::isUnplugged);
                    for (int k = 0; k < LOOK; k++) {
                        if (returned == round) {
                            violations++;
                            break;
                        }
                    }
                    g.exit();
                } else {
                    refused++;
                }
                readerDone = r;
            }
        }

        private static void spinUntil(BooleanSupplier condition) {
            while (!condition.getAsBoolean()) {
                Thread.onSpinWait();
            }
        }

        @Override
        public String toString() {
            return "rounds " + rounds + ", entered " + entered + ", refused " + refused + ", violations " + violations;
        }
    }
}
