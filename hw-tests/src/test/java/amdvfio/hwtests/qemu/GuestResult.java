package amdvfio.hwtests.qemu;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one guest run produced.
 *
 * @param exitCode  the guest program's exit code (from the {@code AMDVFIO-GUEST-EXIT rc=N} marker),
 *                  or -1 if the guest never printed it (timeout, QEMU or kernel crash)
 * @param timedOut  the harness killed QEMU because the timeout passed
 * @param qemuExitStatus QEMU's own exit status (137 when killed)
 * @param console   the whole serial console, escape sequences removed
 * @param consoleLog the file under target/ holding the console
 * @param workDir   the host directory shared as /work (run.sh, classpath copy, results/)
 * @param timings   milliseconds since QEMU was started: "init" (first /init line), "programStart",
 *                  "programEnd", "exitMarker", "qemuExit"; plus "programGuest" (the program's run
 *                  time measured by guest uptime) and "wall"
 */
public record GuestResult(String name, int exitCode, boolean timedOut, int qemuExitStatus, String console,
                          Path consoleLog, Path workDir, Map<String, Long> timings) {

    private static final Pattern SCENARIO_END =
            Pattern.compile("^AMDVFIO-SCENARIO-END (\\S+) (PASS|FAIL) (\\d+) ms", Pattern.MULTILINE);

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The results directory the guest program wrote to (/work/results in the guest). */
    public Path resultsDir() {
        return workDir.resolve("results");
    }

    /** Scenario name → "PASS"/"FAIL", from the markers {@link GuestScenarioRunner} prints. */
    public Map<String, String> scenarios() {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher mt = SCENARIO_END.matcher(console);
        while (mt.find()) m.put(mt.group(1), mt.group(2));
        return m;
    }

    /** Lines of the console that start with the prefix (the prefix removed). */
    public List<String> linesStartingWith(String prefix) {
        return console.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** Throws an AssertionError with the console tail unless the guest program exited with 0. */
    public GuestResult assertSucceeded() {
        if (!succeeded()) throw new AssertionError(describeFailure());
        return this;
    }

    public String describeFailure() {
        String why = timedOut ? "timed out (QEMU killed)"
                : exitCode < 0 ? "guest ended without an exit marker (QEMU status " + qemuExitStatus + ")"
                : "guest program exited with " + exitCode;
        return "VM run '" + name + "' " + why + "; console log: " + consoleLog + "\n--- console tail ---\n" + tail(80);
    }

    /** The guest kernel's release as /init printed it ("[guest-init ...] kernel 6.12.95+deb12-amd64"), or null. */
    public String kernelRan() {
        Matcher m = java.util.regex.Pattern.compile("\\[guest-init [0-9.]+s\\] kernel (\\S+)").matcher(console);
        return m.find() ? m.group(1) : null;
    }

    /**
     * The guest's kernel warnings and errors that a test must not cause: WARNING/BUG/Oops
     * splats, "general protection", "list_del corruption", lockdep and refcount reports.
     */
    public List<String> kernelWarnings() {
        return console.lines().filter(l -> l.matches(".*(WARNING: CPU|BUG:|Oops|general protection|list_del corruption"
                + "|refcount_t|possible circular locking|Call Trace:).*")).toList();
    }

    public String tail(int lines) {
        List<String> all = console.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public String timingSummary() {
        StringBuilder b = new StringBuilder("VM run '" + name + "' timings (ms since QEMU start):");
        timings.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }
}
