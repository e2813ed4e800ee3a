package amdvfio.driver.firmware;

import static amdvfio.driver.firmware.SdmaSmuImages.image;
import static amdvfio.driver.firmware.SdmaSmuImages.u32;

import amdvfio.bindings.amdgpu.gfx_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.imu_firmware_header_v1_0;
import amdvfio.bindings.amdgpu.rlc_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.rlc_firmware_header_v2_1;
import amdvfio.bindings.amdgpu.rlc_firmware_header_v2_2;
import amdvfio.bindings.amdgpu.rlc_firmware_header_v2_3;
import amdvfio.bindings.amdgpu.rlc_firmware_header_v2_4;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the GC images (RLC, IMU, RS64 MEC) that the PSP loads before AUTOLOAD_RLC on GC 10/11,
 * as {@code amdgpu_gfx_rlc_init_microcode_v2_*} (amdgpu_rlc.c) and
 * {@code amdgpu_ucode_init_single_fw} (amdgpu_ucode.c) do. RLC offsets count from the start of
 * the file; an image of size 0 is one the file does not carry and amdgpu skips.
 */
final class GfxImages {

    private GfxImages() {
    }

    /**
     * RLC header v2.0–v2.4: RLC_G (the ucode array), then the restore lists (minor ≥ 1), IRAM/DRAM
     * (≥ 2), P/V (= 3), tap delays (= 4), each only if non-empty. The Navi31 v2.3 file carries
     * GPM/SRM restore lists, which amdgpu loads and TG does not (spec §3.3 follows TG; we follow amdgpu).
     */
    static List<IpFirmware> rlc(FirmwareFile f, int gcMajor) {
        f.requireType("RLC", gcMajor, 2);
        int minor = f.header().headerMinor();
        MemorySegment b = f.bytes();
        List<IpFirmware> out = new ArrayList<>();
        long version = f.header().ucodeVersion();
        out.add(image(f, Ucode.RLC_G, version, f.header().ucodeArrayOffsetBytes(), f.header().ucodeSizeBytes()));
        f.requireHeaderBytes("rlc_firmware_header_v2_0", rlc_firmware_header_v2_0.sizeof());
        if (minor >= 1) {
            f.requireHeaderBytes("rlc_firmware_header_v2_1", rlc_firmware_header_v2_1.sizeof());
            optional(f, out, Ucode.RLC_RESTORE_LIST_CNTL, version, rlc_firmware_header_v2_1.save_restore_list_cntl_offset_bytes(b),
                    rlc_firmware_header_v2_1.save_restore_list_cntl_size_bytes(b));
            optional(f, out, Ucode.RLC_RESTORE_LIST_GPM_MEM, version, rlc_firmware_header_v2_1.save_restore_list_gpm_offset_bytes(b),
                    rlc_firmware_header_v2_1.save_restore_list_gpm_size_bytes(b));
            optional(f, out, Ucode.RLC_RESTORE_LIST_SRM_MEM, version, rlc_firmware_header_v2_1.save_restore_list_srm_offset_bytes(b),
                    rlc_firmware_header_v2_1.save_restore_list_srm_size_bytes(b));
        }
        if (minor >= 2) {
            f.requireHeaderBytes("rlc_firmware_header_v2_2", rlc_firmware_header_v2_2.sizeof());
            optional(f, out, Ucode.RLC_IRAM, version, rlc_firmware_header_v2_2.rlc_iram_ucode_offset_bytes(b),
                    rlc_firmware_header_v2_2.rlc_iram_ucode_size_bytes(b));
            optional(f, out, Ucode.RLC_DRAM, version, rlc_firmware_header_v2_2.rlc_dram_ucode_offset_bytes(b),
                    rlc_firmware_header_v2_2.rlc_dram_ucode_size_bytes(b));
        }
        if (minor == 3) { // amdgpu_gfx_rlc_init_microcode: v2_3 only for minor 3, v2_4 only for minor 4
            f.requireHeaderBytes("rlc_firmware_header_v2_3", rlc_firmware_header_v2_3.sizeof());
            optional(f, out, Ucode.RLC_P, u32(rlc_firmware_header_v2_3.rlcp_ucode_version(b)),
                    rlc_firmware_header_v2_3.rlcp_ucode_offset_bytes(b), rlc_firmware_header_v2_3.rlcp_ucode_size_bytes(b));
            optional(f, out, Ucode.RLC_V, u32(rlc_firmware_header_v2_3.rlcv_ucode_version(b)),
                    rlc_firmware_header_v2_3.rlcv_ucode_offset_bytes(b), rlc_firmware_header_v2_3.rlcv_ucode_size_bytes(b));
        }
        if (minor == 4) {
            f.requireHeaderBytes("rlc_firmware_header_v2_4", rlc_firmware_header_v2_4.sizeof());
            tapDelays(f, out, version, b);
        }
        return out;
    }

