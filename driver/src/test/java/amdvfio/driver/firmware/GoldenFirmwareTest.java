package amdvfio.driver.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real Debian firmware files (firmware-amd-graphics 20250410) parse through the generated
 * layouts into the golden values of spec amd-cold-boot.md §3.3: component offsets, sizes and
 * versions, and the images cut the way amdgpu cuts them.
 */
class GoldenFirmwareTest {

    @Test
    void navi31SosHasItsSixComponentsAtTheGoldenOffsets() {
        FirmwareSet set = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        SosFirmware sos = set.sos();
        assertEquals(2, sos.file().header().headerMajor());
        assertEquals(0x310032L, sos.sosVersion());
        assertComponent(sos, PspComponentKind.SYS_DRV, 0x310032L, 0x100, 0x26790);
        assertComponent(sos, PspComponentKind.SOS, 0x310032L, 0x26890, 0x18380);
        assertComponent(sos, PspComponentKind.TOC, 0xcL, 0x3EC10, 0x900);
        assertComponent(sos, PspComponentKind.KDB, 0x4003100L, 0x3F510, 0x1700);
        assertComponent(sos, PspComponentKind.SPL, 0x10031c0L, 0x40C10, 0x2A0);
        assertComponent(sos, PspComponentKind.RL, 0x7001c00L, 0x40EB0, 0x960);
        assertEquals(6, sos.components().size(), "no SOC/INTF/DBG/RAS drivers in the 20250410 file");
    }

    @Test
    void navi31ImagesAreCutAsAmdgpuCutsThem() {
        FirmwareSet set = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        assertImage(set, Ucode.SDMA_UCODE_TH0, 0x100, 0x4400);
        assertImage(set, Ucode.SDMA_UCODE_TH1, 0x4500, 0x4200);
        assertEquals(60, set.image(Ucode.SDMA_UCODE_TH0).orElseThrow().version(), "SDMA feature version");
        assertImage(set, Ucode.SMC, 0x100, 0x3FE00);
        assertEquals(0x4e8000L, set.smu().version(), "PMFW 78.128.0");
        assertImage(set, Ucode.IMU_I, 0x100, 0x10200);
        assertEquals(0xb1f4b00L, set.image(Ucode.IMU_I).orElseThrow().version());
        assertEquals(0x80L, set.image(Ucode.RLC_G).orElseThrow().version());
        assertEquals(0xa1eL, set.image(Ucode.CP_RS64_MEC).orElseThrow().version());
    }

    @Test
    void navi31LoadOrderIsAmdgpusUcodeIdOrder() {
        FirmwareSet set = FirmwareManifest.NAVI31.load(RealFirmware.require(FirmwareManifest.NAVI31));
        List<Ucode> order = set.images().stream().map(IpFirmware::ucode).toList();
        assertEquals(List.of(Ucode.SDMA_UCODE_TH0, Ucode.SDMA_UCODE_TH1, Ucode.CP_RS64_MEC,
                Ucode.CP_RS64_MEC_P0_STACK, Ucode.CP_RS64_MEC_P1_STACK, Ucode.CP_RS64_MEC_P2_STACK,
                Ucode.CP_RS64_MEC_P3_STACK, Ucode.IMU_I, Ucode.IMU_D, Ucode.RLC_RESTORE_LIST_GPM_MEM,
                Ucode.RLC_RESTORE_LIST_SRM_MEM, Ucode.RLC_IRAM, Ucode.RLC_DRAM,
                Ucode.RLC_P, Ucode.RLC_V, Ucode.RLC_G, Ucode.SMC), order,
                "amdgpu's order; the v2.3 RLC file's non-empty restore lists are loaded as amdgpu does (TG skips them)");
    }

