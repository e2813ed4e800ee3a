package amdvfio.sim.fuzz;

import amdvfio.sim.SimProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A seeded, bounded fuzzer of the SDMA engine: random packets (and sometimes raw register
 * writes) on every profile, strict mode on and off. Invariants per case: no engine thread dies,
 * the model never fails on a packet (MODEL_ERROR), a stopped queue reads as stopped through the
 * registers, and the queue runs again after a HALT and re-program. At the end: no byte of
 * unmapped host memory or of another card's VRAM changed.
 *
 * <p>Deterministic: case {@code c} of a world uses a seed mixed from the base seed, the world and
 * {@code c}; a failure names
 * its seed and how to replay it alone. {@code -Dsdma.fuzz.cases=N} per world (default 400),
 * {@code -Dsdma.fuzz.seed=S} for another base seed.
 */
class SdmaPacketFuzzTest {

    static final long BASE_SEED = Long.decode(System.getProperty("sdma.fuzz.seed", "0x5DA7F022"));
    static final int CASES = Integer.getInteger("sdma.fuzz.cases", 400);

    static Stream<Arguments> worlds() {
        return SimProfile.ALL.stream().flatMap(p -> Stream.of(Arguments.of(p, true), Arguments.of(p, false)));
    }

    @ParameterizedTest(name = "{0} strict={1}")
    @MethodSource("worlds")
    void shouldSurviveRandomPacketsOnEveryProfile(SimProfile profile, boolean strict) {
        long world = mix((long) profile.name().hashCode() << 1 | (strict ? 1 : 0));
        long t0 = System.nanoTime();
        try (FuzzWorld w = new FuzzWorld(profile, strict)) {
            for (int c = 0; c < CASES; c++) {
                w.runCase(mix(BASE_SEED ^ world) + c * 0x9E3779B97F4A7C15L);
            }
            w.checkBoundaries();
            System.out.printf("SDMA fuzz %s strict=%s: %d cases in %.2f s, %d halted unsettled; stops %s%n",
                    profile.name(), strict, CASES, (System.nanoTime() - t0) / 1e9, w.unsettled, w.outcomes);
            assertEquals(CASES, w.outcomes.values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    /** splitmix64's finaliser: nearby base seeds and worlds give unrelated case seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Replays one case in a fresh world: -Dsdma.fuzz.replay=SEED -Dsdma.fuzz.profile=NAVI10 -Dsdma.fuzz.strict=true. */
    @Test
    void replay() {
        String seed = System.getProperty("sdma.fuzz.replay");
        assumeTrue(seed != null, "no -Dsdma.fuzz.replay given");
        SimProfile profile = SimProfile.ALL.stream()
                .filter(p -> p.name().equals(System.getProperty("sdma.fuzz.profile", "NAVI10"))).findFirst().orElseThrow();
        try (FuzzWorld w = new FuzzWorld(profile, Boolean.parseBoolean(System.getProperty("sdma.fuzz.strict", "true")))) {
            w.runCase(Long.decode(seed));
            w.checkBoundaries();
        }
    }
}
