package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.unplug.Lifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * {@code Gpu.open} promises {@link DeviceLostException} when the device goes away during it. A
 * sweep puts a surprise removal or a fatal AER at every k-th register access of an open — from
 * identification through the discovery read, the IP blocks' init and the ring tests — counted,
 * not timed, so every run hits the same points. Each attempt must end in DeviceLostException (or,
 * when the loss is read after the probe's decision, in a Gpu that tears itself down), never in
 * another error such as a DiscoveryException about a table that now reads all ones.
 */
class RemovalDuringOpenSweepTest {

    /** Attempts spread evenly over a whole open, per removal kind and profile. */
    static final int POINTS = 48;
    /**
     * The first accesses: identification, RCC_CONFIG_MEMSIZE, the IFWI wait and the 2560-dword
     * discovery read on Navi (10 KiB through BAR0) — swept densely, every {@link #PROBE_STRIDE}.
     */
    static final int PROBE_ACCESSES = 2700;
    static final int PROBE_STRIDE = 30;

    static Stream<Arguments> sweeps() {
        List<Arguments> out = new ArrayList<>();
        for (SimProfile p : List.of(SimProfile.NAVI10, SimProfile.VEGA10)) {
            out.add(Arguments.of(p, "surprise removal", (Consumer<SimControl>) SimControl::surpriseRemove));
            out.add(Arguments.of(p, "fatal AER", (Consumer<SimControl>) c -> c.aerError(true)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sweeps")
    void shouldOnlyEverThrowDeviceLostWhenTheDeviceGoesAwayDuringOpen(SimProfile profile, String kind,
                                                                      Consumer<SimControl> removal) throws Exception {
        try (UnplugRig rig = new UnplugRig(profile)) {
            int total = cleanOpenAccesses(rig);
            java.util.TreeSet<Integer> points = new java.util.TreeSet<>();
            for (int n = 1; n <= Math.min(PROBE_ACCESSES, total); n += PROBE_STRIDE) {
                points.add(n);
            }
            for (int n = 1; n <= total; n += Math.max(1, total / POINTS)) {
                points.add(n);
            }
            List<String> wrong = new ArrayList<>();
            int attempts = 0;
            for (int n : points) {
                attempts++;
                String outcome = openWithRemovalAt(rig, n, removal);
                if (outcome != null) {
                    wrong.add("access " + n + "/" + total + ": " + outcome);
                }
                rig.replug();
            }
            assertTrue(attempts >= POINTS + Math.min(PROBE_ACCESSES, total) / PROBE_STRIDE, "swept " + attempts + " points");
            assertEquals(List.of(), wrong, profile + " " + kind + ": every removal during open is a DeviceLostException");
        }
    }

    /** Counted accesses of an open that nothing disturbs. */
    private static int cleanOpenAccesses(UnplugRig rig) throws InterruptedException {
        RemovalDuringProbe dev = RemovalDuringProbe.atAccess(rig.bus.open(rig.at), 0, () -> { });
        try (Gpu g = Gpu.open(dev.device(), UnplugRig.OPTS)) {
            return dev.accesses();
        }
    }

    /** Null if the open ended as promised and the device was released, else what happened instead (ColdBootRemovalTest too). */
    static String openWithRemovalAt(UnplugRig rig, int n, Consumer<SimControl> removal) throws InterruptedException {
        SimControl card = rig.card;
        var dev = RemovalDuringProbe.atAccess(rig.bus.open(rig.at), n, () -> removal.accept(card)).device();
        String outcome = null;
        try {
            Gpu g = Gpu.open(dev, UnplugRig.OPTS);
            // the loss was read after the probe's decision: the lifecycle tears the new Gpu down
            if (!g.awaitState(Lifecycle.State.RELEASED, UnplugRig.BOUND)) {
                outcome = "open returned a Gpu that was not torn down: " + g.teardownReport();
            }
            g.close();
        } catch (DeviceLostException expected) {
            // as promised
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long until = System.nanoTime() + UnplugRig.BOUND.toNanos();
        while (card.openHandles() > 0 && System.nanoTime() < until) {
            Thread.sleep(1); // polling the release, bounded
        }
        return card.openHandles() == 0 ? outcome : "the device was not released (" + outcome + ")";
    }
}