    /** v2.4 (Navi21's sienna_cichlid_rlc.bin): the tap-delay tables, amdgpu_gfx_rlc_init_microcode_v2_4. */
    private static void tapDelays(FirmwareFile f, List<IpFirmware> out, long version, MemorySegment b) {
        optional(f, out, Ucode.GLOBAL_TAP_DELAYS, version, rlc_firmware_header_v2_4.global_tap_delays_ucode_offset_bytes(b),
                rlc_firmware_header_v2_4.global_tap_delays_ucode_size_bytes(b));
        optional(f, out, Ucode.SE0_TAP_DELAYS, version, rlc_firmware_header_v2_4.se0_tap_delays_ucode_offset_bytes(b),
                rlc_firmware_header_v2_4.se0_tap_delays_ucode_size_bytes(b));
        optional(f, out, Ucode.SE1_TAP_DELAYS, version, rlc_firmware_header_v2_4.se1_tap_delays_ucode_offset_bytes(b),
                rlc_firmware_header_v2_4.se1_tap_delays_ucode_size_bytes(b));
        optional(f, out, Ucode.SE2_TAP_DELAYS, version, rlc_firmware_header_v2_4.se2_tap_delays_ucode_offset_bytes(b),
                rlc_firmware_header_v2_4.se2_tap_delays_ucode_size_bytes(b));
        optional(f, out, Ucode.SE3_TAP_DELAYS, version, rlc_firmware_header_v2_4.se3_tap_delays_ucode_offset_bytes(b),
                rlc_firmware_header_v2_4.se3_tap_delays_ucode_size_bytes(b));
    }

    /** IMU header v1.0: IMU_I = {@code [array, +iram_size]}, IMU_D right after it. */
    static List<IpFirmware> imu(FirmwareFile f, int gcMajor) {
        f.requireType("IMU", gcMajor, 1);
        f.requireHeaderBytes("imu_firmware_header_v1_0", imu_firmware_header_v1_0.sizeof());
        MemorySegment b = f.bytes();
        long array = f.header().ucodeArrayOffsetBytes();
        long iram = u32(imu_firmware_header_v1_0.imu_iram_ucode_size_bytes(b));
        long version = f.header().ucodeVersion();
        return List.of(image(f, Ucode.IMU_I, version, array, iram),
                image(f, Ucode.IMU_D, version, array + iram, u32(imu_firmware_header_v1_0.imu_dram_ucode_size_bytes(b))));
    }

    /**
     * RS64 MEC (gfx header v2.0): the ucode at the ucode array, and the same data segment as the
     * stack of each of the four pipes (gfx_v11_0_init_microcode registers P0..P3; TG loads only P0).
     */
    static List<IpFirmware> rs64Mec(FirmwareFile f, int gcMajor) {
        f.requireType("RS64 MEC", gcMajor, 2);
        f.requireHeaderBytes("gfx_firmware_header_v2_0", gfx_firmware_header_v2_0.sizeof());
        MemorySegment b = f.bytes();
        long version = f.header().ucodeVersion();
        long dataOffset = u32(gfx_firmware_header_v2_0.data_offset_bytes(b));
        long dataSize = u32(gfx_firmware_header_v2_0.data_size_bytes(b));
        return List.of(
                image(f, Ucode.CP_RS64_MEC, version, f.header().ucodeArrayOffsetBytes(), u32(gfx_firmware_header_v2_0.ucode_size_bytes(b))),
                image(f, Ucode.CP_RS64_MEC_P0_STACK, version, dataOffset, dataSize),
                image(f, Ucode.CP_RS64_MEC_P1_STACK, version, dataOffset, dataSize),
                image(f, Ucode.CP_RS64_MEC_P2_STACK, version, dataOffset, dataSize),
                image(f, Ucode.CP_RS64_MEC_P3_STACK, version, dataOffset, dataSize));
    }

    private static void optional(FirmwareFile f, List<IpFirmware> out, Ucode ucode, long version, int offset, int size) {
        if (size != 0) {
            out.add(image(f, ucode, version, u32(offset), u32(size)));
        }
    }
}
