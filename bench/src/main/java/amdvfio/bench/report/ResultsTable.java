package amdvfio.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds {@code bench/results/latest.md} from JMH's JSON results and the probe's rows: one row per
 * benchmark and parameter set with the score and its error, the target next to it and whether it
 * is met, the Java/C ratio computed from the same run, and gc.alloc.rate.norm; then the probe's
 * rows (memory, allocation per reroute, unplug breakdown); then placeholders for what cannot be
 * measured yet. Never invents a number: a missing result is shown as missing.
 *
 * <pre>
 * java -cp benchmarks.jar amdvfio.bench.report.ResultsTable --jmh a.json [--jmh b.json] [--extra probe.json]
 *      [--merged-json latest.json] --out latest.md [--header "line"]... [--readme README.md]
 * </pre>
 * With {@code --readme}, the README's section between {@link #README_BEGIN} and {@link #README_END}
 * is replaced by the headline rows of the same run, so the README never carries hand-edited figures.
 */
public final class ResultsTable {

    /** Benchmarks whose per-invocation setup runs inside the measured iteration, so gc.alloc.rate.norm includes it. */
    static final Set<String> INVOCATION_SETUP = Set.of("RerouteBenchmark", "FirstTouchAfterRerouteBenchmark",
            "UnplugLatencyBenchmark");

    /** Java benchmark → its C (or floor) counterpart in the same class with the same parameters. */
    static final Map<String, String> BASELINE = Map.of(
            "EventFdRoundTripBenchmark.javaRoundTrip", "cRoundTrip",
            "EventFdPingPongBenchmark.javaPingPong", "cPingPong",
            "RerouteBenchmark.javaPerMapping", "cPerMapping",
            "RerouteBenchmark.tableRerouteAll", "cWindowRemap",
            "GuardBenchmark.guardEnterExit_t1", "volatileRead_t1",
            "GuardBenchmark.guardEnterExit_t8", "volatileRead_t8",
            "SubmitEncodeBenchmark.encodeAndCommitSmallJob", "cEncodeAndCommitSmallJob",
            "SubmitEncodeBenchmark.lockAndPublishOnly", "cLockAndPublishOnly");

    /** A second, informative ratio (not judged): one window per client against the per-mapping C loop. */
    static final Map<String, String> SECOND_BASELINE = Map.of("RerouteBenchmark.tableRerouteAll", "cPerMapping");

    /** Placeholders: shown unless some benchmark whose name starts with the prefix is in the results. */
    record Placeholder(String area, String name, String prefix, String reason) {
    }

    static final List<Placeholder> PLACEHOLDERS = List.of(
            new Placeholder("Submission", "encode+commit of a small job, doorbell into a no-op sink",
                    "amdvfio.bench.driver.SubmitEncodeBenchmark", "not measured in this run"),
            new Placeholder("Submission", "submit→fence latency, interrupt and polling waits",
                    "amdvfio.bench.driver.FenceLatencyBenchmark", "not measured in this run"),
            new Placeholder("Submission", "throughput, batches of 1, 16, 256 jobs",
                    "amdvfio.bench.driver.SubmitBatch", "not measured yet: no benchmark written"),
            new Placeholder("Submission", "COPY_LINEAR throughput through the driver, 4 KiB … 64 MiB",
                    "amdvfio.bench.driver.CopyLinear", "not measured yet: no benchmark written"),
            new Placeholder("Real device", "every row on a real AMD GPU (-p device=<BDF>)",
                    "amdvfio.bench.hw.", "not measured: needs the driver's real-hardware path"));

    static final List<String> AREAS = List.of("Guard", "Fault rerouting", "REQ→released", "Interrupt path",
            "Submission", "Simulator engine", "Memory", "Memory after reroute", "Allocation", "Unplug breakdown",
            "Real device", "Other");

