package amdvfio.driver.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing, truncated or wrong-type file is refused with a typed error naming the file and the
 * package to install. Each case starts from a complete copy of the real Navi31 files (which
 * loads) and breaks one thing.
 */
class BadFirmwareTest {

    @TempDir
    Path dir;

    @BeforeEach
    void copyRealFiles() throws IOException {
        FirmwareDirectory real = RealFirmware.require(FirmwareManifest.NAVI31);
        for (String f : FirmwareManifest.NAVI31.files()) {
            Files.copy(real.path().resolve(f), dir.resolve(f));
        }
        FirmwareManifest.NAVI31.load(FirmwareDirectory.at(dir));
    }

    @Test
    void missingFileNamesTheFileAndThePackage() throws IOException {
        Files.delete(dir.resolve("smu_13_0_0.bin"));
        FirmwareMissingException e = assertThrows(FirmwareMissingException.class, this::load);
        assertEquals(dir.resolve("smu_13_0_0.bin"), e.file());
        assertTrue(e.getMessage().contains("smu_13_0_0.bin: not found"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install firmware-amd-graphics"), e.getMessage());
        assertTrue(e.getMessage().contains("non-free-firmware"), e.getMessage());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path f = dir.resolve("sdma_6_0_0.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, 0x4000));
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, this::load);
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains("truncated: the header says 34560 bytes, the file has 16384"), e.getMessage());
    }

    @Test
    void fileShorterThanTheCommonHeaderIsRefused() throws IOException {
        Files.write(dir.resolve("psp_13_0_0_sos.bin"), new byte[12]);
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, this::load);
        assertTrue(e.getMessage().contains("shorter than the 32-byte common header"), e.getMessage());
    }

    @Test
    void anotherIpsFileUnderTheRightNameIsRefused() throws IOException {
        Files.copy(RealFirmware.require(FirmwareManifest.NAVI10).path().resolve("navi10_sdma.bin"),
                dir.resolve("sdma_6_0_0.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, this::load);
        assertTrue(e.getMessage().contains("wrong type: expected SDMA firmware for IP version 6.x, the header says 5.0"),
                e.getMessage());
    }

    @Test
    void componentPointingOutsideTheFileIsRefused() throws IOException {
        // psp_fw_bin[1] (the sOS) offset_bytes: 36 + 16 + 8 in the v2.0 header
        patch("psp_13_0_0_sos.bin", 36 + 16 + 8, 0x7FFF0000);
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, this::load);
        assertTrue(e.getMessage().contains("SOS component") && e.getMessage().contains("lies outside"), e.getMessage());
    }

    @Test
    void sosFileWithoutItsSysDriverIsRefused() throws IOException {
        // psp_fw_bin[0].fw_type SYS_DRV (2) → an id amdgpu ignores: the file no longer has a sys driver
        patch("psp_13_0_0_sos.bin", 36, 0x7F);
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, this::load);
        assertTrue(e.getMessage().contains("no SYS_DRV component"), e.getMessage());
    }

    @Test
    void optionBeatsEnvironmentAndDefault() {
        assertEquals(dir, FirmwareDirectory.resolve(Optional.of(dir)).path());
        String env = System.getenv(FirmwareDirectory.ENV);
        Path expected = Path.of(env != null && !env.isBlank() ? env : FirmwareDirectory.DEFAULT);
        assertEquals(expected, FirmwareDirectory.resolve(Optional.empty()).path());
    }

    private void load() {
        FirmwareManifest.NAVI31.load(FirmwareDirectory.at(dir));
    }

    private void patch(String name, int offset, int value) throws IOException {
        Path f = dir.resolve(name);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        Files.write(f, b);
    }
}
