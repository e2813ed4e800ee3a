package amdvfio.tools;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C: the CLI as a subprocess gets SIGINT in the middle of its work and must release the device,
 * say so once and exit 130. The child is started with SIGINT at its default disposition: a shell
 * starts a background job ({@code ./run-tests &}) and some CI runners start everything with SIGINT
 * ignored, which the JVM then leaves ignored (it installs no handler), so the test would otherwise
 * send a signal nobody hears.
 */
class CtrlCTest {

    private static final List<String> DEFAULT_SIGINT = List.of("env", "--default-signal=INT");

    @Test
    void sigintDuringAHotplugLoopReleasesTheDeviceAndExits130() throws Exception {
        // without a terminal the loop prints a line per iteration: after the second, removals are under way
        List<String> all = interruptAfter(l -> l.startsWith("iteration 2 "),
                "hotplug-loop", "--sim", "navi10", "--duration", "60s");
        String text = String.join("\n", all);
        assertEquals(1, all.stream().filter(l -> l.contains("interrupted;")).count(), "one interrupted message:\n" + text);
        assertTrue(all.contains("device released: yes"), text);
        assertTrue(text.contains("(interrupted)"), text);
    }

    @Test
    void sigintDuringTheDemoPrintsOneMessageAndNoFailure() throws Exception {
        List<String> all = interruptAfter(l -> l.contains(" probe "), "demo");
        String text = String.join("\n", all);
        assertEquals(1, all.stream().filter(l -> l.contains("interrupted")).count(), text);
        assertTrue(all.stream().noneMatch(l -> l.contains("FAILED")), "a cut-short phase is not a failure:\n" + text);
    }

    @Test
    void watchKeepsItsCycleCountOnCtrlC() throws Exception {
        List<String> all = interruptAfter(l -> l.startsWith("removed") && l.contains("2 cycle(s)"),
                "watch", "--sim", "navi10", "--interval", "20ms");
        long removed = all.stream().filter(l -> l.startsWith("removed")).count();
        assertTrue(all.contains(removed + " plug/unplug cycle(s) (interrupted)"), String.join("\n", all));
    }

    /** Starts the CLI with SIGINT at its default disposition, sends SIGINT after {@code line}, expects exit 130. */
    private static List<String> interruptAfter(Predicate<String> line, String... args) throws Exception {
        try (CliProcess cli = CliProcess.start(DEFAULT_SIGINT, args)) {
            assertNotNull(cli.awaitLine(line), "the expected line never came: " + String.join(" ", args));
            assertHandlesSigint(cli);
            cli.interrupt();
            List<String> all = cli.finish();
            assertEquals(ExitCodes.INTERRUPTED, cli.process.exitValue(), String.join("\n", all));
            return all;
        }
    }

    /** The check above, shown to notice a child that inherited SIGINT ignored (what a background job gets). */
    @Test
    void theDispositionCheckNoticesAnIgnoredSigint() throws Exception {
        try (CliProcess cli = CliProcess.start(List.of("env", "--ignore-signal=INT"), "watch", "--sim", "navi10",
                "--interval", "20ms")) {
            assertNotNull(cli.awaitLine(l -> l.startsWith("arrived")));
            assertNotEquals(0, cli.signalMask("SigIgn") & CliProcess.SIGINT_MASK);
            assertEquals(0, cli.signalMask("SigCgt") & CliProcess.SIGINT_MASK, "the JVM leaves an ignored SIGINT ignored");
        }
    }

    private static void assertHandlesSigint(CliProcess cli) throws IOException {
        if ((cli.signalMask("SigIgn") & CliProcess.SIGINT_MASK) != 0) {
            throw new AssertionError("the CLI started with SIGINT ignored (SigIgn has bit 2): a background job of a "
                    + "non-interactive shell or a CI runner inherits that, and the JVM then installs no handler; "
                    + "start it through 'env --default-signal=INT'");
        }
        assertNotEquals(0, cli.signalMask("SigCgt") & CliProcess.SIGINT_MASK, "the JVM did not install its SIGINT handler");
    }
}
