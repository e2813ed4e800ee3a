package amdvfio.driver.firmware;

import amdvfio.bindings.amdgpu.sdma_firmware_header_v1_0;
import amdvfio.bindings.amdgpu.sdma_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.smc_firmware_header_v1_0;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Cuts the SDMA and SMU images out of their files for PSP loading, as
 * {@code amdgpu_ucode_init_single_fw} (amdgpu_ucode.c) does under {@code AMDGPU_FW_LOAD_PSP}.
 */
final class SdmaSmuImages {

    private SdmaSmuImages() {
    }

    /**
     * SDMA header v1 (SDMA 4.x/5.x): the whole ucode array, jump table included (the default
     * branch). Header v2 (SDMA 6.0): TH0 = {@code [ucode_array_offset, +ctx_ucode_size]}, TH1 =
     * {@code [ctl_ucode_offset, +ctl_ucode_size]}, the latter from the start of the file.
     */
    static List<IpFirmware> sdma(FirmwareFile f, int sdmaMajor, Ucode v1Ucode) {
        f.requireType("SDMA", sdmaMajor, 1, 2);
        CommonHeader h = f.header();
        MemorySegment b = f.bytes();
        if (h.headerMajor() == 1) {
            f.requireHeaderBytes("sdma_firmware_header_v1_0", sdma_firmware_header_v1_0.sizeof());
            long feature = u32(sdma_firmware_header_v1_0.ucode_feature_version(b));
            return List.of(image(f, v1Ucode, feature, h.ucodeArrayOffsetBytes(), h.ucodeSizeBytes()));
        }
        f.requireHeaderBytes("sdma_firmware_header_v2_0", sdma_firmware_header_v2_0.sizeof());
        long feature = u32(sdma_firmware_header_v2_0.ucode_feature_version(b));
        return List.of(
                image(f, Ucode.SDMA_UCODE_TH0, feature, h.ucodeArrayOffsetBytes(),
                        u32(sdma_firmware_header_v2_0.ctx_ucode_size_bytes(b))),
                image(f, Ucode.SDMA_UCODE_TH1, feature, u32(sdma_firmware_header_v2_0.ctl_ucode_offset(b)),
                        u32(sdma_firmware_header_v2_0.ctl_ucode_size_bytes(b))));
    }

    /** SMC header v1.0/v2.x: the ucode array ({@code smu_13_0_0.bin[0x100:+0x3FE00]}, spec §3.3), version = PMFW version. */
    static IpFirmware smc(FirmwareFile f, int smuMajor) {
        f.requireType("SMU", smuMajor, 1, 2);
        f.requireHeaderBytes("smc_firmware_header_v1_0", smc_firmware_header_v1_0.sizeof());
        CommonHeader h = f.header();
        return image(f, Ucode.SMC, h.ucodeVersion(), h.ucodeArrayOffsetBytes(), h.ucodeSizeBytes());
    }

    static IpFirmware image(FirmwareFile f, Ucode ucode, long version, long offset, long size) {
        if (size == 0) {
            throw f.corrupt("wrong type: its " + ucode + " image is empty");
        }
        return new IpFirmware(ucode, f.name(), version, f.slice(offset, size, ucode + " image"));
    }

    static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }
}
