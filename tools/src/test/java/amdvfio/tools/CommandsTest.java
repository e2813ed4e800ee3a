package amdvfio.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command against the simulator, human and --json; every bad input a new user would try. */
class CommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.code, r.err);
        return new ObjectMapper().readTree(r.out);
    }

    /** JSON lines: every line a document of its own. */
    static List<JsonNode> jsonLines(Result r) throws Exception {
        assertEquals(0, r.code, r.err);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out.lines().toList()) {
            lines.add(new ObjectMapper().readTree(l));
        }
        return lines;
    }

    @Test
    void demoTellsTheWholeStoryOnTheSimulatedNavi10ByDefault() {
        Result r = run("demo");
        assertEquals(0, r.code, r.err + r.out);
        for (String phase : new String[] {"probe", "verify engines", "clients", "remove", "loss signal", "early fini",
                "release", "fences", "mappings", "late fini", "re-plug", "new device", "leak check"}) {
            assertTrue(r.out.contains(phase), phase + " missing:\n" + r.out);
        }
        assertTrue(r.out.contains("simulated Navi10"), r.out);
        assertTrue(r.out.contains("VFIO REQ eventfd"), r.out);
        assertFalse(r.out.contains("FAILED"), r.out);
    }

    @Test
    void demoJsonHasPhasesClientsBufferFatesAndLeakCheckForSurpriseAndAer() throws Exception {
        for (String how : new String[] {"--surprise", "--aer"}) {
            JsonNode doc = json(run("demo", "--sim", "navi21", how, "--json"));
            assertTrue(doc.get("ok").asBoolean(), doc.toString());
            assertEquals(13, doc.get("phases").size());
            assertEquals("loss signal", doc.get("phases").get(4).get("phase").asText());
            JsonNode c0 = doc.get("clients").get(0);
            assertTrue(c0.get("lastFenceCompleted").asBoolean());
            assertTrue(c0.get("mappingsReadWriteAfterLoss").asBoolean());
            assertEquals("kept", c0.get("buffers").get(0).get("contentAfterLoss").asText(), "GTT data survives any removal");
            assertEquals("KEPT", c0.get("buffers").get(0).get("driverFate").asText());
            assertEquals("DUMMY", c0.get("buffers").get(1).get("driverFate").asText(), "VRAM is lost on a surprise or AER");
            String state = doc.get("teardown").get("state").asText();
            assertTrue(state.equals("DETACHED") || state.equals("RELEASED"), state);
            assertTrue(doc.get("teardown").get("steps").toString().contains("force-complete-fences"));
            assertTrue(doc.get("leakCheck").get("ok").asBoolean());
        }
    }

    @Test
    void infoShowsAsicIpBasesBarsVramIrqsAndVfioInterface() throws Exception {
        Result r = run("info", "--sim", "navi10");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("navi10") && r.out.contains("IP discovery table") && r.out.contains("BAR0"), r.out);
        JsonNode doc = json(run("info", "--sim", "vega10", "--json"));
        assertEquals("vega10", doc.get("asic").asText());
        assertTrue(doc.get("vramBytes").asLong() > 0);
        assertTrue(doc.get("irqs").toString().contains("REQ"));
        assertTrue(doc.get("ips").size() >= 4);
    }

    @Test
    void testCommandPassesEveryItemOnNavi31() throws Exception {
        JsonNode doc = json(run("test", "--sim", "navi31", "--json"));
        assertEquals(0, doc.get("failed").asInt(), doc.toString());
        assertTrue(doc.toString().contains("IB test sdma0") && doc.toString().contains("interrupt round trip"));
        Result human = run("test", "--sim", "navi10");
        assertEquals(0, human.code, human.err);
        assertTrue(human.out.contains("PASS  ring test sdma1"), human.out);
    }

    @Test
    void hotplugLoopStreamsEveryIterationThenASummaryWithNoLeak() throws Exception {
        Result loop = run("hotplug-loop", "--sim", "navi10", "--iterations", "5", "--json", "--no-progress");
        List<JsonNode> lines = jsonLines(loop);
        assertEquals(6, lines.size(), "five iterations as they end, then the summary: " + loop.out);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, lines.get(i).get("iteration").asInt(), lines.get(i).toString());
        }
        JsonNode doc = lines.get(5);
        assertTrue(doc.get("summary").asBoolean(), doc.toString());
        assertEquals(5, doc.get("iterations").asInt());
        assertEquals(5, doc.get("healthy").asInt());
        assertTrue(doc.get("firstFailure").isNull(), doc.toString());
        assertTrue(doc.get("leakAfterLoop").isNull());
        for (String phase : new String[] {"toSignal", "earlyFini", "toRelease", "toHealthy"}) {
            JsonNode p = doc.get("latencyMs").get(phase);
            assertEquals(5, p.get("count").asInt(), phase);
            double previous = 0;
            for (String q : new String[] {"p50", "p90", "p99", "p99.9", "max"}) {
                assertTrue(p.get(q).asDouble() >= previous && p.get(q).asDouble() > 0, phase + " " + q + ": " + p);
                previous = p.get(q).asDouble();
            }
        }
        Result human = run("hotplug-loop", "--sim", "vega10", "--iterations", "3", "--mode", "surprise", "--no-progress");
        assertEquals(0, human.code, human.err);
        assertTrue(human.out.contains("healthy re-plugs 3") && human.out.contains("back and healthy"), human.out);
        assertTrue(human.out.contains("p99.9") && human.out.contains("device released: yes"), human.out);
    }

    @Test
    void soakAndWatchRunOnTheSimulator() throws Exception {
        Result soak = run("soak", "--sim", "navi10", "--duration", "2s", "--seed", "7", "--json", "--no-progress");
        List<JsonNode> lines = jsonLines(soak);
        JsonNode summary = lines.get(lines.size() - 1);
        assertTrue(summary.get("summary").asBoolean() && summary.get("ok").asBoolean(), summary.toString());
        assertEquals(7, summary.get("seed").asLong());
        assertTrue(lines.size() >= 3, "rounds are streamed as they end: " + soak.out);
        assertEquals(lines.size() - 1, summary.get("rounds").asInt());
        assertEquals(lines.size() - 1, summary.get("latencyMs").get("toRelease").get("count").asInt());
        assertEquals(2, lines.get(1).get("iteration").asInt());
        Result watch = run("watch", "--sim", "navi10", "--cycles", "2", "--interval", "50ms");
        assertEquals(0, watch.code, watch.err);
        assertTrue(watch.out.contains("2 plug/unplug cycle(s)") && watch.out.contains("removed (REQ)"), watch.out);
        assertTrue(watch.out.contains("p50") && watch.out.contains("back and healthy"), watch.out);
        Result events = run("watch", "--sim", "navi10", "--cycles", "1", "--interval", "50ms", "--json");
        assertEquals(0, events.code, events.err);
        List<String> ev = events.out.lines().toList();
        assertEquals("arrived", new ObjectMapper().readTree(ev.get(0)).get("event").asText());
        JsonNode stopped = new ObjectMapper().readTree(ev.get(ev.size() - 1));
        assertEquals("stopped", stopped.get("event").asText());
        assertEquals(1, stopped.get("cycles").asInt());
        assertEquals(1, stopped.get("latencyMs").get("earlyFini").get("count").asInt());
    }

    @Test
    void bindOnTheSimulatorHasNothingToDo() {
        Result r = run("bind", "--sim", "navi10");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("needs no driver binding"), r.out);
    }

    // ------------------------------------------------------------------ bad input, as a new user types it

    @Test
    void aMalformedAddressIsAUsageError() {
        Result r = run("info", "03:00");
        assertEquals(ExitCodes.USAGE, r.code, r.err);
        assertTrue(r.err.contains("03:00"), r.err);
        assertFalse(r.err.contains("at amdvfio"), "no stack trace without --debug");
    }

    @Test
    void aMissingDeviceExitsThreeAndSaysWhatToDo(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir).function("0000:00:02.0", 0x8086, 0x3e92, 0x030000, "i915", 1);
        Result r = run("info", "0000:09:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code, r.err);
        assertTrue(r.err.contains("0000:09:00.0"), r.err);
        assertTrue(r.err.lines().count() <= 2, r.err);
        assertFalse(r.err.contains("amdvfio rescan"), "there is no such command: " + r.err);
        assertTrue(r.err.contains("/sys/bus/pci/rescan"), r.err);
        Result j = run("info", "0000:09:00.0", "--sysfs-root", dir.toString(), "--json");
        assertEquals(ExitCodes.DEVICE_NOT_READY, j.code);
        JsonNode e = new ObjectMapper().readTree(j.err).get("error");
        assertEquals(3, e.get("exitCode").asInt(), j.err);
        assertEquals("device-not-ready", e.get("kind").asText());
        assertTrue(e.get("message").asText().contains("0000:09:00.0"));
    }

    @Test
    void anUnknownAsicListsTheKnownOnes() {
        Result r = run("demo", "--sim", "polaris10");
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("unknown ASIC 'polaris10'") && r.err.contains("navi21"), r.err);
    }

    @Test
    void aNegativeIterationCountIsAUsageError() {
        Result r = run("hotplug-loop", "--sim", "navi10", "--iterations", "-3");
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("--iterations must be a positive number"), r.err);
        assertEquals(ExitCodes.USAGE, run("soak", "--sim", "navi10", "--duration", "ten").code);
        assertEquals(ExitCodes.USAGE, run("hotplug-loop", "--sim", "navi10", "--mode", "yank").code);
    }

    @Test
    void noDeviceAtAllIsAUsageErrorPointingToSim() {
        Result r = run("test");
        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("--sim navi10"), r.err);
    }

    @Test
    void anUnwritableSysfsIsRefusedWithExitThree(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir).function("0000:03:00.0", 0x1002, 0x731f, 0x030000, "vfio-pci", 12);
        Path dev = dir.resolve("bus/pci/devices/0000:03:00.0");
        for (Path f : new Path[] {dev.resolve("remove"), dir.resolve("bus/pci/rescan"), dir.resolve("bus/pci/drivers_probe")}) {
            Files.writeString(f, "");
        }
        Files.createDirectories(dir.resolve("bus/pci/drivers/vfio-pci"));
        Files.setPosixFilePermissions(dev.resolve("driver_override"), PosixFilePermissions.fromString("r--r--r--"));
        Result r = run("hotplug-loop", "0000:03:00.0", "--iterations", "1", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code, r.err);
        assertTrue(r.err.contains("driver_override") && r.err.contains("read-only"), r.err);
        assertEquals("", Files.readString(dev.resolve("remove")), "refused before removing anything");
        Result b = run("unbind", "0000:03:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, b.code, b.err);
        assertEquals("vfio-pci", dev.resolve("driver").toRealPath().getFileName().toString(), "still bound: nothing changed");
    }

    @Test
    void hotplugLoopRefusesADeviceOfAnotherDriverOrTheBootDisplay(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir).function("0000:05:00.0", 0x1002, 0x744c, 0x030000, "amdgpu", 14)
                .function("0000:06:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 15);
        Files.writeString(dir.resolve("bus/pci/devices/0000:06:00.0/boot_vga"), "1\n");
        Result r = run("hotplug-loop", "0000:05:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code, r.err);
        assertTrue(r.err.contains("belongs to amdgpu") && r.err.contains("--force"), r.err);
        Result v = run("hotplug-loop", "0000:06:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, v.code, v.err);
        assertTrue(v.err.contains("boot display"), v.err);
    }

    @Test
    void bindExplainsAMissingIommuGroup(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir).function("0000:03:00.0", 0x1002, 0x731f, 0x030000, "amdgpu", -1);
        Result r = run("bind", "0000:03:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code, r.err);
        assertTrue(r.err.contains("no IOMMU group") && r.err.contains("iommu=on"), r.err);
    }

    @Test
    void aUsageErrorIsOneLineAndAHintNotTheHelp() {
        Result r = run("demo", "--clients", "0");
        assertEquals(ExitCodes.USAGE, r.code);
        assertEquals(List.of("amdvfio demo: --clients must be between 1 and 64, not 0",
                "Try 'amdvfio demo --help' for the options."), r.err.lines().toList());
        Result typo = run("hotplug-loop", "--sim", "navi10", "--iteratons", "3");
        assertEquals(ExitCodes.USAGE, typo.code);
        assertTrue(typo.err.lines().count() <= 2 && typo.err.contains("--iterations"), "a suggestion: " + typo.err);
        assertFalse(typo.err.contains("Usage:"), typo.err);
    }

    @Test
    void aDurationTooLongForTheClockIsAUsageError() {
        for (String d : new String[] {"99999999h", "9999999999999999999999h", "366000000s"}) {
            Result r = run("soak", "--sim", "navi10", "--duration", d);
            assertEquals(ExitCodes.USAGE, r.code, d + ": " + r.err);
            assertTrue(r.err.contains("too long") && r.err.contains("8760h"), r.err);
            assertFalse(r.err.contains("overflow"), r.err);
        }
    }

    @Test
    void aUsageErrorUnderJsonIsJson() throws Exception {
        Result r = run("demo", "--clients", "99", "--json");
        assertEquals(ExitCodes.USAGE, r.code);
        JsonNode e = new ObjectMapper().readTree(r.err).get("error");
        assertEquals("usage", e.get("kind").asText());
        assertTrue(e.get("message").asText().contains("--clients"), r.err);
        assertEquals("", r.out);
    }

    @Test
    void everyCommandPrintsTheVersion() {
        for (String c : new String[] {"demo", "list", "info", "test", "hotplug-loop", "bind", "unbind", "watch", "soak"}) {
            Result r = run(c, "-V");
            assertEquals(0, r.code, c);
            assertTrue(r.out.startsWith("amdvfio "), c + ": '" + r.out + "'");
        }
        assertTrue(run("--version").out.startsWith("amdvfio "));
    }

    @Test
    void hotplugLoopDrawsItsLatenciesAndWritesTheIntervalLog(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("latency.png");
        Path log = dir.resolve("latency.hlog");
        Result r = run("hotplug-loop", "--sim", "navi10", "-n", "4", "--plot", png.toString(),
                "--histogram-log", log.toString(), "--log-interval", "1ms");
        assertEquals(0, r.code, r.err);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 800 && img.getHeight() >= 600, img.getWidth() + "x" + img.getHeight());
        long total = 0;
        java.util.Set<String> tags = new java.util.HashSet<>();
        try (org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(log.toFile())) {
            for (var h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
                tags.add(h.getTag());
                total += ((org.HdrHistogram.Histogram) h).getTotalCount();
            }
        }
        assertEquals(java.util.Set.of("toSignal", "earlyFini", "toRelease", "boot", "toHealthy"), tags);
        assertEquals(20, total, "4 iterations x 5 phases, each in exactly one interval");
    }

    @Test
    void anUnwritablePlotIsAClearFailure(@TempDir Path dir) {
        Result r = run("hotplug-loop", "--sim", "navi10", "-n", "1", "--plot", dir.resolve("no/such/dir/p.png").toString());
        assertEquals(ExitCodes.FAILURE, r.code, r.err);
        assertTrue(r.err.contains("cannot write the plot"), r.err);
    }

    @Test
    void helpDocumentsEveryCommandAndTheExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.code);
        for (String c : new String[] {"demo", "list", "info", "test", "hotplug-loop", "bind", "unbind", "watch", "soak"}) {
            assertTrue(r.out.contains("  " + c), c + "\n" + r.out);
        }
        assertTrue(r.out.contains("4    device lost during the command"), r.out);
    }
}
