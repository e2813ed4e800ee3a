package amdvfio.tools;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.Sysfs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bind, unbind and the re-plug path on fake sysfs trees with a {@link FakePciKernel} answering
 * the writes: the IOMMU group moves as one, previous drivers come back, and what could hurt the
 * host is refused without --force.
 */
class BindGroupTest {

    @TempDir
    Path dir;
    FakePciKernel kernel;

    @AfterEach
    void stopKernel() throws Exception {
        if (kernel != null) {
            kernel.close();
        }
    }

    /** An AMD card (GPU + HDMI audio) in group 12 behind its bridge, and whatever {@code extra} adds. */
    FakeSysfs card() throws Exception {
        return new FakeSysfs(dir)
                .function("0000:00:01.1", 0x1022, 0x1483, 0x060400, "pcieport", 12)
                .function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12)
                .function("0000:03:00.1", 0x1002, 0xab28, 0x040300, "snd_hda_intel", 12);
    }

    void startKernel() throws Exception {
        kernel = new FakePciKernel(new FakeSysfs(dir, true), Map.of("0000:03:00.0", "amdgpu",
                "0000:03:00.1", "snd_hda_intel", "0000:00:19.0", "e1000e", "0000:00:17.0", "ahci"));
    }

    String driver(String bdf) throws Exception {
        if (kernel != null) {
            kernel.settle();
        }
        Path link = dir.resolve("bus/pci/devices").resolve(bdf).resolve("driver");
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : null;
    }

    static CommandsTest.Result run(String... args) {
        return CommandsTest.run(args);
    }

    @Test
    void bindMovesTheWholeGroupShowingThePlanAndUnbindRestoresEachPreviousDriver() throws Exception {
        card();
        startKernel();

        CommandsTest.Result b = run("bind", "03:00.0", "--sysfs-root", dir.toString());

        assertEquals(0, b.code(), b.err() + b.out());
        assertEquals("vfio-pci", driver("0000:03:00.0"));
        assertEquals("vfio-pci", driver("0000:03:00.1"), "the HDMI audio function moves with its GPU");
        assertEquals("pcieport", driver("0000:00:01.1"), "the bridge stays");
        assertTrue(b.out().contains("0000:03:00.1") && b.out().contains("snd_hda_intel") && b.out().contains("Audio device"), b.out());
        assertTrue(b.out().indexOf("0000:03:00.1") < b.out().indexOf("VFIO: ready"), "the plan is shown before the result");
        assertTrue(Files.readString(dir.resolve(".amdvfio/driverctl.d/pci-0000:03:00.1")).contains("previous=snd_hda_intel"));
        assertEquals(0, run("bind", "0000:03:00.0", "--sysfs-root", dir.toString()).code(), "binding again changes nothing");
        assertTrue(Files.readString(dir.resolve(".amdvfio/driverctl.d/pci-0000:03:00.1")).contains("previous=snd_hda_intel"),
                "a second bind keeps the driver from before the first");

        CommandsTest.Result u = run("unbind", "0000:03:00.0", "--sysfs-root", dir.toString(), "--json");

        assertEquals(0, u.code(), u.err() + u.out());
        assertEquals("amdgpu", driver("0000:03:00.0"));
        assertEquals("snd_hda_intel", driver("0000:03:00.1"));
        JsonNode doc = new ObjectMapper().readTree(u.out());
        assertEquals("snd_hda_intel", doc.get("members").get(2).get("to").asText(), doc.toString());
        assertFalse(Files.exists(dir.resolve(".amdvfio/driverctl.d/pci-0000:03:00.1")), "the override is forgotten");
        assertEquals("", Files.readString(dir.resolve("bus/pci/devices/0000:03:00.1/driver_override")).strip(),
                "driver_override cleared");
    }

    @Test
    void aRescanBringsEveryFunctionOfTheGroupBackOnVfioEvenWhenNativeDriversClaimThemFirst() throws Exception {
        card();
        startKernel();
        assertEquals(0, run("bind", "0000:03:00.0", "--sysfs-root", dir.toString()).code());
        HostTestbench tb = new HostTestbench(new Sysfs(dir), PciAddress.parse("0000:03:00.0"));

        tb.remove(Testbench.Removal.ORDERLY);
        tb.bringBack(Duration.ofSeconds(10));

        assertEquals("vfio-pci", driver("0000:03:00.0"));
        assertEquals("vfio-pci", driver("0000:03:00.1"));
        String log = String.join("\n", kernel.log());
        assertTrue(log.contains("remove 0000:03:00.1") && log.contains("remove 0000:03:00.0"), log);
        assertTrue(log.contains("add 0000:03:00.1\nbind 0000:03:00.1 to snd_hda_intel"), "the fake claims natively:\n" + log);
        assertTrue(log.endsWith("bind 0000:03:00.1 to vfio-pci"), log);
    }

    @Test
    void aNetworkCardOrADiskControllerIsRefusedAndTakenOnlyWithForce() throws Exception {
        new FakeSysfs(dir)
                .function("0000:00:19.0", 0x8086, 0x15b8, 0x020000, "e1000e", 7)
                .function("0000:00:17.0", 0x8086, 0xa282, 0x010601, "ahci", 8);
        startKernel();

        for (String bdf : new String[] {"0000:00:19.0", "0000:00:17.0"}) {
            CommandsTest.Result r = run("bind", bdf, "--sysfs-root", dir.toString());
            assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
            assertTrue(r.err().contains("not an AMD GPU") && r.err().contains("--force"), r.err());
            assertFalse("vfio-pci".equals(driver(bdf)), "nothing changed");
        }
        assertTrue(run("bind", "0000:00:19.0", "--sysfs-root", dir.toString()).err().contains("an Ethernet controller (8086:15b8)"));

        CommandsTest.Result forced = run("bind", "0000:00:17.0", "--force", "--sysfs-root", dir.toString());
        assertEquals(0, forced.code(), forced.err());
        assertEquals("vfio-pci", driver("0000:00:17.0"));
    }

    @Test
    void aGroupSharedWithAHostDeviceIsRefused() throws Exception {
        card().function("0000:00:19.0", 0x8086, 0x15b8, 0x020000, "e1000e", 12);
        startKernel();

        CommandsTest.Result r = run("bind", "0000:03:00.0", "--sysfs-root", dir.toString());

        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
        assertTrue(r.err().contains("0000:00:19.0") && r.err().contains("no ACS"), r.err());
        assertEquals("amdgpu", driver("0000:03:00.0"));
    }

    @Test
    void aGpuDrivingADisplayIsRefusedUnlessForced() throws Exception {
        card().drm("0000:03:00.0", "card1", "renderD128").connector("0000:03:00.0", "card1", "DP-2", "connected", "enabled");
        startKernel();

        CommandsTest.Result r = run("bind", "0000:03:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
        assertTrue(r.err().contains("drives a display: its output DP-2 shows a display"), r.err());

        CommandsTest.Result boot = run("bind", "0000:03:00.0", "--sysfs-root", card2BootVga());
        assertTrue(boot.err().contains("boot display (boot_vga = 1)"), boot.err());

        assertEquals(0, run("bind", "0000:03:00.0", "--force", "--sysfs-root", dir.toString()).code());
        assertEquals("vfio-pci", driver("0000:03:00.1"));
    }

    private String card2BootVga() throws Exception {
        new FakeSysfs(dir, true).bootVga("0000:03:00.0");
        return dir.toString();
    }

    @Test
    void aGpuWithUsersIsRefusedNamingTheProcesses() throws Exception {
        card().drm("0000:03:00.0", "card1", "renderD128")
                .process(4242, "Xwayland", "dri/renderD128")
                .process(777, "python3", "kfd")
                .process(12, "bash", "null");
        startKernel();

        CommandsTest.Result r = run("bind", "0000:03:00.0", "--sysfs-root", dir.toString());

        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
        assertTrue(r.err().contains("python3 (pid 777") && r.err().contains("Xwayland (pid 4242"), r.err());
        assertFalse(r.err().contains("bash"), r.err());
        assertEquals("amdgpu", driver("0000:03:00.0"));
        assertEquals(0, run("bind", "0000:03:00.0", "--force", "--sysfs-root", dir.toString()).code());
    }

    @Test
    void unbindRefusesAFunctionNotOnVfioPciUnlessForced() throws Exception {
        card();
        startKernel();

        CommandsTest.Result r = run("unbind", "0000:03:00.0", "--sysfs-root", dir.toString());
        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.err());
        assertTrue(r.err().contains("bound to amdgpu, not vfio-pci"), r.err());
        assertEquals("amdgpu", driver("0000:03:00.0"));

        CommandsTest.Result f = run("unbind", "0000:03:00.0", "--force", "--no-reprobe", "--sysfs-root", dir.toString());
        assertEquals(0, f.code(), f.err());
        assertEquals(null, driver("0000:03:00.0"));
    }

    @Test
    void aShortAddressIsAcceptedOnlyWhereItNamesOneFunction() throws Exception {
        card().function("0001:03:00.0", 0x1002, 0x744c, 0x030000, "amdgpu", 40);

        CommandsTest.Result r = run("bind", "03:00.0", "--sysfs-root", dir.toString());

        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("names 2 functions (0000:03:00.0, 0001:03:00.0)"), r.err());
    }

    @Test
    void watchAuthorizesTheThunderboltEgpuOnlyWhenAskedAndBindsItsWholeGroupOnArrival() throws Exception {
        card().thunderbolt("0-1", false, "Razer", "Core X", "c6030000-0072");
        Files.createDirectories(dir.resolve("bus/pci/drivers/vfio-pci"));
        startKernel();
        kernel.behindThunderbolt("0-1", "0000:03:00.0", "0000:03:00.1");

        // No /dev/vfio on this machine: the open after the bind fails, which ends the watch (exit 3).
        CommandsTest.Result r = run("watch", "0000:03:00.0", "--authorize", "--cycles", "1", "--sysfs-root", dir.toString());

        assertEquals(ExitCodes.DEVICE_NOT_READY, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("not present yet"), r.out());
        assertTrue(r.out().contains("Thunderbolt device 0-1 (Razer Core X) is connected but not authorized"), r.out());
        assertTrue(r.out().contains("authorized Thunderbolt device 0-1"), r.out());
        assertEquals("vfio-pci", driver("0000:03:00.0"));
        assertEquals("vfio-pci", driver("0000:03:00.1"), "the audio function arrived on snd_hda_intel and was taken back");
        assertTrue(r.err().contains("/dev/vfio") || r.err().contains("VFIO"), r.err());
    }
}
