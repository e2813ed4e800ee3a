package amdvfio.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's readable timeline: one line per phase, printed as it ends, with when it ended
 * (from the start) and how long it took; the same phases go to the JSON document.
 */
final class Timeline {

    record Phase(String name, long atNanos, long nanos, String detail, boolean ok) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("phase", name);
            m.put("atMs", Report.ms(atNanos));
            m.put("ms", Report.ms(nanos));
            m.put("ok", ok);
            m.put("detail", detail);
            return m;
        }
    }

    private final PrintWriter out;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private long mark = start;
    final List<Phase> phases = new ArrayList<>();

    Timeline(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
        if (!quiet) {
            out.printf("  %10s  %10s  %-16s %s%n", "at", "took", "phase", "what happened");
        }
    }

    /** Starts timing the next phase; a Ctrl-C that arrived during the last one stops the story here. */
    void begin() {
        Cancellation.check();
        mark = System.nanoTime();
    }

    /** Ends the phase begun last. */
    void end(String name, String detail) {
        end(name, detail, true);
    }

    void end(String name, String detail, boolean ok) {
        long now = System.nanoTime();
        add(name, now - start, now - mark, detail, ok);
        mark = now;
    }

    /** A phase measured elsewhere (e.g. from an event's timestamp). */
    void add(String name, long atNanos, long nanos, String detail, boolean ok) {
        Cancellation.check(); // a phase cut short by Ctrl-C is not a FAILED one
        Phase p = new Phase(name, atNanos, nanos, detail, ok);
        phases.add(p);
        if (!quiet) {
            String[] lines = detail.split("\n");
            out.printf("  %10s  %10s  %-16s %s%s%n", Report.time(atNanos), Report.time(nanos), name, ok ? "" : "FAILED: ", lines[0]);
            for (int i = 1; i < lines.length; i++) {
                out.printf("  %10s  %10s  %-16s %s%n", "", "", "", lines[i]);
            }
            out.flush();
        }
    }

    long start() {
        return start;
    }

    boolean allOk() {
        return phases.stream().allMatch(Phase::ok);
    }
}
