package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.PspMailboxRegs;

/**
 * What differs between amdgpu's PSP generations on the cold-boot path (spec amd-cold-boot.md §7;
 * amdgpu_psp.c {@code psp_early_init}, {@code psp_sw_init}, {@code psp_hw_start},
 * {@code psp_load_non_psp_fw}; 6.12 line numbers).
 *
 * @param name            amdgpu's funcs table ("psp_v13_0"…), the block's name
 * @param mp0             the MP0 IP version it serves
 * @param regs            the C2PMSG registers of that MP0 header
 * @param kdbAndSpl       whether the funcs table has {@code bootloader_load_kdb/_spl} (v11, v13; v3.1 has
 *                        neither: psp_v3_1.c funcs table, only sysdrv and sos)
 * @param splSendsKdb     the SPL slot carries the KDB bytes ({@code psp_v13_0_bootloader_load_spl}
 *                        sends {@code psp->kdb}) instead of the SPL component ({@code psp_v11_0.c:217-220}
 *                        sends {@code psp->spl}): conflict C1, we follow amdgpu for each generation
 * @param rerouteIh       {@code psp_v3_1_reroute_ih} runs before the KM ring is created (psp_v3_1.c:159-188, called from psp_v3_1_ring_create :190-253)
 * @param autoload        {@code autoload_supported} (amdgpu_psp.c:167-199): AUTOLOAD_RLC right after RLC_G
 * @param pmfwCentralized {@code pmfw_centralized_cstate_management} (amdgpu_psp.c:95-122): the SMU image
 *                        before SETUP_TMR, and not again in the ucode loop
 * @param oneSdmaImage    the PSP takes only SDMA0's image ("all four sdma fw are same",
 *                        amdgpu_psp.c:2854-2867: MP0 11.0.7/11/12)
 */
record PspTraits(String name, String mp0, PspMailboxRegs regs, boolean kdbAndSpl, boolean splSendsKdb, boolean rerouteIh,
                 boolean autoload, boolean pmfwCentralized, boolean oneSdmaImage) {

    /** Navi31. */
    static final PspTraits V13_0_0 = new PspTraits("psp_v13_0", "13.0.0", PspMailboxRegs.MP_13_0_0,
            true, true, false, true, true, false);
    /** Navi21 (sienna_cichlid). */
    static final PspTraits V11_0_7 = new PspTraits("psp_v11_0", "11.0.7", PspMailboxRegs.MP_11_0,
            true, false, false, true, true, true);
    /** Navi10. */
    static final PspTraits V11_0_0 = new PspTraits("psp_v11_0", "11.0.0", PspMailboxRegs.MP_11_0,
            true, false, false, true, true, false);
    /** Vega10: MP0 9.0.0 runs psp_v3_1; no autoload, no TOC, SMC in the ucode loop (amdgpu_psp.c:171-174). */
    static final PspTraits V3_1 = new PspTraits("psp_v3_1", "9.0.0", PspMailboxRegs.MP_9_0,
            false, false, true, false, false, false);
}
