package amdvfio.bench.unplug;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ready-made table rows of the probes JMH is the wrong tool for ({@link MemoryProbe},
 * {@link UnplugBreakdown}), written as the JSON {@code ResultsTable --extra} renders after the JMH rows.
 */
final class ProbeRows {

    private final List<String> rows = new ArrayList<>();

    void add(String area, String name, String params, double value, String unit, String target, Boolean met, String note) {
        rows.add(String.format(Locale.ROOT,
                "  {\"area\": %s, \"name\": %s, \"params\": %s, \"value\": %s, \"unit\": %s, \"target\": %s, \"met\": %s, \"note\": %s}",
                q(area), q(name), q(params), Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.1f", value),
                q(unit), q(target), met == null ? "null" : met.toString(), q(note)));
    }

    String json() {
        return "{\"rows\": [\n" + String.join(",\n", rows) + "\n]}\n";
    }

    private static String q(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