    record Result(String benchmark, String cls, String method, Map<String, String> params, String mode,
                  double score, double error, String unit, double allocNorm) {
        String paramText() {
            return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    record Row(String area, String name, String params, String result, String target, String met, String ratio,
               String alloc, String note) {
    }

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> jmh = new ArrayList<>();
        Path extra = null;
        Path out = null;
        Path merged = null;
        Path readme = null;
        List<String> header = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--jmh" -> jmh.add(Path.of(args[++a]));
                case "--extra" -> extra = Path.of(args[++a]);
                case "--out" -> out = Path.of(args[++a]);
                case "--merged-json" -> merged = Path.of(args[++a]);
                case "--header" -> header.add(args[++a]);
                case "--readme" -> readme = Path.of(args[++a]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[a]);
            }
        }
        List<String> jsons = new ArrayList<>();
        for (Path p : jmh) {
            jsons.add(Files.readString(p));
        }
        String all = mergeArrays(jsons);
        if (merged != null) {
            Files.writeString(merged, all);
        }
        String extraJson = extra != null && Files.exists(extra) ? Files.readString(extra) : null;
        String md = render(header, all, extraJson);
        if (out != null) {
            Files.writeString(out, md);
        } else {
            System.out.print(md);
        }
        if (readme != null) {
            Files.writeString(readme, spliceReadme(Files.readString(readme), readmeTable(header, all, extraJson)));
        }
    }

    /** Concatenates JMH result arrays (one per JMH run) into one array. */
    static String mergeArrays(List<String> arrays) {
        List<String> bodies = new ArrayList<>();
        for (String a : arrays) {
            String t = a.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.startsWith("[") || !t.endsWith("]")) {
                throw new IllegalArgumentException("not a JMH result array");
            }
            String body = t.substring(1, t.length() - 1).strip();
            if (!body.isEmpty()) {
                bodies.add(body);
            }
        }
        return "[\n" + String.join(",\n", bodies) + "\n]\n";
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A number, which JMH may also write as the string "NaN" or "Infinity". */
    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String str) {
            return Double.parseDouble(str);
        }
        return Double.NaN;
    }

    @SuppressWarnings("unchecked")
    static List<Result> parseJmh(String json) {
        List<Result> out = new ArrayList<>();
        for (Object o : (List<Object>) parse(json)) {
            Map<String, Object> b = (Map<String, Object>) o;
            String bench = (String) b.get("benchmark");
            int dot = bench.lastIndexOf('.');
            String cls = bench.substring(bench.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new LinkedHashMap<>();
            if (b.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<String, Object> pm = (Map<String, Object>) b.get("primaryMetric");
            double alloc = Double.NaN;
            if (b.get("secondaryMetrics") instanceof Map<?, ?> sm && sm.get("gc.alloc.rate.norm") instanceof Map<?, ?> an) {
                alloc = num(an.get("score"));
            }
            out.add(new Result(bench, cls, bench.substring(dot + 1), params, (String) b.get("mode"),
                    num(pm.get("score")), num(pm.get("scoreError")), (String) pm.get("scoreUnit"), alloc));
        }
        return out;
    }

    /** The Markdown document: header lines, then the table, then the legend. */
    static String render(List<String> header, String jmhJson, String extraJson) {
        List<Row> rows = rows(jmhJson, extraJson);
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            b.append(h).append('\n');
        }
        if (!header.isEmpty()) {
            b.append('\n');
        }
        b.append("| Area | Benchmark | Params | Result (± 99.9% CI) | Target | Met | Ratio (same run) | Alloc B/op | Notes |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", cell(r.area()), cell(r.name()), cell(r.params()), cell(r.result()),
                    cell(r.target()), cell(r.met()), cell(r.ratio()), cell(r.alloc()), cell(r.note()))).append(" |\n");
        }
        b.append('\n').append(LEGEND);
        return b.toString();
    }

    static final String README_BEGIN = "<!-- bench:latest:begin (written by bench/run; do not edit) -->";
    static final String README_END = "<!-- bench:latest:end -->";

    /**
     * The README's "Latest results": the headline rows of the same run — every row with a target,
     * and every REQ→released row — under the run's header lines (the title line left out).
     */
    static String readmeTable(List<String> header, String jmhJson, String extraJson) {
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            if (!h.startsWith("#") && !h.isBlank()) {
                b.append(h).append('\n');
            }
        }
        b.append("\nThe full table, with allocation per row and the probe's rows, is `bench/results/latest.md`.\n\n");
        b.append("| what | params | measured (± 99.9% CI) | target | met | ratio (same run) |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Row r : rows(jmhJson, extraJson)) {
            if (!r.target().equals("—") || r.area().equals("REQ→released")) {
                b.append("| ").append(String.join(" | ", cell(r.name()), cell(r.params()), cell(r.result()),
                        cell(r.target()), cell(r.met()), cell(r.ratio()))).append(" |\n");
            }
        }
        return b.toString();
    }

    /** {@code readme} with the text between the two markers replaced by {@code table}. */
    static String spliceReadme(String readme, String table) {
        int begin = readme.indexOf(README_BEGIN);
        int end = readme.indexOf(README_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no '" + README_BEGIN + "' … '" + README_END + "' section");
        }
        return readme.substring(0, begin + README_BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    /** One row per JMH result, then the probe's rows, then the placeholders, grouped by area. */
    @SuppressWarnings("unchecked")
    static List<Row> rows(String jmhJson, String extraJson) {
        List<Result> results = parseJmh(jmhJson);
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(row(r, results));
        }
        if (extraJson != null) {
            Map<String, Object> ex = (Map<String, Object>) parse(extraJson);
            for (Object o : (List<Object>) ex.get("rows")) {
                Map<String, Object> e = (Map<String, Object>) o;
                double v = num(e.get("value"));
                Object met = e.get("met");
                rows.add(new Row((String) e.get("area"), (String) e.get("name"), str(e.get("params")),
                        Double.isNaN(v) ? "—" : fmt(v) + " " + e.get("unit"), e.get("target") == null ? "—" : (String) e.get("target"),
                        met == null ? "—" : (Boolean) met ? "yes" : "**no**", "—", "—", str(e.get("note"))));
            }
        }
        for (Placeholder p : PLACEHOLDERS) {
            boolean present = results.stream().anyMatch(r -> r.benchmark().startsWith(p.prefix()));
            if (!present) {
                rows.add(new Row(p.area(), p.name(), "—", p.reason(), "—", "—", "—", "—", "—"));
            }
        }
        rows.sort(Comparator.comparingInt((Row r) -> areaIndex(r.area())));
        return rows;
    }

    static final String LEGEND = """
            Ratio: Java over the C baseline (or, for the guard, over a plain volatile read) with the same
            parameters, both measured in this run. The window reroute (tableRerouteAll) is judged against its own
            C floor (one mmap of a shadow over the same window, "C window") and also compared with the per-mapping
            C loop; REQ→released against the C floor of the same workload (cRemapFloor: the reroute's kernel work).
            Met: "yes" only when the whole 99.9% confidence interval (JMH's ± error; for a ratio, from both rows'
            intervals) is within the target, "**no**" when all of it is outside, "inconclusive" otherwise.
            Alloc B/op: JMH `-prof gc` gc.alloc.rate.norm; "≈ 0" below
            16 B/op (smaller than any object: JMH's own per-iteration allocation spread over the operations);
            on the simulator it may include the model's own threads (engines, IH), not only the measured path;
            "n/a" where the untimed per-invocation setup runs in the measured thread and is counted too — the
            reroute's own allocation is then in the Allocation rows (ThreadMXBean around the call).
            Rows marked "not measured" have no number on purpose.
            """;

    private static Row row(Result r, List<Result> all) {
        String key = r.cls() + "." + r.method();
        String result = fmt(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error())) + " " + r.unit();
        String base = BASELINE.get(key);
        Result baseRow = baseline(r, all, base);
        if (key.equals("UnplugLatencyBenchmark.requestToReleased")) {
            baseRow = sameWorkload(r, all, "cRemapFloor");
        }
        double ratioValue = baseRow == null ? Double.NaN : r.score() / baseRow.score();
        String ratio = Double.isNaN(ratioValue) ? "—" : String.format(Locale.ROOT, "%.2f× %s", ratioValue,
                base == null ? "C floor" : base.startsWith("volatile") ? "volatile read" : base.equals("cWindowRemap")
                        ? "C window" : "C");
        Result second = baseline(r, all, SECOND_BASELINE.get(key));
        if (second != null) {
            String s2 = String.format(Locale.ROOT, "%.2f× C loop", r.score() / second.score());
            ratio = ratio.equals("—") ? s2 : ratio + "; " + s2;
        }
        String target = "—";
        String met = "—";
        if (key.equals("GuardBenchmark.guardEnterExit_t1")) {
            target = "≤ 2 ns";
            met = r.unit().equals("ns/op") ? verdict(r.score() - r.error(), r.score() + r.error(), 2) : "— (unit)";
        } else if (key.equals("RerouteBenchmark.javaPerMapping") || key.equals("RerouteBenchmark.tableRerouteAll")) {
            target = key.endsWith("javaPerMapping") ? "≤ 1.2× C loop" : "≤ 1.2× C window";
            met = baseRow == null ? "— (no C row)" : ratioVerdict(r, baseRow, 1.2);
        } else if (key.equals("UnplugLatencyBenchmark.requestToReleased") && !"driver".equals(r.params().get("path"))
                && r.params().getOrDefault("workload", "").startsWith("8x")) {
            target = "≤ 2 ms";
            met = r.unit().equals("ms/op") ? verdict(r.score() - r.error(), r.score() + r.error(), 2) : "— (unit)";
        } else if (key.equals("SubmitEncodeBenchmark.encodeAndCommitSmallJob")) {
            target = "≤ 1.1× C";
            met = baseRow == null ? "— (no C row)" : ratioVerdict(r, baseRow, 1.1);
        }
        String alloc;
        if (INVOCATION_SETUP.contains(r.cls())) {
            alloc = "n/a";
        } else if (Double.isNaN(r.allocNorm())) {
            alloc = "— (no -prof gc)";
        } else if (r.allocNorm() < 16) {
            alloc = "≈ 0 (" + fmt(r.allocNorm()) + ")";
        } else {
            alloc = fmt(r.allocNorm());
        }
        String note = note(r);
        return new Row(area(r), r.cls() + "." + r.method(), r.paramText().isEmpty() ? "—" : r.paramText(), result, target,
                met, ratio, alloc, note);
    }

    /**
     * "yes" only when the whole confidence interval [lo, hi] is at or under {@code limit}, "**no**"
     * when all of it is above, otherwise "inconclusive": a point estimate under the limit with an
     * interval across it proves nothing.
     */
    static String verdict(double lo, double hi, double limit) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return "inconclusive (no interval)";
        }
        if (hi <= limit) {
            return "yes";
        }
        return lo > limit ? "**no**" : "inconclusive";
    }

    /** The ratio's interval from both rows' intervals (JMH's 99.9% errors), judged against {@code limit}. */
    static String ratioVerdict(Result r, Result base, double limit) {
        double lo = (r.score() - r.error()) / (base.score() + base.error());
        double hi = base.score() - base.error() <= 0 ? Double.POSITIVE_INFINITY
                : (r.score() + r.error()) / (base.score() - base.error());
        return verdict(lo, hi, limit);
    }

    /** The row of {@code method} in the same class with the same parameters and unit, or null. */
    private static Result baseline(Result r, List<Result> all, String method) {
        if (method == null) {
            return null;
        }
        for (Result o : all) {
            if (o.cls().equals(r.cls()) && o.method().equals(method) && o.params().equals(r.params())
                    && o.unit().equals(r.unit())) {
                return o;
            }
        }
        return null;
    }

    /** The row of {@code method} in the same class with the same {@code workload} parameter and unit, or null. */
    private static Result sameWorkload(Result r, List<Result> all, String method) {
        for (Result o : all) {
            if (o.cls().equals(r.cls()) && o.method().equals(method) && o.unit().equals(r.unit())
                    && java.util.Objects.equals(o.params().get("workload"), r.params().get("workload"))) {
                return o;
            }
        }
        return null;
    }

    private static String note(Result r) {
        String workload = r.params().get("workload");
        if (workload != null && r.cls().equals("UnplugLatencyBenchmark")) {
            String[] p = workload.split("x");
            if (p.length == 3) {
                long mappings = Long.parseLong(p[0]) * Long.parseLong(p[1]);
                return String.format(Locale.ROOT, "%s clients × %s BOs × %s: %d mappings, %d populated pages", p[0], p[1],
                        p[2], mappings, mappings * Math.max(1, size(p[2]) / 4096));
            }
        }
        String shape = r.params().get("shape");
        if (shape == null || !(r.cls().equals("RerouteBenchmark") || r.cls().equals("FirstTouchAfterRerouteBenchmark"))) {
            return "—";
        }
        int x = shape.indexOf('x');
        long count = Long.parseLong(shape.substring(0, x));
        long pages = count * Math.max(1, size(shape.substring(x + 1)) / 4096);
        double ns = r.score() * switch (r.unit()) {
            case "ms/op" -> 1e6;
            case "us/op" -> 1e3;
            default -> 1;
        };
        if (r.cls().equals("FirstTouchAfterRerouteBenchmark")) {
            return String.format(Locale.ROOT, "%s ns/page over %d pages", fmt(ns / pages), pages);
        }
        return String.format(Locale.ROOT, "%s ns/mapping", fmt(ns / count));
    }

    static long size(String s) {
        char u = s.charAt(s.length() - 1);
        long mult = switch (u) {
            case 'K', 'k' -> 1L << 10;
            case 'M', 'm' -> 1L << 20;
            case 'G', 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult;
    }

    static String area(Result r) {
        String b = r.benchmark();
        return switch (r.cls()) {
            case "GuardBenchmark" -> "Guard";
            case "RerouteBenchmark", "FirstTouchAfterRerouteBenchmark" -> "Fault rerouting";
            case "UnplugLatencyBenchmark" -> "REQ→released";
            case "EventFdRoundTripBenchmark", "EventFdPingPongBenchmark" -> "Interrupt path";
            default -> b.contains(".bench.driver.") ? "Submission" : b.contains(".bench.sim.") ? "Simulator engine" : "Other";
        };
    }

    private static int areaIndex(String area) {
        int i = AREAS.indexOf(area);
        return i < 0 ? AREAS.size() : i;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "**no**";
    }

    private static String str(Object o) {
        return o == null ? "—" : o.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Three significant figures, no exponent for ordinary magnitudes. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 0.001) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }
}
