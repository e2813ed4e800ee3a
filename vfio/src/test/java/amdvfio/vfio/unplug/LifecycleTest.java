package amdvfio.vfio.unplug;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class LifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void shouldRunEarlyFiniInReverseRegistrationOrderOffTheTriggeringThread() throws Exception {
        Lifecycle life = new Lifecycle("0000:03:00.0");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        for (String block : List.of("release-device", "gmc_v10_0", "ih_v5_0", "sdma_v5_0", "unplug-guard")) {
            life.addEarlyFini(block, () -> {
                ran.add(block);
                threads.add(Thread.currentThread().getName());
            });
        }
        assertTrue(life.activate());

        // as the event loop would: the trigger returns at once, teardown runs elsewhere
        Thread irq = Thread.ofPlatform().name("amdvfio-irq-0000:03:00.0").start(() -> life.trigger(LossReason.REQ));
        irq.join();

        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        assertEquals(List.of("unplug-guard", "sdma_v5_0", "ih_v5_0", "gmc_v10_0", "release-device"), ran);
        assertTrue(threads.stream().allMatch(t -> t.equals("amdvfio-teardown-0000:03:00.0")), threads.toString());
        assertEquals(LossReason.REQ, life.lossReason());
    }

    static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).toList();
    }

    @Test
    void shouldHaveTheTeardownThreadWaitingBeforeTheLossSoTheRemovalCreatesNone() throws Exception {
        Lifecycle life = new Lifecycle("0000:05:00.0");
        List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
        life.addEarlyFini("release-device", () -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(), threadsNamed("amdvfio-teardown-0000:05:00.0"), "no thread before activation");

        assertTrue(life.activate());
        List<Thread> waiting = threadsNamed("amdvfio-teardown-0000:05:00.0");
        assertEquals(1, waiting.size(), "activation starts the teardown thread");
        assertEquals(Lifecycle.State.ACTIVE, life.state(), "it waits: no fini before the loss");
        life.trigger(LossReason.REQ);

        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        assertEquals(waiting, ranOn, "early fini ran on the thread that existed before the loss");
        waiting.get(0).join(WAIT.toMillis());
        assertFalse(waiting.get(0).isAlive(), "and it ends after the teardown");
    }

    @Test
    void shouldTearDownExactlyOnceWhenReqAndErrArriveTogether() throws Exception {
        for (int round = 0; round < 50; round++) {
            Lifecycle life = new Lifecycle("dev" + round);
            AtomicInteger earlyRuns = new AtomicInteger();
            AtomicInteger lateRuns = new AtomicInteger();
            life.addEarlyFini("stop", earlyRuns::incrementAndGet);
            life.addLateFini("free", lateRuns::incrementAndGet);
            life.activate();
            LossReason[] reasons = {LossReason.REQ, LossReason.ERR_FATAL, LossReason.SURPRISE, LossReason.CLOSE};
            CyclicBarrier start = new CyclicBarrier(reasons.length);
            AtomicInteger winners = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (LossReason r : reasons) {
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    if (life.trigger(r)) {
                        winners.incrementAndGet();
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }

            assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
            assertEquals(1, winners.get(), "exactly one trigger wins");
            assertEquals(1, earlyRuns.get(), "early fini ran once");
            assertEquals(1, lateRuns.get(), "late fini ran once");
            TeardownReport report = life.report();
            assertEquals(3, report.ignoredTriggers().size());
            assertFalse(report.ignoredTriggers().contains(report.reason()));
        }
    }

    @Test
    void shouldRecordTheTimeOfEachStepAndPhase() throws Exception {
        Lifecycle life = new Lifecycle("dev");
        life.addEarlyFini("slow-copy", () -> Thread.sleep(30));
        life.addEarlyFini("fast", () -> { });
        life.addLateFini("free", () -> Thread.sleep(10));
        life.activate();

        life.trigger(LossReason.REQ);
        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        TeardownReport r = life.report();

        assertTrue(r.step("slow-copy").orElseThrow().nanos() >= 30_000_000L, r.toString());
        assertTrue(r.step("fast").orElseThrow().nanos() < 30_000_000L);
        assertTrue(r.phaseNanos(TeardownReport.Phase.EARLY_FINI) >= 30_000_000L);
        assertTrue(r.phaseNanos(TeardownReport.Phase.LATE_FINI) >= 10_000_000L);
        assertTrue(r.nanosIn(Lifecycle.State.UNPLUGGING) >= 30_000_000L);
        assertEquals(0, r.enteredAfterTrigger(Lifecycle.State.UNPLUGGING));
        assertTrue(r.enteredAfterTrigger(Lifecycle.State.RELEASED) >= r.enteredAfterTrigger(Lifecycle.State.DETACHED));
        assertNotNull(r.triggeredAt());
        assertEquals(Lifecycle.State.RELEASED, r.state());
    }

    @Test
    void shouldRunLateFiniOnlyWhenTheLastClientReleases() throws Exception {
        Lifecycle life = new Lifecycle("dev");
        List<String> lateThreads = Collections.synchronizedList(new ArrayList<>());
        life.addLateFini("free-rings", () -> lateThreads.add(Thread.currentThread().getName()));
        life.activate();
        assertTrue(life.acquire());
        assertTrue(life.acquire());

        life.trigger(LossReason.SURPRISE);
        assertTrue(life.awaitState(Lifecycle.State.DETACHED, WAIT));
        Thread.sleep(20);
        assertEquals(Lifecycle.State.DETACHED, life.state(), "clients alive: no late fini yet");
        assertEquals(2, life.clientReferences());
        life.release();
        assertTrue(lateThreads.isEmpty());
        life.release();

        assertEquals(Lifecycle.State.RELEASED, life.state());
        assertEquals(List.of(Thread.currentThread().getName()), lateThreads, "the last release runs late fini");
    }

    @Test
    void shouldRunLateFiniOnTheTeardownThreadWhenNoClientIsLeft() throws Exception {
        Lifecycle life = new Lifecycle("dev");
        List<String> lateThreads = Collections.synchronizedList(new ArrayList<>());
        life.addLateFini("free", () -> lateThreads.add(Thread.currentThread().getName()));
        life.activate();
        assertTrue(life.acquire());
        life.release();

        life.trigger(LossReason.CLOSE);

        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        assertEquals(List.of("amdvfio-teardown-dev"), lateThreads);
    }

    @Test
    void shouldRecordAFailingStepAndStillRunTheRest() throws Exception {
        Lifecycle life = new Lifecycle("dev");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        life.addEarlyFini("close-fds", () -> ran.add("close-fds"));
        life.addEarlyFini("disable-irqs", () -> {
            throw new IllegalStateException("SET_IRQS failed: ENODEV");
        });
        life.addEarlyFini("stop-sched", () -> ran.add("stop-sched"));
        life.activate();

        life.trigger(LossReason.ERR_FATAL);
        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        TeardownReport r = life.report();

        assertEquals(List.of("stop-sched", "close-fds"), ran);
        assertEquals(1, r.failures().size());
        assertEquals("disable-irqs", r.failures().get(0).name());
        assertEquals("SET_IRQS failed: ENODEV", r.failures().get(0).failure().getMessage());
    }

    @Test
    void shouldRefuseNewClientsAndRegistrationsAfterLoss() throws Exception {
        Lifecycle life = new Lifecycle("dev");
        life.activate();
        life.trigger(LossReason.REQ);

        assertFalse(life.acquire());
        assertThrows(IllegalStateException.class, () -> life.addEarlyFini("late", () -> { }));
        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        assertThrows(IllegalStateException.class, life::release);
    }

    @Test
    void shouldReportALossDuringProbeWhenActivating() throws Exception {
        Lifecycle life = new Lifecycle("dev");

        assertTrue(life.trigger(LossReason.SURPRISE));

        assertFalse(life.activate());
        assertTrue(life.awaitState(Lifecycle.State.RELEASED, WAIT));
        assertEquals(-1, life.report().enteredAfterTrigger(Lifecycle.State.ACTIVE));
    }
}
