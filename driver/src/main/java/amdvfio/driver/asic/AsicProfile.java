package amdvfio.driver.asic;

import java.util.Arrays;

/**
 * One supported ASIC as data: PCI ids, where register bases come from, doorbell indexes and
 * the per-IP traits. A new ASIC is one constant in {@link AsicProfiles} plus, if its SDMA
 * programming differs in behaviour, one {@code case}.
 *
 * @param name            amdgpu's chip name ("vega10", "navi10", "sienna_cichlid", "navi31")
 * @param deviceIds       PCI device ids (vendor 0x1002), spec §1.1
 * @param fixedBases      register bases for ASICs without discovery (Vega10), else null
 * @param sdmaDoorbells   doorbell64 index per SDMA instance ({@code AMDGPU_*DOORBELL*_sDMA_ENGINE*})
 * @param ihDoorbell      doorbell64 index of the IH ring
 */
public record AsicProfile(String name, int[] deviceIds, IpBases fixedBases, SdmaTraits sdma, IhTraits ih,
                          GmcTraits gmc, NbioTraits nbio, int[] sdmaDoorbells, int ihDoorbell) {

    public static final int AMD_VENDOR_ID = 0x1002;

    public AsicProfile {
        deviceIds = deviceIds.clone();
        sdmaDoorbells = sdmaDoorbells.clone();
    }

    public boolean matches(int vendorId, int deviceId) {
        return vendorId == AMD_VENDOR_ID && Arrays.stream(deviceIds).anyMatch(d -> d == deviceId);
    }

    /** Vega10 has a fixed register map; the Navi parts must read the IP discovery table. */
    public boolean usesDiscovery() {
        return fixedBases == null;
    }

    /** This profile with {@link SdmaTraits#withPacketLimit} applied. */
    public AsicProfile withPacketLimit(long limit) {
        return new AsicProfile(name, deviceIds, fixedBases, sdma.withPacketLimit(limit), ih, gmc, nbio, sdmaDoorbells, ihDoorbell);
    }

    @Override
    public String toString() {
        return name + " (" + sdma.blockName() + ", " + ih.blockName() + ")";
    }
}
