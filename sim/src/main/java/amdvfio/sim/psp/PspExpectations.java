package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.bindings.amdgpu.amdgpu_ucode_h;
import amdvfio.bindings.amdgpu.common_firmware_header;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_0;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_1;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_3;
import amdvfio.bindings.amdgpu.psp_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.psp_fw_legacy_bin_desc;
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
import java.util.TreeSet;

/**
 * What the model's PSP accepts on one ASIC, read from the real firmware files (its stand-in for
 * signature checks): the bootloader sequence with each step's payload, the TOC (or none), the
 * images whose bytes it checks (SMU, SDMA) and the firmware types it takes at all, plus the
 * generation's rules (spec amd-cold-boot.md §2.3, §7; amdgpu_psp.c psp_early_init). The simulator
 * reads the files through the generated layouts on its own, independently of the driver's parser,
 * so a driver that cuts an image wrongly is caught.
 */
final class PspExpectations {

    /** One bootloader step: the C2PMSG_35 command and the bytes it must carry. */
    record BootStep(String name, int command, MemorySegment payload) {
    }

    /** The TMR size LOAD_TOC answers. The real value is computed from the TOC's contents, which no source documents; TG reserves at most 0x1300000. */
    private static final long TOC_TMR_SIZE = 0xC0_0000;
    /** amdgpu's PSP_TMR_SIZE for a PSP without a TOC (Vega10): 4 MiB (amdgpu_psp.h). */
    private static final long FIXED_TMR_SIZE = 4 * amdgpu_psp_h.PSP_1_MEG();

    final String asic;
    final PspMailboxRegs regs;
    final List<BootStep> bootSequence;
    /** The TOC LOAD_TOC must carry; null where the sOS has none (Vega10: LOAD_TOC is not taken). */
    final MemorySegment toc;
    final long sosVersion;
    /** fw_type → the exact image bytes; types absent here are accepted with any non-empty payload. */
    final Map<Integer, MemorySegment> checkedImages;
    final Set<Integer> acceptedTypes;
    /** The smallest TMR SETUP_TMR takes: LOAD_TOC's answer, or the fixed size without a TOC. */
    final long tmrSize;
    /** pmfw_centralized_cstate_management: SETUP_TMR only after the SMU image, which may come before the TMR. */
    final boolean pmfwCentralized;
    /** What AUTOLOAD_RLC needs loaded first; null where autoload is not supported (Vega10). */
    final Set<Integer> autoloadNeeds;
    /** The images the SDMA engines need before their firmware runs. */
    final Set<Integer> sdmaImages;
    /** Vega10's psp_v3_1 takes GFX_CTRL_CMD_ID_GBR_IH_SET (psp_v3_1_reroute_ih). */
    final boolean rerouteIh;
    /** The GC 11 RLC reports its autoload in RLC_RLCS_BOOTLOAD_STATUS (Navi31 only in this model). */
    final boolean gc11Bootload;

    private PspExpectations(String asic, PspMailboxRegs regs, List<BootStep> boot, MemorySegment toc, long sosVersion,
                            Map<Integer, MemorySegment> images, Set<Integer> accepted, boolean pmfwCentralized,
                            Set<Integer> autoloadNeeds, Set<Integer> sdmaImages, boolean rerouteIh, boolean gc11Bootload) {
        this.asic = asic;
        this.regs = regs;
        this.bootSequence = boot;
        this.toc = toc;
        this.sosVersion = sosVersion;
        this.checkedImages = images;
        this.acceptedTypes = accepted;
        this.tmrSize = toc == null ? FIXED_TMR_SIZE : TOC_TMR_SIZE;
        this.pmfwCentralized = pmfwCentralized;
        this.autoloadNeeds = autoloadNeeds;
        this.sdmaImages = sdmaImages;
        this.rerouteIh = rerouteIh;
        this.gc11Bootload = gc11Bootload;
    }

