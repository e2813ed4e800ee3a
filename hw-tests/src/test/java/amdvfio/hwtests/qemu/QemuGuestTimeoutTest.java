package amdvfio.hwtests.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness's own guarantee: a hung guest is killed at the timeout, reported as a failure
 * with its console, and leaves no QEMU process behind.
 */
@Tag("vm")
class QemuGuestTimeoutTest {

    @BeforeAll
    static void needsQemu() {
        QemuGuest.assumeQemuInstalled();
    }

    @Test
    void hungGuestIsKilledAndReportedWithItsConsole() throws Exception {
        long pid;
        GuestResult r;
        try (RunningGuest g = QemuGuest.builder("QemuGuestTimeoutTest")
                .script("echo GUEST-HANGS-NOW; sleep 600")
                .timeout(Duration.ofSeconds(300))      // boot time varies with host load
                .start()) {
            pid = g.pid();
            g.awaitLine("^GUEST-HANGS-NOW", Duration.ofSeconds(300));
            g.timeoutFromNow(Duration.ofSeconds(3));   // the guest now "hangs": hold it to 3 s
            // waiting for a line that never comes fails at the run's deadline, with the console tail
            AssertionError e = assertThrows(AssertionError.class, () -> g.awaitLine("^NEVER-PRINTED", Duration.ofMinutes(5)));
            assertTrue(e.getMessage().contains("GUEST-HANGS-NOW"), e.getMessage());
            r = g.awaitExit();
        }
        assertTrue(r.timedOut(), r.timingSummary());
        assertEquals(-1, r.exitCode());
        assertFalse(r.succeeded());
        assertTrue(r.describeFailure().contains("timed out") && r.describeFailure().contains("GUEST-HANGS-NOW"), r.describeFailure());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU pid " + pid + " still alive");
    }
}
