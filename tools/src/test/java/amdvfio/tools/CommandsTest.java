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
            assertEquals("DETACHED", doc.get("teardown").get("state").asText().equals("RELEASED") ? "DETACHED"
                    : doc.get("teardown").get("state").asText());
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
    void hotplugLoopReportsEveryIterationAndNoLeak() throws Exception {
        JsonNode doc = json(run("hotplug-loop", "--sim", "navi10", "--iterations", "5", "--json", "--no-progress"));
        assertEquals(5, doc.get("healthy").asInt());
        assertTrue(doc.get("leakAfterLoop").isNull());
        assertTrue(doc.get("statsMs").get("toHealthy").get("max").asDouble() > 0);
        Result human = run("hotplug-loop", "--sim", "vega10", "--iterations", "3", "--mode", "surprise", "--no-progress");
        assertEquals(0, human.code, human.err);
        assertTrue(human.out.contains("healthy re-plugs 3") && human.out.contains("back and healthy"), human.out);
    }

    @Test
    void soakAndWatchRunOnTheSimulator() throws Exception {
        JsonNode soak = json(run("soak", "--sim", "navi10", "--duration", "2s", "--seed", "7", "--json", "--no-progress"));
        assertTrue(soak.get("ok").asBoolean(), soak.toString());
        assertEquals(7, soak.get("seed").asLong());
        Result watch = run("watch", "--sim", "navi10", "--cycles", "2", "--interval", "50ms");
        assertEquals(0, watch.code, watch.err);
        assertTrue(watch.out.contains("2 plug/unplug cycle(s)") && watch.out.contains("removed (REQ)"), watch.out);
        Result lines = run("watch", "--sim", "navi10", "--cycles", "1", "--interval", "50ms", "--json");
        assertEquals(0, lines.code, lines.err);
        assertEquals("arrived", new ObjectMapper().readTree(lines.out.lines().findFirst().orElseThrow()).get("event").asText());
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
        FakeSysfs fake = new FakeSysfs(dir).function("0000:03:00.0", 0x1002, 0x731f, 0x030000, "vfio-pci", 12);
        Path dev = dir.resolve("bus/pci/devices/0000:03:00.0");
        for (Path f : new Path[] {dev.resolve("remove"), dir.resolve("bus/pci/rescan"), dir.resolve("bus/pci/drivers_probe")}) {
            Files.writeString(f, "");
        }
        Files.createDirectories(dir.resolve("bus/pci/drivers/vfio-pci"));
        Files.setPosixFilePermissions(dev.resolve("driver_override"), PosixFilePermissions.fromString("r--r--r--"));
        Result r = run("hotplug-loop", "0000:03:00.0", "--iterations", "1", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code, r.err);
        assertTrue(r.err.contains("driver_override") && r.err.contains("read-only"), r.err);
        Result b = run("unbind", "0000:03:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, b.code, b.err);
        assertTrue(fake.root.equals(dir));
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
    void helpDocumentsEveryCommandAndTheExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.code);
        for (String c : new String[] {"demo", "list", "info", "test", "hotplug-loop", "bind", "unbind", "watch", "soak"}) {
            assertTrue(r.out.contains("  " + c), c + "\n" + r.out);
        }
        assertTrue(r.out.contains("4    device lost during the command"), r.out);
    }
}
