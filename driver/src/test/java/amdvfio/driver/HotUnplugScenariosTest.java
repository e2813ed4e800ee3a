package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.BufferFate.Fate;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.ExportedBuffer;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;
import amdvfio.os.Mapping;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The peer suites' hot-unplug scenarios (libdrm tests/amdgpu/hotunplug_tests.c, IGT
 * core_hotunplug; hotunplug-reference §5) plus surprise, AER and mid-probe/mid-fini removals, on
 * every profile. Unbind and sysfs remove are the simulator's orderly removal (REQ until
 * released), rescan and rebind a new card plugged at the same address. Every scenario ends with
 * {@link UnplugRig#assertSurvivedLoss} and the rig's leak check.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HotUnplugScenariosTest {

    // ------------------------------------------------------------------ libdrm hotunplug_tests.c

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void libdrmUnplugRescanIdle(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            rig.card.requestRemoval();
            rig.assertSurvivedLoss(g, c);
            assertEquals(LossReason.REQ, g.lossReason());
            rig.replug();
            rig.healthCheck();
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void libdrmUnplugDuringSubmissionLoopThenInfiniteWaitOnLastFence(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            UnplugRig.Load load = rig.load(c).warm(200);
            rig.card.requestRemoval();
            rig.assertSurvivedLoss(g, c);
            assertTrue(load.lastWaitReturned, "the infinite wait on the last fence returned");
            rig.replug();
            rig.healthCheck();
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void libdrmExportedMappedGttBufferIsWritableAfterTeardown(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            BufferObject bo = c.allocate(Domain.GTT, 4096);
            c.map(bo).set(ValueLayout.JAVA_INT, 0, 0x1234);
            try (ExportedBuffer exported = c.exportBuffer(bo);
                 Mapping shared = Mapping.map(exported.fd(), 0, 4096)) { // MAP_SHARED, as the libdrm test
                rig.card.requestRemoval();
                rig.assertSurvivedLoss(g, c);
                shared.segment().set(ValueLayout.JAVA_INT, 0, 0xdeafbeef);
                assertEquals(0xdeafbeef, c.map(bo).get(ValueLayout.JAVA_INT, 0), "GTT keeps its host memory");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void libdrmFenceImportedIntoASecondDeviceSignalsOnUnplug(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            amdvfio.vfio.PciAddress second = amdvfio.vfio.PciAddress.parse("0000:0b:00.0");
            rig.bus.plug(second, p, UnplugRig.CONFIG);
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            Gpu g2 = rig.open(second);
            GpuClient c2 = rig.client(g2);
            rig.card.hangEngine(0); // the job stays in flight until the loss force-completes it
            BufferObject bo = c.allocate(Domain.GTT, 4096);
            Fence f = rig.track(c.submit(Job.builder().fill(bo, 0, 4096, (byte) 1).onRing(0).build()));
            Fence imported = c2.importFence(c.exportFence(f));
            BufferObject bo2 = c2.allocate(Domain.GTT, 4096);
            Fence dependent = c2.submit(Job.builder().fill(bo2, 0, 4096, (byte) 2).dependsOn(imported).build());
            rig.card.requestRemoval();
            assertTrue(c2.await(imported, Duration.ofSeconds(10)), "the wait on device 2 returns");
            assertEquals(FenceError.DEVICE_LOST, imported.error());
            assertTrue(c2.await(dependent, Duration.ofSeconds(10)));
            assertEquals(FenceError.CANCELED, dependent.error(), "device 2 does not run work behind a lost fence");
            rig.assertSurvivedLoss(g, c);
            Fence late = c2.importFence(c.exportFence(f)); // export from the lost device still works
            assertTrue(c2.await(late, Duration.ofSeconds(1)));
            assertEquals(FenceError.DEVICE_LOST, late.error(), "signalled with its error");
            UnplugRig.copyCheck(c2); // device 2 is unaffected
        }
    }

    // ------------------------------------------------------------------ IGT core_hotunplug, idle and with load

    enum Igt { UNBIND_REBIND, UNPLUG_RESCAN, HOTUNBIND_REBIND, HOTUNPLUG_RESCAN, HOTREBIND, HOTREPLUG,
        HOTREBIND_LATECLOSE, HOTREPLUG_LATECLOSE }

    static List<org.junit.jupiter.params.provider.Arguments> igt() {
        return UnplugRig.profiles().flatMap(p -> java.util.Arrays.stream(Igt.values()).flatMap(t -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(p, t, false),
                org.junit.jupiter.params.provider.Arguments.of(p, t, true)))).toList();
    }

    @ParameterizedTest(name = "{1} load={2} {0}")
    @MethodSource("igt")
    void igtCoreHotunplug(SimProfile p, Igt t, boolean withLoad) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            if (withLoad) {
                rig.load(c).warm(100);
            }
            boolean closedFirst = t == Igt.UNBIND_REBIND || t == Igt.UNPLUG_RESCAN;
            if (closedFirst) { // "device closed → unbind/remove": a close is a teardown of its own
                c.close();
                g.close();
                assertEquals(Lifecycle.State.RELEASED, g.state());
                assertEquals(0, rig.card.openHandles());
            }
            rig.card.requestRemoval();
            if (!closedFirst) {
                rig.assertSurvivedLoss(g, c);
                assertEquals(LossReason.REQ, g.lossReason());
            }
            switch (t) {
                case HOTUNBIND_REBIND, HOTUNPLUG_RESCAN -> { // close, then bring it back
                    c.close();
                    assertEquals(Lifecycle.State.RELEASED, g.state(), "late fini at the last close");
                    rig.replug();
                }
                case HOTREBIND, HOTREPLUG, HOTREBIND_LATECLOSE, HOTREPLUG_LATECLOSE -> rig.replug(); // stale handle open
                default -> rig.replug();
            }
            rig.healthCheck();
            if (t == Igt.HOTREBIND_LATECLOSE || t == Igt.HOTREPLUG_LATECLOSE) {
                UnplugRig.assertMappingUsable(c.map(c.buffers().get(0))); // the stale handle still works
                c.close();
                assertEquals(Lifecycle.State.RELEASED, g.state());
                rig.healthCheck();
            }
        }
    }

    // ------------------------------------------------------------------ surprise, AER, data

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void surpriseRemovalUnderLoadIsFoundByTheHealthCheckAndVramGetsDummyMemory(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            rig.load(c).warm(100);
            rig.card.surpriseRemove();
            rig.assertSurvivedLoss(g, c);
            assertEquals(LossReason.SURPRISE, g.lossReason(), "found by the health check before REQ arrived");
            UnplugReport r = g.unplugReport();

            assertEquals(1, r.count(Fate.DUMMY), r.buffers().toString());
            assertEquals(2, r.count(Fate.KEPT), "GTT buffers (the rig's and the load's) keep their host memory");
            rig.replug();
            rig.healthCheck();
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void idleSurpriseRemovalIsTornDownWhenTheRequestFollows(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            rig.card.surpriseRemove();
            rig.assertSurvivedLoss(g, c);
            assertEquals(LossReason.SURPRISE, g.lossReason(), "a REQ on a device reading all ones is a surprise");
            rig.replug();
            rig.healthCheck();
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void fatalAerTearsDownNonFatalIsSurvived(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            rig.card.aerError(false);
            assertTrue(awaitCondition(() -> g.unplugReport().nonFatalAer() == 1), "the ERR event was handled");
            assertEquals(Lifecycle.State.ACTIVE, g.state(), "non-fatal AER: the device still answers");
            rig.load(c).warm(50);
            rig.card.aerError(true);
            rig.assertSurvivedLoss(g, c);
            // under load the health check may see the dead link before the ERR eventfd is read
            assertTrue(g.lossReason() == LossReason.ERR_FATAL || g.lossReason() == LossReason.SURPRISE, "" + g.lossReason());
            assertTrue(g.unplugReport().count(Fate.SAVED) == 0, "no save from a dead link");
            rig.replug();
            rig.healthCheck();
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void orderlyRemovalSavesVramSoMappingsKeepTheirData(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            List<BufferObject> bos = rig.buffers(c);
            BufferObject unmapped = c.allocate(Domain.VRAM, 8192);
            c.submit(Job.builder().fill(unmapped, 0, 8192, (byte) 0x77).build()).await(Duration.ofSeconds(5));
            rig.card.requestRemoval();
            rig.assertSurvivedLoss(g, c); // (writes 0xdeafbeef once per page: check the data around it)
            MemorySegment vram = c.map(bos.get(0));
            assertEquals((int) (4 * 31), vram.get(ValueLayout.JAVA_INT, 4), "saved VRAM contents in the old mapping");
            assertEquals((byte) 0x77, c.map(unmapped).get(ValueLayout.JAVA_BYTE, 8191), "a new mapping of a saved buffer");
            UnplugReport r = g.unplugReport();
            assertEquals(2, r.count(Fate.SAVED), r.buffers().toString());
            assertTrue(r.buffers().stream().filter(b -> b.fate() == Fate.SAVED).allMatch(b -> b.bytesSaved() == b.size()));
            assertTrue(r.teardown().step(Gpu.STEP_SAVE_VRAM).isPresent());
            assertEquals(1, r.reroute().mmapCalls(), "one remap for the client, not one per buffer: " + r.reroute());
            assertTrue(r.reroute().complete(), r.reroute().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void removalWithoutSaveLeavesVramReadingDummyMemoryAndBuffersMappedAfterTheLossWork(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open(rig.at, UnplugRig.OPTS.withVramSaveBudget(Duration.ZERO));
            GpuClient c = rig.client(g);
            List<BufferObject> bos = rig.buffers(c);
            BufferObject neverMapped = c.allocate(Domain.VRAM, 8192);
            c.submit(Job.builder().fill(neverMapped, 0, 8192, (byte) 0x77).build()).await(Duration.ofSeconds(5));
            rig.card.requestRemoval();
            assertTrue(g.awaitState(Lifecycle.State.DETACHED, UnplugRig.BOUND));

            MemorySegment vram = c.map(bos.get(0));
            assertEquals(0, vram.get(ValueLayout.JAVA_INT, 4), "not saved: the old mapping reads dummy memory");
            assertTrue(UnplugRig.holdsPattern(c.map(bos.get(1)), Domain.GTT), "GTT keeps its data");
            MemorySegment late = c.map(neverMapped);
            assertEquals((byte) 0, late.get(ValueLayout.JAVA_BYTE, 8191), "first mapped after the loss: dummy memory");
            UnplugRig.assertMappingUsable(late);
            rig.assertSurvivedLoss(g, c);
            UnplugReport r = g.unplugReport();
            assertEquals(0, r.count(Fate.SAVED), r.buffers().toString());
            assertEquals(1, r.reroute().mmapCalls(), "one remap for the client: " + r.reroute());
        }
    }

    /**
     * The outside view: many threads of several clients read and write their VRAM and GTT mappings
     * without pause while the device is removed (with the VRAM save) — none faults, none stops,
     * every GTT write reads back.
     */
    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void threadsHammeringTheirMappingsThroughTheRemovalNeverFault(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            List<MappingHammer> hammers = new java.util.ArrayList<>();
            for (int client = 0; client < 4; client++) {
                GpuClient c = rig.client(g);
                List<BufferObject> bos = rig.buffers(c);
                for (int t = 0; t < 2; t++) {
                    hammers.add(MappingHammer.start(c.map(bos.get(0)), c.map(bos.get(1)), t));
                }
            }
            for (MappingHammer h : hammers) {
                h.awaitRounds(100);
            }
            rig.card.requestRemoval();
            assertTrue(g.awaitState(Lifecycle.State.DETACHED, UnplugRig.BOUND), g.teardownReport().toString());
            assertTrue(rig.card.awaitVramReclaimed(UnplugRig.BOUND), "the card's memory is gone");
            for (MappingHammer h : hammers) {
                h.awaitRounds(h.rounds() + 100); // still going after the device memory is gone
            }
            for (MappingHammer h : hammers) {
                h.stop();
                assertEquals(null, h.failure(), "a hammering thread failed");
            }
            assertTrue(g.unplugReport().count(Fate.SAVED) == 4, g.unplugReport().buffers().toString());
            rig.assertSurvivedLoss(g, null);
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void hungJobAfterLossReportsDeviceLostAndIsNotRecovered(SimProfile p) throws Exception {
        Gpu.Options quick = new Gpu.Options(Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofSeconds(2), 0x3fff00,
                Duration.ofMillis(1500));
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = Gpu.open(rig.bus.open(rig.at), quick);
            try (GpuClient c = g.openClient()) {
                BufferObject vram = c.allocate(Domain.VRAM, 4096); // its save is queued behind the hung job
                rig.card.hangEngine(0);
                Fence f = rig.track(c.submit(Job.builder().fill(vram, 0, 4096, (byte) 3).onRing(0).build()));
                rig.card.requestRemoval(); // the save window outlasts the job timeout: the timeout fires after the loss
                rig.assertSurvivedLoss(g, c);
                assertEquals(FenceError.DEVICE_LOST, f.error(), "a timeout after the loss reports device-lost");
            } finally {
                g.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void surpriseRemovalForceCompletesJobsTheEngineNeverRan(SimProfile p) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            BufferObject bo = c.allocate(Domain.GTT, 4096);
            rig.card.hangEngine(0);
            for (int i = 0; i < 3; i++) {
                rig.track(c.submit(Job.builder().fill(bo, 0, 4096, (byte) i).onRing(0).build()));
            }
            rig.card.surpriseRemove(); // found by the health check (work is pending), long before the job timeout
            rig.assertSurvivedLoss(g, c);
            assertEquals(LossReason.SURPRISE, g.lossReason());
        }
    }

    // ------------------------------------------------------------------ removal during probe and during early fini

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void removalDuringProbeFailsTheOpenCleanly(SimProfile p) throws Exception {
        for (boolean surprise : new boolean[] {false, true}) {
            try (UnplugRig rig = new UnplugRig(p)) {
                SimControl card = rig.card;
                // the removal fires at the 40th register store of the probe
                var dev = RemovalDuringProbe.atStore(rig.bus.open(rig.at), 40, surprise ? card::surpriseRemove : card::requestRemoval);
                long t0 = System.nanoTime();
                try {
                    // the REQ may be read before the probe's decision (open fails) or after it (the
                    // lifecycle tears the new Gpu down at once): both release the device
                    Gpu g = Gpu.open(dev, UnplugRig.OPTS);
                    assertTrue(g.awaitState(Lifecycle.State.RELEASED, UnplugRig.BOUND), "torn down: " + g.teardownReport());
                    assertThrows(DeviceLostException.class, g::openClient);
                } catch (GpuException expected) {
                    // removed during probe
                }
                assertTrue(System.nanoTime() - t0 < UnplugRig.BOUND.toNanos(), "bounded");
                long until = System.nanoTime() + UnplugRig.BOUND.toNanos();
                while (card.openHandles() > 0 && System.nanoTime() < until) {
                    Thread.sleep(2);
                }
                assertEquals(0, card.openHandles(), "the device was released");
                rig.replug();
                rig.healthCheck();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("amdvfio.driver.UnplugRig#profiles")
    void surpriseRemovalDuringTheVramSaveEndsTheSaveAndStillReleases(SimProfile p) throws Exception {
        // a slow link (Thunderbolt at 50 MB/s) so the 8 MiB save is still running when the cable goes
        try (UnplugRig rig = new UnplugRig(p, "0000:0c:00.0", UnplugRig.CONFIG.withLink(50_000_000L))) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            BufferObject big = c.allocate(Domain.VRAM, 8 << 20);
            rig.track(c.map(big));
            rig.buffers(c);
            rig.card.requestRemoval();
            // inside the save window (8 MiB at 50 MB/s take ~170 ms): early fini runs and an
            // engine is busy copying — observed, not guessed with a sleep
            SimControl card = rig.card;
            assertTrue(awaitCondition(() -> g.state() == Lifecycle.State.UNPLUGGING && engineBusy(card)),
                    "the VRAM save is running: " + g.state());
            rig.card.surpriseRemove();
            rig.assertSurvivedLoss(g, c);
            assertTrue(g.unplugReport().count(Fate.DUMMY) >= 1, g.unplugReport().buffers().toString());
            rig.replug();
            rig.healthCheck();
        }
    }

    private static boolean engineBusy(SimControl card) {
        for (int i = 0; i < card.engineCount(); i++) {
            var e = card.engine(i);
            if (e.rptr() != e.wptr()) {
                return true;
            }
        }
        return false;
    }

    /** Polls {@code condition} until it holds, bounded by {@link UnplugRig#BOUND}. */
    private static boolean awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + UnplugRig.BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
