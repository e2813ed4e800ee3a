package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ordering, ring wrap, cross-device dependencies, lost interrupts and hang recovery. */
class SchedulingTest {

    static Stream<Arguments> profiles() {
        return SimFixture.profiles().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void hundredThousandSmallJobsWrapTheRingAndSignalInOrder(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 4096);
            MemorySegment cpu = f.client.map(bo);
            int jobs = 100_000;
            AtomicLong lastSeq = new AtomicLong(-1);
            AtomicLong outOfOrder = new AtomicLong();
            Fence last = null;
            for (int i = 0; i < jobs; i++) {
                Fence fence = f.client.submit(Job.builder().writeDword(bo, (i & 63) * 4, i).build());
                fence.onComplete(x -> {
                    if (x.seq() <= lastSeq.getAndSet(x.seq())) {
                        outOfOrder.incrementAndGet();
                    }
                });
                last = fence;
            }
            assertTrue(f.client.await(last, Duration.ofSeconds(60)), "last of 100000 jobs completes");
            // callbacks run after the waiters are woken (Fence.complete): give the last one time to run
            long until = System.nanoTime() + 5_000_000_000L;
            while (lastSeq.get() != last.seq() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(0, outOfOrder.get(), "fences signalled in submission order");
            assertEquals(last.seq(), lastSeq.get());
            for (int slot = 0; slot < 64; slot++) {
                int expected = jobs - 64 + ((slot - (jobs - 64)) & 63);
                assertEquals(expected, cpu.get(ValueLayout.JAVA_INT, slot * 4L), "slot " + slot);
            }
            // the engine's 64-bit monotonic rptr against the ring size the driver programmed
            int rbCntl = f.card.peekRegister(profile.sdmaRegister(0, profile.sdmaRegs(0).rbCntl));
            long ringBytes = 4L << profile.sdmaRegs(0).rbSize.get(rbCntl);
            long consumed = f.card.engine(0).rptr();
            assertTrue(consumed > 10 * ringBytes, "the ring wrapped many times: " + consumed + " bytes through a "
                    + ringBytes + "-byte ring");
        }
    }

    /**
     * Two devices on one bus: device a's engine is hung with one job in flight, so its fence cannot
     * complete on its own; device b has a job writing 2 to {@code out} that depends on it.
     */
    private static final class CrossDeviceWait implements AutoCloseable {
        final SimBus bus = new SimBus();
        final SimFixture a;
        final SimFixture b;
        final Fence onA;
        final Fence dependent;
        final MemorySegment outCpu;
        final BufferObject out;

        CrossDeviceWait(SimProfile profile) {
            a = new SimFixture(bus, false, "0000:03:00.0", profile, SimConfig.defaults(), SimFixture.FAST);
            b = new SimFixture(bus, false, "0000:04:00.0", SimProfile.NAVI10, SimConfig.defaults(), SimFixture.FAST);
            BufferObject slow = a.client.allocate(Domain.GTT, 4096);
            out = b.client.allocate(Domain.GTT, 4096);
            outCpu = b.client.map(out);
            a.card.hangEngine(0);
            onA = a.client.submit(Job.builder().writeDword(slow, 0, 1).build());
            Fence imported = b.client.importFence(a.client.exportFence(onA));
            dependent = b.client.submit(Job.builder().dependsOn(imported).writeDword(out, 0, 2).build());
        }

