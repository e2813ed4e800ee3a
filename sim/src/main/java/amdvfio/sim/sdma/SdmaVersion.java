package amdvfio.sim.sdma;

/** The SDMA IP versions the model implements, as amdgpu_discovery_set_sdma_ip_blocks() picks them. */
public enum SdmaVersion {
    /** sdma_v4_0.c, vega10_sdma_pkt_open.h */
    V4_0,
    /** sdma_v5_0.c, navi10_sdma_pkt_open.h */
    V5_0,
    /** sdma_v5_2.c, navi10_sdma_pkt_open.h */
    V5_2,
    /** sdma_v6_0.c, sdma_v6_0_0_pkt_open.h */
    V6_0;

    public boolean atLeast(SdmaVersion v) {
        return compareTo(v) >= 0;
    }
}
