package amdvfio.sim.psp;

/**
 * One GFX_CTRL_CMD_ID_GBR_IH_SET the simulated psp_v3_1 took (psp_v3_1_reroute_ih): the client
 * selector of C2PMSG_69, the IH_CLIENT_CFG_DATA word of C2PMSG_70, and whether the KM ring already
 * existed (amdgpu reroutes before creating it).
 */
public record IhReroute(int client, int data, boolean afterRingCreate) {

    /** C2PMSG_69 selectors in psp_v3_1_reroute_ih (decimal there too). */
    public static final int VMC = 3;
    public static final int UMC = 4;
}
