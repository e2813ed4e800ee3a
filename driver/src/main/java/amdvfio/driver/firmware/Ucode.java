package amdvfio.driver.firmware;

import static amdvfio.bindings.amdgpu.amdgpu_ucode_h.*;
import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;

/**
 * The ucode images this driver hands to the PSP with LOAD_IP_FW: amdgpu's {@code AMDGPU_UCODE_ID}
 * (whose order is amdgpu's load order, {@code psp_load_non_psp_fw}) and the
 * {@code GFX_FW_TYPE} the PSP knows it by ({@code psp_get_fw_type}, amdgpu_psp.c). Both numbers
 * are the generated ones.
 */
public enum Ucode {
    SDMA0(AMDGPU_UCODE_ID_SDMA0(), GFX_FW_TYPE_SDMA0()),
    SDMA1(AMDGPU_UCODE_ID_SDMA1(), GFX_FW_TYPE_SDMA1()),
    SDMA_UCODE_TH0(AMDGPU_UCODE_ID_SDMA_UCODE_TH0(), GFX_FW_TYPE_SDMA_UCODE_TH0()),
    SDMA_UCODE_TH1(AMDGPU_UCODE_ID_SDMA_UCODE_TH1(), GFX_FW_TYPE_SDMA_UCODE_TH1()),
    CP_RS64_MEC(AMDGPU_UCODE_ID_CP_RS64_MEC(), GFX_FW_TYPE_RS64_MEC()),
    CP_RS64_MEC_P0_STACK(AMDGPU_UCODE_ID_CP_RS64_MEC_P0_STACK(), GFX_FW_TYPE_RS64_MEC_P0_STACK()),
    CP_RS64_MEC_P1_STACK(AMDGPU_UCODE_ID_CP_RS64_MEC_P1_STACK(), GFX_FW_TYPE_RS64_MEC_P1_STACK()),
    CP_RS64_MEC_P2_STACK(AMDGPU_UCODE_ID_CP_RS64_MEC_P2_STACK(), GFX_FW_TYPE_RS64_MEC_P2_STACK()),
    CP_RS64_MEC_P3_STACK(AMDGPU_UCODE_ID_CP_RS64_MEC_P3_STACK(), GFX_FW_TYPE_RS64_MEC_P3_STACK()),
    IMU_I(AMDGPU_UCODE_ID_IMU_I(), GFX_FW_TYPE_IMU_I()),
    IMU_D(AMDGPU_UCODE_ID_IMU_D(), GFX_FW_TYPE_IMU_D()),
    GLOBAL_TAP_DELAYS(AMDGPU_UCODE_ID_GLOBAL_TAP_DELAYS(), GFX_FW_TYPE_GLOBAL_TAP_DELAYS()),
    SE0_TAP_DELAYS(AMDGPU_UCODE_ID_SE0_TAP_DELAYS(), GFX_FW_TYPE_SE0_TAP_DELAYS()),
    SE1_TAP_DELAYS(AMDGPU_UCODE_ID_SE1_TAP_DELAYS(), GFX_FW_TYPE_SE1_TAP_DELAYS()),
    SE2_TAP_DELAYS(AMDGPU_UCODE_ID_SE2_TAP_DELAYS(), GFX_FW_TYPE_SE2_TAP_DELAYS()),
    SE3_TAP_DELAYS(AMDGPU_UCODE_ID_SE3_TAP_DELAYS(), GFX_FW_TYPE_SE3_TAP_DELAYS()),
    RLC_RESTORE_LIST_CNTL(AMDGPU_UCODE_ID_RLC_RESTORE_LIST_CNTL(), GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_CNTL()),
    RLC_RESTORE_LIST_GPM_MEM(AMDGPU_UCODE_ID_RLC_RESTORE_LIST_GPM_MEM(), GFX_FW_TYPE_RLC_RESTORE_LIST_GPM_MEM()),
    RLC_RESTORE_LIST_SRM_MEM(AMDGPU_UCODE_ID_RLC_RESTORE_LIST_SRM_MEM(), GFX_FW_TYPE_RLC_RESTORE_LIST_SRM_MEM()),
    RLC_IRAM(AMDGPU_UCODE_ID_RLC_IRAM(), GFX_FW_TYPE_RLC_IRAM()),
    RLC_DRAM(AMDGPU_UCODE_ID_RLC_DRAM(), GFX_FW_TYPE_RLC_DRAM_BOOT()),
    RLC_P(AMDGPU_UCODE_ID_RLC_P(), GFX_FW_TYPE_RLC_P()),
    RLC_V(AMDGPU_UCODE_ID_RLC_V(), GFX_FW_TYPE_RLC_V()),
    RLC_G(AMDGPU_UCODE_ID_RLC_G(), GFX_FW_TYPE_RLC_G()),
    SMC(AMDGPU_UCODE_ID_SMC(), GFX_FW_TYPE_SMU());

    private final int ucodeId;
    private final int fwType;

    Ucode(int ucodeId, int fwType) {
        this.ucodeId = ucodeId;
        this.fwType = fwType;
    }

    /** {@code AMDGPU_UCODE_ID_*}: amdgpu loads in ascending order of this. */
    public int ucodeId() {
        return ucodeId;
    }

    /** {@code GFX_FW_TYPE_*}, the {@code fw_type} of LOAD_IP_FW. */
    public int fwType() {
        return fwType;
    }
}
