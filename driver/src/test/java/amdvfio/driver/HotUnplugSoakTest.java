package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.client.GpuClient;
import amdvfio.sim.SimProfile;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random remove / re-plug cycles under load (SPDK sw_hotplug.sh's rounds, with every removal
 * kind): each cycle opens the card, maps buffers, maybe starts a submission loop, removes the card
 * one of five ways, checks the guarantees, brings a new card back, sometimes runs the health
 * check, and checks for leaks. Runs {@code -Damdvfio.soak.cycles} cycles (default 500, about 30 s here), and
 * longer if {@code -Damdvfio.soak.seconds} asks for it, with {@code -Damdvfio.soak.seed} (default
 * fixed); the seed and cycle are in every failure message.
 */
class HotUnplugSoakTest {

    enum Removal { REQ, SURPRISE, AER_FATAL, REPLUG, AER_THEN_REQ }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void hundredsOfRandomRemovalsAndReplugsUnderLoad() throws Throwable {
        int cycles = Integer.getInteger("amdvfio.soak.cycles", 500);
        long seconds = Long.getLong("amdvfio.soak.seconds", 0);
        long seed = Long.getLong("amdvfio.soak.seed", 0x5EED_0F_A3DL);
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        int cycle = 0;
        int[] kinds = new int[Removal.values().length];
        while (cycle < cycles || System.nanoTime() < end) {
            cycle++;
            SimProfile p = SimProfile.ALL.get(rnd.nextInt(SimProfile.ALL.size()));
            Removal r = Removal.values()[rnd.nextInt(Removal.values().length)];
            boolean load = rnd.nextBoolean();
            boolean closeBeforeReplug = rnd.nextBoolean();
            boolean health = rnd.nextInt(4) == 0;
            kinds[r.ordinal()]++;
            try {
                cycle(p, r, load, closeBeforeReplug, health, rnd.nextInt(20));
            } catch (Throwable t) {
                AssertionError e = new AssertionError(String.format(
                        "soak failed at cycle %d (seed 0x%x: rerun with -Damdvfio.soak.seed=%d): %s %s load=%b "
                                + "closeBeforeReplug=%b: %s", cycle, seed, seed, p.name(), r, load, closeBeforeReplug, t), t);
                throw e;
            }
        }
        System.out.printf("soak: %d cycles in %.1f s, seed 0x%x, removals %s%n", cycle, (System.nanoTime() - t0) / 1e9,
                seed, java.util.Arrays.toString(kinds));
        for (Removal r : Removal.values()) {
            assertTrue(kinds[r.ordinal()] >= cycles / 10, r + " removals ran: " + kinds[r.ordinal()] + " of " + cycle);
        }
    }

    private static void cycle(SimProfile p, Removal r, boolean load, boolean closeBeforeReplug, boolean health,
                              int delayMs) throws Exception {
        try (UnplugRig rig = new UnplugRig(p)) {
            Gpu g = rig.open();
            GpuClient c = rig.client(g);
            rig.buffers(c);
            if (load) {
                rig.load(c).warm(20);
            }
            Thread.sleep(delayMs);
            amdvfio.sim.SimControl old = rig.card;
            switch (r) {
                case REQ -> rig.card.requestRemoval();
                case SURPRISE -> rig.card.surpriseRemove();
                case AER_FATAL -> rig.card.aerError(true);
                case REPLUG -> rig.replug(); // the old card is pulled, a new one is in the slot at once
                case AER_THEN_REQ -> {
                    rig.card.aerError(false);
                    rig.card.requestRemoval();
                }
            }
            rig.assertSurvivedLoss(g, c, old);
            if (closeBeforeReplug) {
                c.close();
            }
            if (r != Removal.REPLUG) {
                rig.replug();
            }
            if (health) {
                rig.healthCheck();
            }
        }
    }
}
