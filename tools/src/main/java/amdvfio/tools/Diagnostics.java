package amdvfio.tools;

import amdvfio.vfio.sysfs.ArrivalDiagnostics;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How list, info and watch show {@link ArrivalDiagnostics} findings: one or two lines each, and their JSON twin. */
final class Diagnostics {

    private Diagnostics() {
    }

    /** "Before a driver can run:" and each finding as "what" and, indented, "fix". Nothing when there are none. */
    @SafeVarargs
    static void print(PrintWriter out, List<ArrivalDiagnostics.Finding>... groups) {
        List<ArrivalDiagnostics.Finding> all = new ArrayList<>();
        for (List<ArrivalDiagnostics.Finding> g : groups) {
            all.addAll(g);
        }
        if (all.isEmpty()) {
            return;
        }
        out.println("Before a driver can run:");
        for (ArrivalDiagnostics.Finding f : all) {
            out.println("  " + f.what());
            out.println("    → " + f.fix());
        }
        out.flush();
    }

    static List<Map<String, Object>> json(List<ArrivalDiagnostics.Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ArrivalDiagnostics.Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().name());
            m.put("subject", f.subject());
            m.put("what", f.what());
            m.put("fix", f.fix());
            out.add(m);
        }
        return out;
    }
}