        @Override
        public void close() {
            try {
                b.close();
            } finally {
                try {
                    a.close();
                } finally {
                    bus.close();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void jobWaitsForAFenceOfAnotherDevice(SimProfile profile) throws Exception {
        try (CrossDeviceWait w = new CrossDeviceWait(profile)) {
            // the other engine is hung: its fence cannot complete, so nothing here is a race
            assertFalse(w.dependent.isComplete(), "held back while the other device's fence is pending");
            assertEquals(0, w.outCpu.get(ValueLayout.JAVA_INT, 0));
            w.a.card.unhangEngine(0);
            assertTrue(w.b.client.await(w.dependent, Duration.ofSeconds(5)));
            assertTrue(w.onA.isSignaled());
            assertEquals(2, w.outCpu.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void jobWaitingOnALostDevicesFenceIsCanceledAndItsOwnDeviceCarriesOn(SimProfile profile) throws Exception {
        try (CrossDeviceWait w = new CrossDeviceWait(profile)) {
            assertFalse(w.dependent.isComplete()); // a's fence can only end by the loss: no timing involved
            w.a.card.surpriseRemove();
            assertTrue(w.b.client.await(w.dependent, Duration.ofSeconds(10)), "the dependent job completed");
            assertEquals(FenceError.DEVICE_LOST, w.onA.error(), "the dependency failed with its device");
            assertEquals(FenceError.CANCELED, w.dependent.error(), "the rule: a failed dependency cancels, whatever its error");
            assertEquals(0, w.outCpu.get(ValueLayout.JAVA_INT, 0), "the canceled job did not run");
            Fence later = w.b.client.submit(Job.builder().writeDword(w.out, 4, 3).build());
            assertTrue(w.b.client.await(later, Duration.ofSeconds(5)));
            assertNull(later.error(), "the live device is not affected");
            assertEquals(3, w.outCpu.get(ValueLayout.JAVA_INT, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void lostInterruptsStillCompleteFencesThroughTheFallbackPoll(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 4096);
            f.card.dropInterrupts(1_000);
            long signalledBefore = f.card.ih().msisSignalled();
            long droppedBefore = f.card.ih().msisDropped();
            List<Fence> fences = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fences.add(f.client.submit(Job.builder().writeDword(bo, 0, i).build()));
            }
            for (Fence fence : fences) {
                assertTrue(f.client.await(fence, Duration.ofSeconds(3)), "completed without its interrupt");
                assertNull(fence.error());
            }
            assertEquals(signalledBefore, f.card.ih().msisSignalled(), "no interrupt reached the driver");
            assertTrue(f.card.ih().msisDropped() > droppedBefore, "the jobs' interrupts were raised and dropped");
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void hungEngineTimesOutRecoversAndLaterJobsSucceed(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 4096);
            MemorySegment cpu = f.client.map(bo);
            f.card.hangEngine(0);
            Fence guilty = f.client.submit(Job.builder().writeDword(bo, 0, 1).build());
            assertTrue(f.client.await(guilty, Duration.ofSeconds(10)), "the hung job is given up on");
            assertEquals(FenceError.TIMEOUT, guilty.error());
            assertEquals(1, f.gpu.recoveries());
            Fence after = f.client.submit(Job.builder().writeDword(bo, 4, 7).build());
            assertTrue(f.client.await(after, Duration.ofSeconds(5)));
            assertNull(after.error());
            assertEquals(7, cpu.get(ValueLayout.JAVA_INT, 4));
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void jobsQueuedBehindAHungOneAreResubmittedAfterRecovery(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 4096);
            MemorySegment cpu = f.client.map(bo);
            f.card.hangEngine(0);
            Fence guilty = f.client.submit(Job.builder().writeDword(bo, 0, 1).build());
            Fence next = f.client.submit(Job.builder().writeDword(bo, 8, 9).build());
            assertTrue(f.client.await(next, Duration.ofSeconds(10)));
            assertEquals(FenceError.TIMEOUT, guilty.error());
            assertNull(next.error(), "the innocent job ran after the reset");
            assertEquals(9, cpu.get(ValueLayout.JAVA_INT, 8));
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void jobDependingOnAFailedFenceIsCanceled(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 4096);
            MemorySegment cpu = f.client.map(bo);
            f.card.hangEngine(0);
            Fence guilty = f.client.submit(Job.builder().writeDword(bo, 0, 1).build());
            Fence dependent = f.client.submit(Job.builder().onRing(1).dependsOn(guilty).writeDword(bo, 4, 5).build());
            assertTrue(f.client.await(dependent, Duration.ofSeconds(10)));
            assertEquals(FenceError.CANCELED, dependent.error());
            assertEquals(0, cpu.get(ValueLayout.JAVA_INT, 4), "the canceled job did not run");
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyRingRunsJobsAndCallbacksSeeCompletion(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.VRAM, 4096);
            MemorySegment cpu = f.client.map(bo);
            ConcurrentLinkedQueue<Fence> done = new ConcurrentLinkedQueue<>();
            List<Fence> fences = new ArrayList<>();
            for (int r = 0; r < f.gpu.ringCount(); r++) {
                Fence fence = f.client.submit(Job.builder().onRing(r).writeDword(bo, r * 4L, 100 + r).build());
                fence.onComplete(done::add);
                fences.add(fence);
            }
            for (Fence fence : fences) {
                assertTrue(f.client.awaitPolling(fence, Duration.ofSeconds(5)));
            }
            for (int r = 0; r < f.gpu.ringCount(); r++) {
                assertEquals(100 + r, cpu.get(ValueLayout.JAVA_INT, r * 4L));
            }
            // Callbacks run on the completing thread right after the fence is published, so give them a moment.
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (done.size() < f.gpu.ringCount() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(f.gpu.ringCount(), done.size(), "every completion callback ran");
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void closingTheDeviceFailsPendingJobsWithDeviceLost(SimProfile profile) throws Exception {
        SimFixture f = new SimFixture(profile);
        GpuClient client = f.client;
        BufferObject bo = client.allocate(Domain.GTT, 4096);
        f.card.hangEngine(0);
        Fence pending = client.submit(Job.builder().writeDword(bo, 0, 1).build());
        f.gpu.close();
        assertTrue(pending.isComplete());
        assertEquals(FenceError.DEVICE_LOST, pending.error());
        assertEquals(-19, pending.error().errno());
        f.close();
    }
}