    @Test
    void navi21SosV13MatchesGoldenValues() {
        FirmwareSet set = FirmwareManifest.NAVI21.load(RealFirmware.require(FirmwareManifest.NAVI21));
        SosFirmware sos = set.sos();
        assertEquals(0x210f64L, sos.file().header().ucodeVersion());
        assertComponent(sos, PspComponentKind.SYS_DRV, 0x210f64L, 0x100, 0x21770);
        assertEquals(0x21870, sos.component(PspComponentKind.SOS).orElseThrow().fileOffset());
        assertEquals(0x14360, sos.component(PspComponentKind.SOS).orElseThrow().size());
        assertComponent(sos, PspComponentKind.TOC, 9, 0x100 + 0x35ad0, 0x600);
        assertComponent(sos, PspComponentKind.KDB, 0x4002100L, 0x100 + 0x360d0, 0x1310);
        assertComponent(sos, PspComponentKind.SPL, 0x1002100L, 0x100 + 0x373e0, 0x3a0);
        assertImage(set, Ucode.SDMA0, 0x100, 33792);
        assertTrue(set.image(Ucode.SDMA1).isEmpty(), "one SDMA image for all four engines");
        assertEquals(0x3a5a00L, set.smu().version());
        assertEquals(242176, set.smu().size());
    }

    @Test
    void navi10SosV11MatchesGoldenValues() {
        FirmwareSet set = FirmwareManifest.NAVI10.load(RealFirmware.require(FirmwareManifest.NAVI10));
        SosFirmware sos = set.sos();
        assertEquals(0x100b50L, sos.sosVersion());
        assertComponent(sos, PspComponentKind.SYS_DRV, 0x100b50L, 0x100, 0x18770);
        assertEquals(0x13330, sos.component(PspComponentKind.SOS).orElseThrow().size());
        assertComponent(sos, PspComponentKind.TOC, 4, 0x100 + 0x2baa0, 0x600);
        assertEquals(0xf20, sos.component(PspComponentKind.KDB).orElseThrow().size());
        assertTrue(sos.component(PspComponentKind.SPL).isEmpty());
        assertImage(set, Ucode.SDMA0, 0x100, 33536);
        assertImage(set, Ucode.SDMA1, 0x100, 33536);
        assertEquals(0x2a4000L, set.smu().version());
    }

    @Test
    void vega10SosV10HasOnlySysDriverAndSos() {
        FirmwareSet set = FirmwareManifest.VEGA10.load(RealFirmware.require(FirmwareManifest.VEGA10));
        SosFirmware sos = set.sos();
        assertEquals(2, sos.components().size());
        assertComponent(sos, PspComponentKind.SYS_DRV, 0x8025dL, 0x100, 0x19790);
        assertEquals(0xf300, sos.component(PspComponentKind.SOS).orElseThrow().size());
        assertImage(set, Ucode.SDMA0, 0x100, 17152);
        assertEquals(0x1c3900L, set.smu().version());
        assertEquals(List.of(Ucode.SDMA0, Ucode.SDMA1, Ucode.SMC), set.images().stream().map(IpFirmware::ucode).toList());
    }

    private static void assertComponent(SosFirmware sos, PspComponentKind kind, long version, long offset, long size) {
        PspComponent c = sos.component(kind).orElseThrow(() -> new AssertionError(kind + " missing"));
        assertEquals(version, c.version(), kind + " version");
        assertEquals(offset, c.fileOffset(), kind + " offset");
        assertEquals(size, c.size(), kind + " size");
        MemorySegment whole = sos.file().bytes();
        assertEquals(-1, whole.asSlice(offset, size).mismatch(c.bytes()), kind + " bytes are the file's");
    }

    private static void assertImage(FirmwareSet set, Ucode ucode, long offset, long size) {
        IpFirmware img = set.image(ucode).orElseThrow(() -> new AssertionError(ucode + " missing"));
        assertEquals(size, img.size(), ucode + " size");
        MemorySegment file = FirmwareDirectory.resolve(java.util.Optional.empty()).read(img.file()).bytes();
        assertEquals(-1, file.asSlice(offset, size).mismatch(img.bytes()), ucode + " bytes at 0x" + Long.toHexString(offset));
    }
}
