package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;

import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.bindings.amdgpu.amdgpu_ucode_h;
import amdvfio.bindings.amdgpu.common_firmware_header;
import amdvfio.bindings.amdgpu.psp_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.psp_fw_bin_desc;
import amdvfio.bindings.amdgpu.sdma_firmware_header_v2_0;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the model's PSP accepts on one ASIC, read from the real firmware files (its stand-in for
 * signature checks): the bootloader sequence with each step's payload, the TOC, the images whose
 * bytes it checks (SMU, SDMA) and the firmware types it takes at all. The simulator reads the
 * files through the generated layouts on its own, independently of the driver's parser, so a
 * driver that cuts an image wrongly is caught. Navi31 (MP0 13.0.0) only so far.
 */
final class PspExpectations {

    /** One bootloader step: the C2PMSG_35 command and the bytes it must carry. */
    record BootStep(String name, int command, MemorySegment payload) {
    }

    final List<BootStep> bootSequence;
    final MemorySegment toc;
    final long sosVersion;
    /** fw_type → the exact image bytes; types absent here are accepted with any non-empty payload. */
    final Map<Integer, MemorySegment> checkedImages;
    final Set<Integer> acceptedTypes;
    /** The TMR size LOAD_TOC answers. The real value is computed from the TOC's contents, which no source documents; TG reserves at most 0x1300000. */
    final long tmrSize = 0xC0_0000;

    private PspExpectations(List<BootStep> boot, MemorySegment toc, long sosVersion, Map<Integer, MemorySegment> images,
                            Set<Integer> accepted) {
        this.bootSequence = boot;
        this.toc = toc;
        this.sosVersion = sosVersion;
        this.checkedImages = images;
        this.acceptedTypes = accepted;
    }

    /**
     * Navi31: KDB → the SPL slot carrying the KDB bytes (psp_v13_0_bootloader_load_spl sends
     * {@code psp->kdb}, conflict C1: we follow amdgpu) → SYS_DRV → SOS (spec §2.3, §2.8).
     */
    static PspExpectations navi31(Path dir) {
        MemorySegment sos = read(dir.resolve("psp_13_0_0_sos.bin"));
        MemorySegment kdb = component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_KDB());
        List<BootStep> boot = List.of(
                new BootStep("KDB", amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), kdb),
                new BootStep("SPL (KDB bytes)", amdgpu_psp_h.PSP_BL__LOAD_TOS_SPL_TABLE(), kdb),
                new BootStep("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SYS_DRV())),
                new BootStep("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOS())));
        long sosVersion = Integer.toUnsignedLong(psp_fw_bin_desc.fw_version(desc(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOS())));
        MemorySegment sdma = read(dir.resolve("sdma_6_0_0.bin"));
        MemorySegment smu = read(dir.resolve("smu_13_0_0.bin"));
        Map<Integer, MemorySegment> images = Map.of(
                GFX_FW_TYPE_SDMA_UCODE_TH0(), sdma.asSlice(common_firmware_header.ucode_array_offset_bytes(sdma),
                        sdma_firmware_header_v2_0.ctx_ucode_size_bytes(sdma)),
                GFX_FW_TYPE_SDMA_UCODE_TH1(), sdma.asSlice(sdma_firmware_header_v2_0.ctl_ucode_offset(sdma),
                        sdma_firmware_header_v2_0.ctl_ucode_size_bytes(sdma)),
                GFX_FW_TYPE_SMU(), smu.asSlice(common_firmware_header.ucode_array_offset_bytes(smu),
                        common_firmware_header.ucode_size_bytes(smu)));
        Set<Integer> accepted = Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_SDMA_UCODE_TH0(), GFX_FW_TYPE_SDMA_UCODE_TH1(),
                GFX_FW_TYPE_RS64_MEC(), GFX_FW_TYPE_RS64_MEC_P0_STACK(), GFX_FW_TYPE_RS64_MEC_P1_STACK(),
                GFX_FW_TYPE_RS64_MEC_P2_STACK(), GFX_FW_TYPE_RS64_MEC_P3_STACK(), GFX_FW_TYPE_RS64_PFP(), GFX_FW_TYPE_RS64_ME(),
                GFX_FW_TYPE_IMU_I(), GFX_FW_TYPE_IMU_D(), GFX_FW_TYPE_RLC_G(), GFX_FW_TYPE_RLC_P(), GFX_FW_TYPE_RLC_V(),
                GFX_FW_TYPE_RLC_IRAM(), GFX_FW_TYPE_RLC_DRAM_BOOT(), GFX_FW_TYPE_RLC_RESTORE_LIST_GPM_MEM(),
                GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_MEM(), GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_CNTL());
        return new PspExpectations(boot, component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_TOC()), sosVersion, images, accepted);
    }

    private static MemorySegment component(MemorySegment sos, int type) {
        MemorySegment d = desc(sos, type);
        long at = Integer.toUnsignedLong(common_firmware_header.ucode_array_offset_bytes(sos))
                + Integer.toUnsignedLong(psp_fw_bin_desc.offset_bytes(d));
        return sos.asSlice(at, Integer.toUnsignedLong(psp_fw_bin_desc.size_bytes(d)));
    }

    private static MemorySegment desc(MemorySegment sos, int type) {
        int count = psp_firmware_header_v2_0.psp_fw_bin_count(sos);
        for (int i = 0; i < count; i++) {
            MemorySegment d = sos.asSlice(psp_firmware_header_v2_0.psp_fw_bin$offset() + (long) i * psp_fw_bin_desc.sizeof(),
                    psp_fw_bin_desc.sizeof());
            if (psp_fw_bin_desc.fw_type(d) == type) {
                return d;
            }
        }
        throw new IllegalStateException("the sOS file has no component of type " + type);
    }

    private static MemorySegment read(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            MemorySegment seg = Arena.ofAuto().allocate(b.length, 8);
            MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
            return seg;
        } catch (IOException e) {
            throw new IllegalArgumentException("a cold simulated card needs the real firmware: " + file + " ("
                    + e + "); apt-get install firmware-amd-graphics (bookworm-backports, non-free-firmware)", e);
        }
    }
}
