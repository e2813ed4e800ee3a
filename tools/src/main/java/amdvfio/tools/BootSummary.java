package amdvfio.tools;

import amdvfio.driver.boot.BootReport;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.reset.CardReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the card was brought up, as the demo, {@code info --boot} and the re-plug loops print it:
 * one line (state → action, firmware running, total), the steps with their times, and JSON.
 */
final class BootSummary {

    private BootSummary() {
    }

    /** "cold → boot; sOS 0x00310032, PMFW 78.128.0; 9 images in 27 steps, 212 ms". */
    static String line(BootReport r) {
        StringBuilder sb = new StringBuilder(r.card().summary());
        List<String> running = new ArrayList<>();
        r.firmware().stream().filter(f -> f.ucode().equals("SOS")).findFirst()
                .ifPresent(f -> running.add(String.format("sOS 0x%08x", f.version())));
        if (r.smu().running()) {
            running.add("PMFW " + r.smu().version());
        }
        if (!running.isEmpty()) {
            sb.append("; ").append(String.join(", ", running));
        }
        long images = r.firmware().stream().filter(f -> !f.ucode().equals("SOS")).count();
        sb.append("; ");
        if (images > 0) {
            sb.append(images).append(images == 1 ? " image" : " images").append(" loaded, ");
        }
        sb.append(r.steps().size()).append(r.steps().size() == 1 ? " step, " : " steps, ")
                .append(Report.time(r.total().toNanos()));
        return sb.toString();
    }

    /** True when this open loaded firmware into the card (cold, or reset then booted). */
    static boolean booted(BootReport r) {
        return r.card().action() != CardReport.Action.REUSE;
    }

    /**
     * The steps, a line each, grouped by block: "psp_v13_0  bootloader + sOS 4.1 ms, KM ring create
     * 0.2 ms, …". Blocks with only their hw_init give that one time.
     */
    static List<String> stepLines(BootReport r) {
        Map<String, List<String>> byBlock = new LinkedHashMap<>();
        for (BootStep s : r.steps()) {
            byBlock.computeIfAbsent(s.block(), b -> new ArrayList<>()).add(s.step() + " " + Report.time(s.time().toNanos()));
        }
        List<String> lines = new ArrayList<>();
        byBlock.forEach((block, steps) -> lines.add(String.format("%-12s %s", block, String.join(", ", steps))));
        return lines;
    }

    static Map<String, Object> json(BootReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        CardReport c = r.card();
        m.put("found", c.found().name());
        m.put("action", c.action().name());
        m.put("resetMethod", c.method().name());
        m.put("msReset", Report.ms(c.resetTime().toNanos()));
        m.put("note", c.note());
        m.put("msTotal", Report.ms(r.total().toNanos()));
        m.put("steps", r.steps().stream().map(s -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("block", s.block());
            e.put("step", s.step());
            e.put("ms", Report.ms(s.time().toNanos()));
            return e;
        }).toList());
        m.put("firmware", r.firmware().stream().map(BootSummary::json).toList());
        Map<String, Object> smu = new LinkedHashMap<>();
        smu.put("running", r.smu().running());
        smu.put("pmfwVersion", r.smu().running() ? r.smu().version() : null);
        smu.put("featuresOn", r.smu().featuresOn());
        smu.put("note", r.smu().note());
        m.put("smu", smu);
        return m;
    }

    private static Map<String, Object> json(LoadedFirmware f) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("ucode", f.ucode());
        e.put("file", f.file());
        e.put("version", String.format("0x%08x", f.version()));
        return e;
    }
}
