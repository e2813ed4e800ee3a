package amdvfio.driver.asic;

/**
 * The SDMA generations whose register programming differs in behaviour, not just in numbers
 * (see {@code amdvfio.driver.ip.sdma.SdmaVersion}). Chosen by one switch on the IP version, as
 * {@code amdgpu_discovery_set_sdma_ip_blocks} does.
 */
public enum SdmaGeneration {
    V4_0, V5_0, V5_2, V6_0;

    /** amdgpu's choice of SDMA driver by IP version (spec §1.1). */
    public static SdmaGeneration of(IpVersion v) {
        return switch (v.major()) {
            case 4 -> V4_0;
            case 5 -> v.minor() >= 2 ? V5_2 : V5_0;
            case 6 -> V6_0;
            default -> throw new DiscoveryException("SDMA " + v + " is not supported (4.0, 5.0, 5.2, 6.0 are)");
        };
    }
}
