package amdvfio.driver.reset;

import amdvfio.driver.asic.AsicProfile;

/**
 * How this driver resets a warm card, per ASIC, following amdgpu ({@code amdgpu_device_mode1_reset}:
 * the SMU's Mode1Reset when {@code mode1_reset_is_support}, else the PSP's). Never a PCI function
 * or bus reset: on Vega10 and Navi10 that is the "AMD reset bug" (gnif/vendor-reset), and on the
 * others no source says it reaches the firmware (spec amd-cold-boot.md §5.2).
 */
public enum ResetMethod {
    /** Nothing was reset. */
    NONE,
    /**
     * PPSMC_MSG_Mode1Reset on the SMU mailbox: Navi31 ({@code smu_v13_0_0_mode1_reset}) and Navi21.
     * The issue text says PSP mode1 for Navi21; amdgpu uses the SMU there when the PMFW is 58.26 or
     * newer and the sOS is alive ({@code sienna_cichlid_is_mode1_reset_supported}), and the PSP
     * otherwise ({@code amdgpu_device_mode1_reset}); we follow amdgpu.
     */
    SMU_MODE1,
    /** GFX_CTRL_CMD_ID_MODE1_RST on the PSP's C2PMSG_64: Navi10 and Vega10 ({@code psp_v11_0/psp_v3_1_mode1_reset}). */
    PSP_MODE1;

    static ResetMethod forProfile(AsicProfile profile) {
        return switch (profile.name()) {
            case "navi31", "sienna_cichlid" -> SMU_MODE1;
            default -> PSP_MODE1;
        };
    }

    /** Whether the PSP can mode1-reset this ASIC (psp_v11_0 and psp_v3_1 have {@code mode1_reset}; psp_v13_0 for 13.0.0 has none). */
    static boolean pspMode1(AsicProfile profile) {
        return !profile.name().equals("navi31");
    }

    /** Whether a PCI-level reset wedges a warm card of this ASIC (the reset bug). */
    static boolean pciResetWedges(AsicProfile profile) {
        return switch (profile.name()) {
            case "vega10", "navi10" -> true;
            default -> false;
        };
    }
}
