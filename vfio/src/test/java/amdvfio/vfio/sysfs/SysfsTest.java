package amdvfio.vfio.sysfs;

import amdvfio.vfio.DeviceNotFoundException;
import amdvfio.vfio.GroupNotViableException;
import amdvfio.vfio.NoIommuException;
import amdvfio.vfio.NotBoundToVfioException;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.VfioUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SysfsTest {

    static final PciAddress GPU = PciAddress.parse("0000:03:00.0");
    static final PciAddress AUDIO = PciAddress.parse("0000:03:00.1");

    @TempDir
    Path tmp;
    FakeSysfs fake;
    Sysfs sysfs;

    @BeforeEach
    void tree() throws Exception {
        fake = new FakeSysfs(tmp);
        sysfs = new Sysfs(tmp);
    }

    @Test
    void shouldListFunctionsWithIdsDriverAndGroupInAddressOrder() throws Exception {
        fake.function("0000:03:00.1", 0x1002, 0xab28, 0x040300, "snd_hda_intel", 12)
            .function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12)
            .function("0000:00:01.0", 0x1022, 0x1483, 0x060400, "pcieport", 3);

        List<PciFunction> all = sysfs.list();

        assertEquals(List.of("0000:00:01.0", "0000:03:00.0", "0000:03:00.1"),
                all.stream().map(f -> f.address().toString()).toList());
        PciFunction gpu = all.get(1);
        assertEquals(0x1002, gpu.vendorId());
        assertEquals(0x73bf, gpu.deviceId());
        assertEquals(0x030000, gpu.classCode());
        assertEquals(0x1da2, gpu.subsystemVendorId());
        assertEquals(0xe409, gpu.subsystemDeviceId());
        assertEquals("amdgpu", gpu.driver());
        assertEquals(12, gpu.iommuGroup());
        assertTrue(gpu.isAmdGpu());
        assertFalse(gpu.bridge());
        assertTrue(all.get(0).bridge(), "class 0x0604 is a bridge when config is unreadable");
    }

    @Test
    void shouldReportUnboundFunctionWithNullDriverAndMissingGroupAsMinusOne() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, null, -1);

        PciFunction f = sysfs.function(GPU);

        assertNull(f.driver());
        assertEquals(-1, f.iommuGroup());
    }

    @Test
    void shouldThrowDeviceNotFoundForAnAbsentAddress() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class, () -> sysfs.function(GPU));
        assertTrue(e.getMessage().contains("0000:03:00.0"), e.getMessage());
        assertTrue(e.getMessage().contains("amdvfio list"), e.getMessage());
    }

    @Test
    void shouldBeReadyWhenBoundToVfioAndEveryGroupMemberIsHarmless() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12)
            .function("0000:03:00.1", 0x1002, 0xab28, 0x040300, null, 12)
            .function("0000:03:00.2", 0x1002, 0x1234, 0x060400, "pcieport", 12)
            .function("0000:03:00.3", 0x1002, 0x1235, 0x0c0330, "pci-stub", 12);

        VfioReadiness r = sysfs.readiness(GPU);

        assertTrue(r.ready(), r.describe());
        assertDoesNotThrow(r::orThrow);
    }

    @Test
    void shouldMapMissingGroupLinkToNoIommuException() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", -1);

        NoIommuException e = assertThrows(NoIommuException.class, () -> sysfs.readiness(GPU).orThrow());
        assertTrue(e.getMessage().contains("intel_iommu=on / amd_iommu=on"), e.getMessage());
    }

    @Test
    void shouldMapAnotherDriverToNotBoundWithTheBindCommand() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12);

        NotBoundToVfioException e = assertThrows(NotBoundToVfioException.class, () -> sysfs.readiness(GPU).orThrow());
        assertEquals("amdgpu", e.driver());
        assertTrue(e.getMessage().contains("bind it with: amdvfio bind 0000:03:00.0"), e.getMessage());
    }

    @Test
    void shouldNameTheGroupMemberAndDriverThatMakeTheGroupNotViable() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12)
            .function("0000:03:00.1", 0x1002, 0xab28, 0x040300, "snd_hda_intel", 12);

        GroupNotViableException e = assertThrows(GroupNotViableException.class, () -> sysfs.readiness(GPU).orThrow());
        assertEquals(AUDIO, e.blocker());
        assertEquals("snd_hda_intel", e.blockerDriver());
        assertTrue(e.getMessage().contains("0000:03:00.1 is bound to snd_hda_intel"), e.getMessage());
        assertEquals("group 12 blocked by 0000:03:00.1 (snd_hda_intel)", sysfs.readiness(GPU).describe());
    }

    @Test
    void shouldTreatHeaderType1AsABridgeEvenWithAnUnusualClass() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12)
            .function("0000:03:00.1", 0x1002, 0x1478, 0x060000, "some_switch_driver", 12);
        byte[] config = new byte[64];
        config[0x0E] = (byte) 0x81; // multi-function, type 1
        Files.write(fake.dev("0000:03:00.1").resolve("config"), config);

        assertTrue(sysfs.readiness(GPU).ready());
    }

    @Test
    void shouldBindBySettingOverrideUnbindingAndProbingInThatOrder() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12);
        fake.driverDir("vfio-pci");
        Path unbind = fake.driverDir("amdgpu").resolve("unbind");
        Path probe = tmp.resolve("bus/pci/drivers_probe");
        // the "kernel", run between two looks of the wait: once the address is in drivers_probe,
        // vfio-pci takes the function
        Sysfs withKernel = new Sysfs(tmp, () -> {
            try {
                assertEquals("0000:03:00.0", Files.readString(probe), "the wait starts after the probe");
                assertEquals("vfio-pci", Files.readString(fake.dev("0000:03:00.0").resolve("driver_override")),
                        "override is set before the probe");
                assertEquals("0000:03:00.0", Files.readString(unbind), "old driver unbound before the probe");
                fake.bind("0000:03:00.0", "vfio-pci");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        PciFunction bound = withKernel.bindToVfio(GPU, Duration.ofSeconds(5));

        assertEquals("vfio-pci", bound.driver());
    }

    @Test
    void shouldFailBindWithATimeoutThatNamesTheDriverWhenNothingBinds() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, null, 12);
        fake.driverDir("vfio-pci");

        SysfsWaitTimeoutException e = assertThrows(SysfsWaitTimeoutException.class,
                () -> sysfs.bindToVfio(GPU, Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("modprobe vfio-pci"), e.getMessage());
    }

    @Test
    void shouldRefuseToBindWhenVfioPciIsNotRegistered() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "amdgpu", 12);

        VfioUnavailableException e = assertThrows(VfioUnavailableException.class, () -> sysfs.bindToVfio(GPU));
        assertTrue(e.getMessage().contains("modprobe vfio-pci"), e.getMessage());
        assertEquals("(null)\n", Files.readString(fake.dev("0000:03:00.0").resolve("driver_override")),
                "nothing written when we know it cannot work");
    }

    @Test
    void shouldUnbindAndClearTheOverride() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12);

        sysfs.unbind(GPU);

        assertEquals("0000:03:00.0", Files.readString(fake.driverDir("vfio-pci").resolve("unbind")));
        assertEquals("\n", Files.readString(fake.dev("0000:03:00.0").resolve("driver_override")));
    }

    @Test
    void shouldWriteOneToRemoveAndRescan() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12);

        sysfs.remove(GPU);
        sysfs.rescan();

        assertEquals("1", Files.readString(fake.dev("0000:03:00.0").resolve("remove")));
        assertEquals("1", Files.readString(tmp.resolve("bus/pci/rescan")));
    }

    @Test
    void shouldWaitForAFunctionToVanishAndToReappear() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12);
        // The "kernel" acts between two looks of the wait: the first pause removes the function,
        // the second brings it back, so each wait must see the old state, pause, and look again.
        List<String> kernelSteps = new ArrayList<>(List.of("remove", "rescan"));
        List<String> done = new ArrayList<>();
        Sysfs waiting = new Sysfs(tmp, () -> {
            try {
                String step = kernelSteps.isEmpty() ? "none" : kernelSteps.remove(0);
                switch (step) {
                    case "remove" -> fake.removeFunction("0000:03:00.0");
                    case "rescan" -> Files.createSymbolicLink(tmp.resolve("bus/pci/devices/0000:03:00.0"),
                            fake.dev("0000:03:00.0"));
                    default -> throw new AssertionError("a wait looked again after its condition held");
                }
                done.add(step);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        waiting.awaitAbsent(GPU, Duration.ofSeconds(5));
        assertEquals(List.of("remove"), done, "awaitAbsent paused once, while the function was still there");
        PciFunction back = waiting.awaitPresent(GPU, Duration.ofSeconds(5));

        assertEquals(List.of("remove", "rescan"), done);
        assertEquals(0x73bf, back.deviceId());
    }

    @Test
    void shouldTimeOutWaitingForAFunctionThatStaysWithAClearMessage() throws Exception {
        fake.function("0000:03:00.0", 0x1002, 0x73bf, 0x030000, "vfio-pci", 12);

        long t0 = System.nanoTime();
        SysfsWaitTimeoutException e = assertThrows(SysfsWaitTimeoutException.class,
                () -> sysfs.awaitAbsent(GPU, Duration.ofMillis(60)));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(ms >= 60 && ms < 2000, "bounded wait took " + ms + " ms");
        assertTrue(e.getMessage().contains("still in"), e.getMessage());
    }

    @Test
    void shouldReadTheRealSysfsOfThisMachineLikeLspci() throws Exception {
        Path devices = Path.of("/sys/bus/pci/devices");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(devices), "no /sys/bus/pci here");
        Sysfs real = new Sysfs();

        List<PciFunction> all = real.list();

        long dirs;
        try (var s = Files.list(devices)) {
            dirs = s.count();
        }
        assertEquals(dirs, all.size());
        for (PciFunction f : all) {
            String vendor = Files.readString(devices.resolve(f.address().toString()).resolve("vendor")).strip();
            assertEquals(vendor, String.format("0x%04x", f.vendorId()));
            Path driver = devices.resolve(f.address().toString()).resolve("driver");
            assertEquals(Files.isSymbolicLink(driver) ? Files.readSymbolicLink(driver).getFileName().toString() : null,
                    f.driver());
        }
    }
}
