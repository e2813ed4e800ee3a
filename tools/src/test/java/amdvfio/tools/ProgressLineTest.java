package amdvfio.tools;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line: no '? it/s' before there is a rate, and the count, unit and message apart. */
class ProgressLineTest {

    private final ProgressLine iterations = new ProgressLine("it", true);

    @Test
    void beforeTheFirstStepThereIsNoRateAndNoQuestionMark() {
        String l = iterations.line("hotplug", 0, 0, 10, Duration.ZERO, "");
        assertFalse(l.contains("?"), l);
        assertFalse(l.contains("it/s"), l);
        assertTrue(l.contains(" 0/10 it"), l);
    }

    @Test
    void theRateAndEtaAppearOnceMeasuredAndTheMessageStandsApart() {
        String l = iterations.line("hotplug", 5, 5, 10, Duration.ofSeconds(2), "ok");
        assertEquals("hotplug  50% [============>           ] 5/10 it  2.5 it/s  ETA 0:00:02  ok", l);
    }

    @Test
    void aDurationBoundRunShowsSecondsWithoutARate() {
        String l = new ProgressLine("s", false).line("soak", 30, 30, 60, Duration.ofSeconds(30), "12 rounds");
        assertEquals("soak  50% [============>           ] 30/60 s  ETA 0:00:30  12 rounds", l);
    }
}
