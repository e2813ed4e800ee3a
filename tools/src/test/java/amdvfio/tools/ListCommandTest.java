package amdvfio.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listsAmdGpusFirstWithDriverGroupAndVfioReadiness(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir)
                .function("0000:00:02.0", 0x8086, 0x3e92, 0x030000, "i915", 1)
                .function("0000:03:00.0", 0x1002, 0x731f, 0x030000, "vfio-pci", 12)
                .function("0000:03:00.1", 0x1002, 0xab38, 0x040300, "snd_hda_intel", 12)
                .function("0000:05:00.0", 0x1002, 0x744c, 0x030000, "amdgpu", 14)
                .function("0000:00:1f.0", 0x8086, 0xa305, 0x060100, null, 2);

        Result r = run("list", "--sysfs-root", dir.toString());

        assertEquals(0, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertTrue(lines[0].startsWith("ADDRESS"), r.out);
        assertTrue(lines[1].startsWith("0000:03:00.0  1002:731f  VGA controller"), r.out);
        assertTrue(lines[1].contains("vfio-pci") && lines[1].contains("12"), r.out);
        assertTrue(lines[1].contains("group 12 blocked by 0000:03:00.1 (snd_hda_intel)"), r.out);
        assertTrue(lines[2].startsWith("0000:05:00.0  1002:744c") && lines[2].endsWith("bound to amdgpu"), r.out);
        assertTrue(lines[3].startsWith("0000:00:02.0  8086:3e92") && lines[3].contains("i915"), r.out);
        assertFalse(r.out.contains("0000:00:1f.0"), "non-GPU functions are left out without --all");
        assertTrue(r.out.contains("2 AMD GPU function(s), 0 ready for VFIO. Bind one with: amdvfio bind <address>"), r.out);
    }

    @Test
    void jsonListsTheSameRowsForScripts(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir)
                .function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12)
                .function("0000:00:1f.0", 0x8086, 0xa305, 0x060100, null, 2);

        Result r = run("list", "--json", "--all", "--sysfs-root", dir.toString());

        assertEquals(0, r.code, r.err);
        JsonNode doc = new ObjectMapper().readTree(r.out);
        assertEquals(2, doc.get("functionsScanned").asInt());
        assertEquals(1, doc.get("amdGpus").asInt());
        JsonNode gpu = doc.get("functions").get(0);
        assertEquals("0000:03:00.0", gpu.get("address").asText());
        assertEquals("0x73bf", gpu.get("deviceId").asText());
        assertTrue(gpu.get("vfioReady").asBoolean());
        assertEquals("READY", gpu.get("vfioStatus").asText());
        assertEquals(12, gpu.get("iommuGroup").asInt());
        assertTrue(doc.get("functions").get(1).get("iommuGroup").isInt());
    }

    @Test
    void withoutAnyGpuItSaysSoAndPointsToTheSimulator(@TempDir Path dir) throws Exception {
        new FakeSysfs(dir).function("0000:00:03.0", 0x1af4, 0x1000, 0x020000, "virtio-pci", -1);

        Result r = run("list", "--sysfs-root", dir.toString());

        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("No display or accelerator PCI function among the 1 functions"), r.out);
        assertTrue(r.out.contains("--sim navi10"), r.out);
    }

    @Test
    void listsThisMachinesRealPciFunctionsWithExitCodeZero() {
        Result r = run("list", "--all");

        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("ADDRESS") || r.out.contains("No display"), r.out);
    }

    @Test
    void aBadOptionPrintsAHintNotTheUsageAndExitsTwo() {
        Result r = run("list", "--no-such-option");

        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("Unknown option: '--no-such-option'"), r.err);
        assertTrue(r.err.contains("Try 'amdvfio list --help'"), r.err);
        assertFalse(r.err.contains("Usage:"), r.err);
    }

    @Test
    void noCommandAtAllIsAUsageError() {
        Result r = run();

        assertEquals(ExitCodes.USAGE, r.code);
        assertTrue(r.err.contains("a command is required"), r.err);
    }
}
