package amdvfio.tools;

import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latency of every unplug phase over a run, one HdrHistogram each (nanoseconds, 3 significant
 * digits, memory independent of the run's length), reported as p50/p90/p99/p99.9/max: people
 * judge a removal path by its tail, which min/median/max hides. Optionally feeds an
 * {@link IntervalLog}. Used by hotplug-loop, soak and watch from their command thread.
 */
final class PhaseLatencies implements AutoCloseable {

    /** The measured phases of one removal and return. */
    enum Phase {
        TO_SIGNAL("toSignal", "loss signal", "removal to the REQ/ERR/surprise signal"),
        EARLY_FINI("earlyFini", "early fini", "the driver's early fini"),
        TO_RELEASE("toRelease", "released", "removal (watch on hardware: the signal) to the device handle closed"),
        BOOT("boot", "boot after re-plug", "the returned card's bring-up: classify, reset or cold boot, ring and IB tests"),
        TO_HEALTHY("toHealthy", "back and healthy", "removal (watch: arrival) to a passed health check");

        final String key;
        final String label;
        final String meaning;

        Phase(String key, String label, String meaning) {
            this.key = key;
            this.label = label;
            this.meaning = meaning;
        }
    }

    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private final Map<Phase, Histogram> total = new EnumMap<>(Phase.class);
    private final IntervalLog log;

    /** {@code log} may be null (no interval log asked for). */
    PhaseLatencies(IntervalLog log) {
        this.log = log;
        for (Phase p : Phase.values()) {
            total.put(p, new Histogram(3));
        }
    }

    /** Records one phase; negative values (phase not reached) are not latencies and are skipped. */
    void record(Phase phase, long nanos) {
        if (nanos < 0) {
            return;
        }
        total.get(phase).recordValue(nanos);
        if (log != null) {
            log.record(phase, nanos);
        }
    }

    /** Every phase a hotplug cycle reached. */
    void record(Cycle.Result r) {
        record(Phase.TO_SIGNAL, r.toSignal());
        record(Phase.EARLY_FINI, r.earlyFini());
        record(Phase.TO_RELEASE, r.toRelease());
        record(Phase.BOOT, r.boot() == null ? -1 : r.boot().total().toNanos());
        record(Phase.TO_HEALTHY, r.toHealthy());
    }

    Histogram histogram(Phase p) {
        return total.get(p);
    }

    long count(Phase p) {
        return total.get(p).getTotalCount();
    }

    /** {@code {"toSignal": {"count": 10, "p50": 0.41, …, "max": 0.9}, …}} in milliseconds; phases never reached are left out. */
    Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            Histogram h = total.get(p);
            if (h.getTotalCount() == 0) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", h.getTotalCount());
            for (double q : PERCENTILES) {
                m.put(percentileKey(q), Report.ms(h.getValueAtPercentile(q)));
            }
            m.put("max", Report.ms(h.getMaxValue()));
            doc.put(p.key, m);
        }
        return doc;
    }

    /** The table: one row per phase reached, {@code signal} naming the loss signal in the first row. */
    void print(PrintWriter out, String title, String signal) {
        out.printf("%-28s %7s %10s %10s %10s %10s %10s%n", title, "count", "p50", "p90", "p99", "p99.9", "max");
        for (Phase p : Phase.values()) {
            Histogram h = total.get(p);
            if (h.getTotalCount() == 0) {
                continue;
            }
            String name = p == Phase.TO_SIGNAL && signal != null ? p.label + " (" + signal + ")" : p.label;
            out.printf("%-28s %7d %10s %10s %10s %10s %10s%n", name, h.getTotalCount(),
                    Report.time(h.getValueAtPercentile(50)), Report.time(h.getValueAtPercentile(90)),
                    Report.time(h.getValueAtPercentile(99)), Report.time(h.getValueAtPercentile(99.9)),
                    Report.time(h.getMaxValue()));
        }
    }

    static String percentileKey(double q) {
        return q == Math.rint(q) ? "p" + (long) q : "p" + q;
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
