package amdvfio.sim.gmc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Link pacing holds the average rate, in whatever chunk sizes the engines cross it. */
class LinkPacerTest {

    @Test
    void shouldHoldTheAverageRateForSmallAndLargeChunks() {
        LinkPacer pacer = new LinkPacer(1_000_000_000L); // 1 GB/s
        long t0 = System.nanoTime();
        for (int i = 0; i < 2560; i++) {
            pacer.cross(4096); // 10.5 MB in 4 KiB pieces
        }
        for (int i = 0; i < 10; i++) {
            pacer.cross(1 << 20); // + 10.5 MB in 1 MiB pieces
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(ms >= 19 && ms < 200, "21 MB at 1 GB/s took " + ms + " ms");
    }

    @Test
    void shouldNotPaceWhenTheRateIsZero() {
        LinkPacer pacer = new LinkPacer(0);
        long t0 = System.nanoTime();
        pacer.cross(1L << 40);
        assertTrue(System.nanoTime() - t0 < 50_000_000L);
    }
}