    /** The expectations for a simulated profile's name ("Navi31", "Navi21", "Navi10", "Vega10"). */
    static PspExpectations forAsic(String asic, Path dir) {
        return switch (asic) {
            case "Navi31" -> navi31(dir);
            case "Navi21" -> navi21(dir);
            case "Navi10" -> navi10(dir);
            case "Vega10" -> vega10(dir);
            default -> throw new IllegalArgumentException("no simulated PSP for " + asic);
        };
    }

    /**
     * Navi31: KDB → the SPL slot carrying the KDB bytes (psp_v13_0_bootloader_load_spl sends
     * {@code psp->kdb}, conflict C1: we follow amdgpu) → SYS_DRV → SOS (spec §2.3, §2.8).
     */
    static PspExpectations navi31(Path dir) {
        MemorySegment sos = read(dir.resolve(PspModelFiles.NAVI31.sos));
        MemorySegment kdb = component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_KDB());
        List<BootStep> boot = List.of(
                new BootStep("KDB", amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), kdb),
                new BootStep("SPL (KDB bytes)", amdgpu_psp_h.PSP_BL__LOAD_TOS_SPL_TABLE(), kdb),
                new BootStep("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SYS_DRV())),
                new BootStep("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOS())));
        long sosVersion = Integer.toUnsignedLong(psp_fw_bin_desc.fw_version(desc(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOS())));
        MemorySegment sdma = read(dir.resolve(PspModelFiles.NAVI31.sdma.get(0)));
        Map<Integer, MemorySegment> images = Map.of(
                GFX_FW_TYPE_SDMA_UCODE_TH0(), sdma.asSlice(common_firmware_header.ucode_array_offset_bytes(sdma),
                        sdma_firmware_header_v2_0.ctx_ucode_size_bytes(sdma)),
                GFX_FW_TYPE_SDMA_UCODE_TH1(), sdma.asSlice(sdma_firmware_header_v2_0.ctl_ucode_offset(sdma),
                        sdma_firmware_header_v2_0.ctl_ucode_size_bytes(sdma)),
                GFX_FW_TYPE_SMU(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI31.smu))));
        Set<Integer> accepted = Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_SDMA_UCODE_TH0(), GFX_FW_TYPE_SDMA_UCODE_TH1(),
                GFX_FW_TYPE_RS64_MEC(), GFX_FW_TYPE_RS64_MEC_P0_STACK(), GFX_FW_TYPE_RS64_MEC_P1_STACK(),
                GFX_FW_TYPE_RS64_MEC_P2_STACK(), GFX_FW_TYPE_RS64_MEC_P3_STACK(), GFX_FW_TYPE_RS64_PFP(), GFX_FW_TYPE_RS64_ME(),
                GFX_FW_TYPE_IMU_I(), GFX_FW_TYPE_IMU_D(), GFX_FW_TYPE_RLC_G(), GFX_FW_TYPE_RLC_P(), GFX_FW_TYPE_RLC_V(),
                GFX_FW_TYPE_RLC_IRAM(), GFX_FW_TYPE_RLC_DRAM_BOOT(), GFX_FW_TYPE_RLC_RESTORE_LIST_GPM_MEM(),
                GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_MEM(), GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_CNTL());
        return new PspExpectations("Navi31", PspMailboxRegs.MP_13_0_0, boot, component(sos, amdgpu_ucode_h.PSP_FW_TYPE_PSP_TOC()),
                sosVersion, images, accepted, true,
                Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_IMU_I(), GFX_FW_TYPE_IMU_D(), GFX_FW_TYPE_RLC_G()),
                Set.of(GFX_FW_TYPE_SDMA_UCODE_TH0(), GFX_FW_TYPE_SDMA_UCODE_TH1()), false, true);
    }

    /**
     * Navi21 (MP0 11.0.7, sOS header v1.3): KDB → SPL (the real SPL bytes, psp_v11_0.c:217-220) →
     * SYS_DRV → SOS; one SDMA image for all four engines, so SDMA1 is not taken ("PSP only receive
     * one SDMA fw for sienna_cichlid", amdgpu_psp.c:2854-2867).
     */
    static PspExpectations navi21(Path dir) {
        MemorySegment sos = read(dir.resolve(PspModelFiles.NAVI21.sos));
        MemorySegment v11 = psp_firmware_header_v1_3.v1_1(sos);
        List<BootStep> boot = List.of(
                new BootStep("KDB", amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), legacy(sos, psp_firmware_header_v1_1.kdb(v11))),
                new BootStep("SPL", amdgpu_psp_h.PSP_BL__LOAD_TOS_SPL_TABLE(), legacy(sos, psp_firmware_header_v1_3.spl(sos))),
                new BootStep("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), sysDrvV1(sos)),
                new BootStep("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), sosV1(sos)));
        Map<Integer, MemorySegment> images = Map.of(
                GFX_FW_TYPE_SDMA0(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI21.sdma.get(0)))),
                GFX_FW_TYPE_SMU(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI21.smu))));
        Set<Integer> accepted = new TreeSet<>(GC10_TYPES);
        accepted.add(GFX_FW_TYPE_SDMA0());
        return new PspExpectations("Navi21", PspMailboxRegs.MP_11_0, boot, legacy(sos, psp_firmware_header_v1_1.toc(v11)),
                sosVersionV1(sos), images, Set.copyOf(accepted), true, Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_RLC_G()),
                Set.of(GFX_FW_TYPE_SDMA0()), false, false);
    }

    /** Navi10 (MP0 11.0.0, sOS header v1.1: no SPL): KDB → SYS_DRV → SOS; one image per SDMA engine. */
    static PspExpectations navi10(Path dir) {
        MemorySegment sos = read(dir.resolve(PspModelFiles.NAVI10.sos));
        List<BootStep> boot = List.of(
                new BootStep("KDB", amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), legacy(sos, psp_firmware_header_v1_1.kdb(sos))),
                new BootStep("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), sysDrvV1(sos)),
                new BootStep("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), sosV1(sos)));
        Map<Integer, MemorySegment> images = Map.of(
                GFX_FW_TYPE_SDMA0(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI10.sdma.get(0)))),
                GFX_FW_TYPE_SDMA1(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI10.sdma.get(1)))),
                GFX_FW_TYPE_SMU(), ucodeArray(read(dir.resolve(PspModelFiles.NAVI10.smu))));
        Set<Integer> accepted = new TreeSet<>(GC10_TYPES);
        accepted.addAll(List.of(GFX_FW_TYPE_SDMA0(), GFX_FW_TYPE_SDMA1()));
        return new PspExpectations("Navi10", PspMailboxRegs.MP_11_0, boot, legacy(sos, psp_firmware_header_v1_1.toc(sos)),
                sosVersionV1(sos), images, Set.copyOf(accepted), true, Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_RLC_G()),
                Set.of(GFX_FW_TYPE_SDMA0(), GFX_FW_TYPE_SDMA1()), false, false);
    }

    /**
     * Vega10 (psp_v3_1, sOS header v1.0): SYS_DRV → SOS; no TOC (the fixed 4 MiB TMR), no autoload,
     * the PMFW not centralized (its SMU image comes after SETUP_TMR like any other), the IH reroute.
     */
    static PspExpectations vega10(Path dir) {
        MemorySegment sos = read(dir.resolve(PspModelFiles.VEGA10.sos));
        List<BootStep> boot = List.of(
                new BootStep("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), sysDrvV1(sos)),
                new BootStep("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), sosV1(sos)));
        Map<Integer, MemorySegment> images = Map.of(
                GFX_FW_TYPE_SDMA0(), ucodeArray(read(dir.resolve(PspModelFiles.VEGA10.sdma.get(0)))),
                GFX_FW_TYPE_SDMA1(), ucodeArray(read(dir.resolve(PspModelFiles.VEGA10.sdma.get(1)))),
                GFX_FW_TYPE_SMU(), ucodeArray(read(dir.resolve(PspModelFiles.VEGA10.smu))));
        Set<Integer> accepted = Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_SDMA0(), GFX_FW_TYPE_SDMA1(), GFX_FW_TYPE_CP_ME(),
                GFX_FW_TYPE_CP_PFP(), GFX_FW_TYPE_CP_CE(), GFX_FW_TYPE_CP_MEC(), GFX_FW_TYPE_RLC_G());
        return new PspExpectations("Vega10", PspMailboxRegs.MP_9_0, boot, null, sosVersionV1(sos), images, accepted, false, null,
                Set.of(GFX_FW_TYPE_SDMA0(), GFX_FW_TYPE_SDMA1()), true, false);
    }

    /** The GC 10 images amdgpu hands a PSP 11 (CP, RLC with its restore lists, IRAM/DRAM, P/V, tap delays) and the SMU. */
    private static final Set<Integer> GC10_TYPES = Set.of(GFX_FW_TYPE_SMU(), GFX_FW_TYPE_CP_ME(), GFX_FW_TYPE_CP_PFP(),
            GFX_FW_TYPE_CP_CE(), GFX_FW_TYPE_CP_MEC(), GFX_FW_TYPE_RLC_G(), GFX_FW_TYPE_RLC_P(), GFX_FW_TYPE_RLC_V(),
            GFX_FW_TYPE_RLC_IRAM(), GFX_FW_TYPE_RLC_DRAM_BOOT(), GFX_FW_TYPE_RLC_RESTORE_LIST_GPM_MEM(),
            GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_MEM(), GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_CNTL(), GFX_FW_TYPE_GLOBAL_TAP_DELAYS(),
            GFX_FW_TYPE_SE0_TAP_DELAYS(), GFX_FW_TYPE_SE1_TAP_DELAYS(), GFX_FW_TYPE_SE2_TAP_DELAYS(), GFX_FW_TYPE_SE3_TAP_DELAYS());

    /** v1 headers: the sys driver is the ucode array up to the sOS (psp_init_sos_microcode). */
    private static MemorySegment sysDrvV1(MemorySegment sos) {
        long array = Integer.toUnsignedLong(common_firmware_header.ucode_array_offset_bytes(sos));
        return sos.asSlice(array, Integer.toUnsignedLong(psp_fw_legacy_bin_desc.offset_bytes(psp_firmware_header_v1_0.sos(sos))));
    }

    private static MemorySegment sosV1(MemorySegment sos) {
        return legacy(sos, psp_firmware_header_v1_0.sos(sos));
    }

    private static long sosVersionV1(MemorySegment sos) {
        return Integer.toUnsignedLong(common_firmware_header.ucode_version(sos));
    }

    /** A v1.x descriptor's bytes: offsets count from the ucode array. */
    private static MemorySegment legacy(MemorySegment sos, MemorySegment desc) {
        long at = Integer.toUnsignedLong(common_firmware_header.ucode_array_offset_bytes(sos))
                + Integer.toUnsignedLong(psp_fw_legacy_bin_desc.offset_bytes(desc));
        return sos.asSlice(at, Integer.toUnsignedLong(psp_fw_legacy_bin_desc.size_bytes(desc)));
    }

    /** SMC and SDMA v1 headers under PSP loading: the whole ucode array (amdgpu_ucode_init_single_fw's default). */
    private static MemorySegment ucodeArray(MemorySegment f) {
        return f.asSlice(Integer.toUnsignedLong(common_firmware_header.ucode_array_offset_bytes(f)),
                Integer.toUnsignedLong(common_firmware_header.ucode_size_bytes(f)));
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
