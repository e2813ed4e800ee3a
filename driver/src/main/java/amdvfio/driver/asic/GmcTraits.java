package amdvfio.driver.asic;

import amdvfio.driver.reg.Reg;

/**
 * Where VMID 0 is programmed. The VM hub the SDMA engines translate through is MMHUB on Vega10
 * ({@code sdma_v4_0_sw_init}: {@code AMDGPU_MMHUB0}) and GFXHUB on Navi ({@code AMDGPU_GFXHUB}).
 *
 * @param blockName  amdgpu's name ("gmc_v9_0")
 * @param hub        the IP whose segment bases the registers use (MMHUB or GC)
 * @param fbLocationBase / fbLocationTop  *MC_VM_FB_LOCATION_BASE/TOP: FB placement in the MC
 *                   address space, in 16 MiB units (bits [23:0]), programmed by the VBIOS
 */
public record GmcTraits(String blockName, HwIp hub, Reg fbLocationBase, Reg fbLocationTop, Reg context0Cntl,
                        Reg ptBaseLo, Reg ptBaseHi, Reg ptStartLo, Reg ptStartHi, Reg ptEndLo, Reg ptEndHi) {
}
