package amdvfio.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What stops an eGPU before any driver runs, found by list (and --json) on fake sysfs trees. */
class ArrivalDiagnosticsTest {

    static final long MEM64_PREF = 0x14220c;
    static final long MEM32 = 0x40200;

    @TempDir
    Path dir;

    FakeSysfs healthyCard() throws Exception {
        FakeSysfs f = new FakeSysfs(dir)
                .function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12)
                .resource("0000:03:00.0", new long[] {0x6000000000L, 0x63ffffffffL, MEM64_PREF}, new long[3],
                        new long[] {0x6400000000L, 0x64001fffffL, MEM64_PREF}, new long[3], new long[3],
                        new long[] {0xfc900000L, 0xfc9fffffL, MEM32})
                .attr("0000:03:00.0", "current_link_speed", "16.0 GT/s PCIe").attr("0000:03:00.0", "max_link_speed", "16.0 GT/s PCIe")
                .attr("0000:03:00.0", "current_link_width", "16").attr("0000:03:00.0", "max_link_width", "16");
        Files.createDirectories(dir.resolve("bus/pci/drivers/vfio-pci"));
        return f;
    }

    JsonNode listJson() throws Exception {
        CommandsTest.Result r = CommandsTest.run("list", "--json", "--sysfs-root", dir.toString());
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void aHealthyCardOnAnIommuMachineHasNothingToSay() throws Exception {
        healthyCard();

        CommandsTest.Result r = CommandsTest.run("list", "--sysfs-root", dir.toString());

        assertFalse(r.out().contains("Before a driver can run"), r.out());
        assertEquals(0, listJson().get("diagnostics").size());
    }

    @Test
    void anUnauthorizedThunderboltDeviceIsNamedWithHowToAuthorizeIt() throws Exception {
        healthyCard().thunderbolt("0-1", false, "Razer", "Core X Chroma", "c6030000-0072-6d0e-2322-8f1d9c4e1b22")
                .thunderbolt("0-3", true, "Apple", "Dock", "x");

        CommandsTest.Result r = CommandsTest.run("list", "--sysfs-root", dir.toString());

        assertTrue(r.out().contains("Thunderbolt device 0-1 (Razer Core X Chroma) is connected but not authorized"), r.out());
        assertTrue(r.out().contains("boltctl authorize c6030000-0072-6d0e-2322-8f1d9c4e1b22, or amdvfio watch --authorize"), r.out());
        assertFalse(r.out().contains("0-3"), "an authorized device is fine");
        assertEquals("0", Files.readString(dir.resolve("bus/thunderbolt/devices/0-1/authorized")).strip(),
                "list only reports; it authorizes nothing");
        assertEquals("THUNDERBOLT_NOT_AUTHORIZED", listJson().get("diagnostics").get(0).get("kind").asText());
    }

    @Test
    void barsTheKernelCouldNotAssignNamePciReallocAndTheHotplugWindow() throws Exception {
        healthyCard().resource("0000:03:00.0", new long[3], new long[3],
                new long[] {0, 0x1fffff, MEM64_PREF}, new long[3], new long[3], new long[] {0xfc900000L, 0xfc9fffffL, MEM32});

        JsonNode d = listJson().get("functions").get(0).get("diagnostics").get(0);

        assertEquals("BAR_UNASSIGNED", d.get("kind").asText());
        assertTrue(d.get("what").asText().contains("could not assign BAR0, BAR2"), d.toString());
        assertTrue(d.get("fix").asText().contains("pci=realloc") && d.get("fix").asText().contains("pci=hpmmioprefsize="), d.toString());
    }

    @Test
    void aSmallBar0SaysWhetherResizeOffersALargerOne() throws Exception {
        healthyCard().resource("0000:03:00.0", new long[] {0xe0000000L, 0xefffffffL, MEM64_PREF}, new long[3],
                        new long[] {0xf0000000L, 0xf01fffffL, MEM64_PREF}, new long[3], new long[3],
                        new long[] {0xfc900000L, 0xfc9fffffL, MEM32})
                .attr("0000:03:00.0", "resource0_resize", "0000000000003ff0"); // 16 MiB … 8 GiB

        JsonNode d = listJson().get("functions").get(0).get("diagnostics").get(0);

        assertEquals("SMALL_BAR", d.get("kind").asText());
        assertTrue(d.get("what").asText().contains("BAR0 is 256 MiB"), d.toString());
        assertTrue(d.get("fix").asText().contains("up to 8 GiB (resource0_resize)") && d.get("fix").asText().contains("write 13"),
                d.toString());
    }

    @Test
    void aLinkTrainedBelowItsMaximumIsReported() throws Exception {
        healthyCard().attr("0000:03:00.0", "current_link_speed", "2.5 GT/s PCIe").attr("0000:03:00.0", "current_link_width", "4");

        JsonNode d = listJson().get("functions").get(0).get("diagnostics").get(0);

        assertEquals("LINK_DEGRADED", d.get("kind").asText());
        assertTrue(d.get("what").asText().contains("2.5 GT/s PCIe x4, below its maximum 16.0 GT/s PCIe x16"), d.toString());
    }

    @Test
    void noIommuAndNoVfioPciAreSaidWithWhatToDo() throws Exception {
        new FakeSysfs(dir).function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", -1);

        CommandsTest.Result r = CommandsTest.run("list", "--sysfs-root", dir.toString());

        assertTrue(r.out().contains("the vfio-pci driver is not loaded") && r.out().contains("modprobe vfio-pci"), r.out());
        assertTrue(r.out().contains("the IOMMU is off") && r.out().contains("amd_iommu=on"), r.out());
    }

    @Test
    void infoExplainsWhatStopsTheDeviceWhenItCannotOpenIt() throws Exception {
        new FakeSysfs(dir).function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12)
                .thunderbolt("0-1", false, "Razer", "Core X", "c603")
                .attr("0000:03:00.0", "current_link_speed", "8.0 GT/s PCIe").attr("0000:03:00.0", "max_link_speed", "16.0 GT/s PCIe")
                .attr("0000:03:00.0", "current_link_width", "4").attr("0000:03:00.0", "max_link_width", "16");

        CommandsTest.Result r = CommandsTest.run("info", "0000:03:00.0", "--sysfs-root", dir.toString());

        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
        assertTrue(r.err().contains("Before a driver can run:"), r.err());
        assertTrue(r.err().contains("Thunderbolt device 0-1") && r.err().contains("8.0 GT/s PCIe x4, below its maximum"), r.err());
        assertTrue(r.err().contains("vfio-pci driver is not loaded"), r.err());
    }
}
