package amdvfio.driver.asic;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.VmHubRegs;
import java.util.Arrays;
import java.util.List;

/**
 * One supported ASIC as data: PCI ids, where register bases come from, and per IP the version's
 * facts from the typed layer over the generated headers ({@code amdvfio.amdgpu}). A new ASIC is
 * one constant in {@link AsicProfiles}.
 *
 * @param name        amdgpu's chip name ("vega10", "navi10", "sienna_cichlid", "navi31")
 * @param deviceIds   PCI device ids (vendor 0x1002), spec §1.1
 * @param fixedBases  register bases for ASICs without discovery (Vega10), else null
 * @param hubs        the VM hubs whose VMID 0 the driver programs and flushes; the first is the
 *                    one SDMA translates through ({@code ring->vm_hub}: MMHUB on Vega10, GFXHUB on
 *                    Navi), the others serve other clients (on Navi the IH is an MMHUB client)
 * @param doorbells   amdgpu's doorbell assignment (soc15.c / nv.c / soc21.c)
 */
public record AsicProfile(String name, int[] deviceIds, AsicBases fixedBases, SdmaTraits sdma, IhIp ih,
                          List<VmHubRegs> hubs, NbioRegs nbio, DoorbellLayout doorbells) {

    public static final int AMD_VENDOR_ID = 0x1002;

    public AsicProfile {
        deviceIds = deviceIds.clone();
        hubs = List.copyOf(hubs);
        if (sdma.instances() > doorbells.sdmaCount()) {
            throw new IllegalArgumentException(name + ": " + sdma.instances() + " SDMA engines but " + doorbells.sdmaCount() + " doorbells");
        }
    }

    public boolean matches(int vendorId, int deviceId) {
        return vendorId == AMD_VENDOR_ID && Arrays.stream(deviceIds).anyMatch(d -> d == deviceId);
    }

    /** Vega10 has a fixed register map; the Navi parts must read the IP discovery table. */
    public boolean usesDiscovery() {
        return fixedBases == null;
    }

    /** The hub SDMA translates through (and whose FB location the driver reads). */
    public VmHubRegs sdmaHub() {
        return hubs.get(0);
    }

    /** This profile with {@link SdmaTraits#withPacketLimit} applied. */
    public AsicProfile withPacketLimit(long limit) {
        return new AsicProfile(name, deviceIds, fixedBases, sdma.withPacketLimit(limit), ih, hubs, nbio, doorbells);
    }

    @Override
    public String toString() {
        return name + " (" + sdma.blockName() + ", " + ih.blockName() + ")";
    }
}
