package amdvfio.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The post-processor builds the right table from a small JMH JSON fixture (two runs) and probe rows. */
class ResultsTableTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = ResultsTableTest.class.getResourceAsStream("/report/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String table() throws IOException {
        String jmh = ResultsTable.mergeArrays(List.of(resource("jmh-part1.json"), resource("jmh-part2.json")));
        return ResultsTable.render(List.of("# results", "- Machine: test"), jmh, resource("probe.json"));
    }

    /** The table row whose Benchmark and Params cells are these. */
    private static String[] row(String md, String benchmark, String params) {
        return md.lines().filter(l -> l.startsWith("| "))
                .map(l -> Arrays.stream(l.substring(2, l.length() - 2).split(" \\| ", -1)).map(String::strip).toArray(String[]::new))
                .filter(c -> c[1].equals(benchmark) && c[2].equals(params))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + benchmark + " [" + params + "] in\n" + md));
    }

    @Test
    void shouldPutHeaderFirstAndOneRowPerResultProbeRowAndPlaceholder() throws IOException {
        String md = table();
        assertTrue(md.startsWith("# results\n- Machine: test\n\n| Area | Benchmark |"), md);
        long rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Area")).count();
        // 11 JMH results + 3 probe rows + 4 placeholders (fence latency, batches, driver copy, real
        // device); the encode placeholder is dropped because its benchmark is in the results
        assertEquals(11 + 3 + 4, rows, md);
    }

    @Test
    void shouldJudgeTheGuardTargetAndRatioAgainstTheVolatileRead() throws IOException {
        String[] r = row(table(), "GuardBenchmark.guardEnterExit_t1", "—");
        assertEquals("Guard", r[0]);
        assertEquals("3.50 ± 0.250 ns/op", r[3]);
        assertEquals("≤ 2 ns", r[4]);
        assertEquals("**no**", r[5], "the whole interval 3.25…3.75 is above 2 ns");
        assertEquals("7.00× volatile read", r[6]);
        assertEquals("≈ 0 (1.0e-04)", r[7]);
    }

    @Test
    void shouldComputeJavaOverCRatiosFromTheSameParametersAndJudgeThe12xTarget() throws IOException {
        String md = table();
        String[] java = row(md, "RerouteBenchmark.javaPerMapping", "shape=100x4K, touched=true");
        assertEquals("1.10× C", java[6]);
        assertEquals("≤ 1.2× C loop", java[4]);
        assertEquals("yes", java[5]);
        assertEquals("n/a", java[7], "per-invocation setup pollutes alloc: shown as n/a");
        assertEquals("2200 ns/mapping", java[8]);
        String[] table = row(md, "RerouteBenchmark.tableRerouteAll", "shape=100x4K, touched=true");
        assertEquals("300 us/op", table[3], "a NaN error (one iteration) is left out");
        assertEquals("1.20× C window; 1.50× C loop", table[6]);
        assertEquals("≤ 1.2× C window", table[4]);
        assertEquals("inconclusive (no interval)", table[5], "a ratio of 1.20 with no error proves nothing");
        String[] c = row(md, "RerouteBenchmark.cPerMapping", "shape=100x4K, touched=true");
        assertEquals("—", c[6]);
        assertEquals("—", c[4]);
        String[] efd = row(md, "EventFdRoundTripBenchmark.javaRoundTrip", "—");
        assertEquals("1.50× C", efd[6]);
        assertEquals("≈ 0 (3.00)", efd[7]);
    }

    @Test
    void shouldJudgeTheUnplugTargetFromItsIntervalAndNameTheWorkloadAndItsFloor() throws IOException {
        String md = table();
        String[] r = row(md, "UnplugLatencyBenchmark.requestToReleased", "workload=8x1000x4K, path=driver-nosave, device=sim");
        assertEquals("REQ→released", r[0]);
        assertEquals("1.90 ± 0.300 ms/op", r[3]);
        assertEquals("≤ 2 ms", r[4]);
        assertEquals("inconclusive", r[5], "1.9 is under 2 ms but the interval 1.6…2.2 is not");
        assertEquals("1.90× C floor", r[6]);
        assertEquals("8 clients × 1000 BOs × 4K: 8000 mappings, 8000 populated pages", r[8]);
        String[] floor = row(md, "UnplugLatencyBenchmark.cRemapFloor", "workload=8x1000x4K");
        assertEquals("—", floor[4]);
    }

    @Test
    void shouldReplaceOnlyTheReadmeSectionBetweenTheMarkersWithTheHeadlineRowsOfTheRun() throws IOException {
        String jmh = ResultsTable.mergeArrays(List.of(resource("jmh-part1.json"), resource("jmh-part2.json")));
        String table = ResultsTable.readmeTable(List.of("# results", "- Load average at start: 0.10"), jmh, resource("probe.json"));
        String readme = "intro\n### Latest results\n" + ResultsTable.README_BEGIN + "\nold hand-written figures\n"
                + ResultsTable.README_END + "\n## Requirements\n";

        String out = ResultsTable.spliceReadme(readme, table);

        assertTrue(out.startsWith("intro\n### Latest results\n" + ResultsTable.README_BEGIN + "\n"), out);
        assertTrue(out.endsWith(ResultsTable.README_END + "\n## Requirements\n"), out);
        assertFalse(out.contains("old hand-written figures"));
        assertFalse(out.contains("# results"), "the title line stays out of the README");
        assertTrue(out.contains("- Load average at start: 0.10"));
        assertTrue(out.contains("| UnplugLatencyBenchmark.requestToReleased | workload=8x1000x4K, path=driver-nosave, device=sim "
                + "| 1.90 ± 0.300 ms/op | ≤ 2 ms | inconclusive | 1.90× C floor |"), out);
        assertTrue(out.contains("| GuardBenchmark.guardEnterExit_t1 |"), "rows with a target are headline rows");
        assertFalse(out.contains("EventFdRoundTripBenchmark.cRoundTrip"), "rows without a target are not");
        assertThrows(IllegalArgumentException.class, () -> ResultsTable.spliceReadme("no markers", table));
    }

    @Test
    void shouldCallAVerdictOnlyWhenTheWholeIntervalIsOnOneSide() {
        assertEquals("yes", ResultsTable.verdict(1.0, 1.9, 2));
        assertEquals("**no**", ResultsTable.verdict(2.1, 3, 2));
        assertEquals("inconclusive", ResultsTable.verdict(1.5, 2.5, 2));
        assertEquals("inconclusive (no interval)", ResultsTable.verdict(Double.NaN, Double.NaN, 2));
    }

    @Test
    void shouldRenderProbeRowsAndPlaceholdersWithoutInventingNumbers() throws IOException {
        String md = table();
        String[] bo = row(md, "driver VRAM BO, mapped: Java heap + JVM native per BO", "n=1000");
        assertEquals("453 B/BO", bo[3]);
        assertEquals("yes", bo[5]);
        String[] read = row(md, "clients keep reading every page (3 passes)", "16x4M, ZERO_FILL");
        assertEquals("**no**", read[5]);
        String[] step = row(md, "early fini step reroute-mappings", "1000 BOs × 8 clients");
        assertEquals("—", step[4]);
        assertEquals("—", step[5]);
        String[] batches = row(md, "throughput, batches of 1, 16, 256 jobs", "—");
        assertEquals("not measured yet: no benchmark written", batches[3]);
        String[] fence = row(md, "submit→fence latency, interrupt and polling waits", "—");
        assertEquals("not measured in this run", fence[3]);
        assertEquals("Submission", row(md, "SubmitEncodeBenchmark.encodeAndCommitSmallJob", "asic=navi10")[0]);
        assertFalse(md.contains("| encode+commit of a small job"), "the placeholder goes once the benchmark is there");
    }

    @Test
    void shouldWriteMergedJsonAndTableFromTheCommandLine(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Path p = dir.resolve("p.json");
        Files.writeString(a, resource("jmh-part1.json"));
        Files.writeString(b, resource("jmh-part2.json"));
        Files.writeString(p, resource("probe.json"));
        ResultsTable.main(new String[] {"--jmh", a.toString(), "--jmh", b.toString(), "--extra", p.toString(),
                "--merged-json", dir.resolve("latest.json").toString(), "--out", dir.resolve("latest.md").toString(),
                "--header", "# results", "--header", "- Machine: test"});
        assertEquals(11, ResultsTable.parseJmh(Files.readString(dir.resolve("latest.json"))).size());
        assertEquals(table(), Files.readString(dir.resolve("latest.md")));
    }
}
