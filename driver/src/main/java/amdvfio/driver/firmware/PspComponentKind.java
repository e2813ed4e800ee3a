package amdvfio.driver.firmware;

import amdvfio.bindings.amdgpu.amdgpu_ucode_h;

/**
 * What a piece of the sOS file is ({@code enum psp_fw_type}, amdgpu_ucode.h): the bootloader's
 * components (sys driver, sOS, key database, SPL table, the optional drivers) and the TOC the KM
 * ring's LOAD_TOC takes. The ids are the generated ones, as they appear in a v2 header's
 * {@code psp_fw_bin_desc.fw_type}.
 */
public enum PspComponentKind {
    SOS(amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOS()),
    SYS_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_SYS_DRV()),
    KDB(amdgpu_ucode_h.PSP_FW_TYPE_PSP_KDB()),
    TOC(amdgpu_ucode_h.PSP_FW_TYPE_PSP_TOC()),
    SPL(amdgpu_ucode_h.PSP_FW_TYPE_PSP_SPL()),
    RL(amdgpu_ucode_h.PSP_FW_TYPE_PSP_RL()),
    SOC_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_SOC_DRV()),
    INTF_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_INTF_DRV()),
    DBG_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_DBG_DRV()),
    RAS_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_RAS_DRV()),
    IPKEYMGR_DRV(amdgpu_ucode_h.PSP_FW_TYPE_PSP_IPKEYMGR_DRV());

    private final int id;

    PspComponentKind(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The kind with this {@code fw_type}, or null for one amdgpu also ignores ("Unsupported PSP FW type"). */
    static PspComponentKind byId(int id) {
        for (PspComponentKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        return null;
    }
}
