package amdvfio.sim;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.sim.discovery.IpEntry;
import amdvfio.sim.sdma.SdmaTraits;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated ASIC, as data: PCI identity, BAR5 size, IP blocks with versions and register
 * bases, and per IP the version's facts from the typed layer over the generated headers
 * ({@code amdvfio.amdgpu}, shared with the driver). Code paths are shared; a new ASIC is one
 * more constant.
 *
 * @param name            marketing-free ASIC name
 * @param deviceId        PCI device id (spec §1.1; amdgpu_drv.c's table)
 * @param classCode       PCI class code (0x030000 VGA, 0x038000 display other)
 * @param bar5Bytes       register BAR size (spec §1.2)
 * @param usesDiscovery   Navi: bases come from the IP discovery table the model writes to VRAM;
 *                        Vega10: fixed bases (vega10_reg_init.c), no table
 * @param ips             every IP block with its bases (the discovery table lists exactly these)
 * @param sdma            SDMA version traits
 * @param sdmaCount       number of SDMA instances
 * @param hub             the hub SDMA's VMID 0 translates through: MMHUB on Vega10, GFXHUB on
 *                        Navi (sdma_v4_0/v5_0/v5_2/v6_0_sw_init {@code ring->vm_hub})
 * @param ihHub           the hub the IH's MC addresses translate through: MMHUB (the IH is an
 *                        MMHUB client; on Navi a different hub from SDMA's)
 * @param ih              the IH version (registers, bus-address MC_SPACE)
 * @param nbio            the NBIO version: doorbell aperture and routes
 */
public record SimProfile(String name, int deviceId, int classCode, long bar5Bytes, boolean usesDiscovery,
                         List<IpEntry> ips, SdmaTraits sdma, int sdmaCount, VmHubRegs hub, VmHubRegs ihHub,
                         IhIp ih, NbioRegs nbio) {

    /** Vega10: SDMA 4.0.0 ×2, OSSSYS 4.0.0; bases from vega10_ip_offset.h (spec §1.3). */
    public static final SimProfile VEGA10 = new SimProfile("Vega10", 0x687f, 0x030000, 512 << 10, false,
            List.of(entry(AsicBases.VEGA10, HwIp.GC, 9, 0, 1),
                    entry(AsicBases.VEGA10, HwIp.SDMA0, 4, 0, 0),
                    entry(AsicBases.VEGA10, HwIp.SDMA1, 4, 0, 0),
                    entry(AsicBases.VEGA10, HwIp.OSSSYS, 4, 0, 0),
                    entry(AsicBases.VEGA10, HwIp.NBIF, 6, 1, 0),
                    entry(AsicBases.VEGA10, HwIp.MMHUB, 1, 0, 0),
                    entry(AsicBases.VEGA10, HwIp.MP0, 9, 0, 0),
                    entry(AsicBases.VEGA10, HwIp.MP1, 9, 0, 0)),
            SdmaTraits.V4_0, 2, VmHubRegs.MMHUB_1_0, VmHubRegs.MMHUB_1_0, IhIp.VEGA10_IH, NbioRegs.NBIO_6_1);

    /** Navi10: GC 10.1.10, SDMA 5.0 ×2, OSSSYS 5.0; bases as navi10_ip_offset.h, served by discovery. */
    public static final SimProfile NAVI10 = navi("Navi10", 0x731F, AsicBases.NAVI10, new int[] {10, 1, 10}, new int[] {5, 0, 0}, 2,
            new int[] {5, 0, 0}, new int[] {2, 3, 0}, new int[] {2, 0, 0}, new int[] {5, 0, 0}, new int[] {11, 0, 0},
            SdmaTraits.V5_0, VmHubRegs.GFXHUB_10_1, VmHubRegs.MMHUB_2_0, IhIp.NAVI10_IH, NbioRegs.NBIO_2_3);

    /**
     * Navi21 (Sienna Cichlid): GC 10.3.0, SDMA 5.2 ×4, OSSSYS 5.0.3, MMHUB 2.1 (driven with
     * mmhub_2_0_0's VM registers, mmhub_v2_0.c), NBIF 3.3 (nbio_v2_3); sienna_cichlid_ip_offset.h bases.
     */
    public static final SimProfile NAVI21 = navi("Navi21", 0x73BF, AsicBases.NAVI21, new int[] {10, 3, 0}, new int[] {5, 2, 0}, 4,
            new int[] {5, 0, 3}, new int[] {3, 3, 0}, new int[] {2, 1, 0}, new int[] {5, 0, 3}, new int[] {11, 0, 7},
            SdmaTraits.V5_2, VmHubRegs.GFXHUB_10_3, VmHubRegs.MMHUB_2_0, IhIp.NAVI10_IH, NbioRegs.NBIO_2_3);

    /**
     * Navi31: GC 11.0.0, SDMA 6.0 ×2, OSSSYS 6.0, NBIO 4.3, MMHUB 3.0. No static header exists
     * (spec §1.3): the bases are an assumption (Sienna Cichlid's, as tinygrad's KFD path uses).
     */
    public static final SimProfile NAVI31 = navi("Navi31", 0x744C, AsicBases.NAVI31_ASSUMED, new int[] {11, 0, 0}, new int[] {6, 0, 0}, 2,
            new int[] {6, 0, 0}, new int[] {4, 3, 0}, new int[] {3, 0, 0}, new int[] {6, 0, 0}, new int[] {13, 0, 0},
            SdmaTraits.V6_0, VmHubRegs.GFXHUB_11_0, VmHubRegs.MMHUB_3_0, IhIp.IH_V6_0, NbioRegs.NBIO_4_3);

    public static final List<SimProfile> ALL = List.of(VEGA10, NAVI10, NAVI21, NAVI31);

    public SimProfile {
        ips = List.copyOf(ips);
        if (sdmaCount > sdma.ip().maxInstances()) {
            throw new IllegalArgumentException(name + ": " + sdmaCount + " SDMA instances, but " + sdma.ip().blockName()
                    + " defines " + sdma.ip().maxInstances());
        }
    }

    private static IpEntry entry(AsicBases table, HwIp ip, int major, int minor, int revision) {
        return IpEntry.of(ip, major, minor, revision, table.of(ip));
    }

    /** A Navi part: every SDMA instance is its own discovery entry with the GC bases (SDMA lives inside GC). */
    private static SimProfile navi(String name, int deviceId, AsicBases t, int[] gc, int[] sdma, int sdmaCount, int[] oss,
                                   int[] nbif, int[] mmhub, int[] hdp, int[] mp, SdmaTraits traits, VmHubRegs hub,
                                   VmHubRegs ihHub, IhIp ih, NbioRegs nbio) {
        List<IpEntry> ips = new ArrayList<>();
        ips.add(entry(t, HwIp.GC, gc[0], gc[1], gc[2]));
        for (int i = 0; i < sdmaCount; i++) {
            ips.add(IpEntry.of(HwIp.sdma(i), sdma[0], sdma[1], sdma[2], t.of(HwIp.GC)));
        }
        ips.add(entry(t, HwIp.OSSSYS, oss[0], oss[1], oss[2]));
        ips.add(entry(t, HwIp.NBIF, nbif[0], nbif[1], nbif[2]));
        ips.add(entry(t, HwIp.MMHUB, mmhub[0], mmhub[1], mmhub[2]));
        ips.add(entry(t, HwIp.HDP, hdp[0], hdp[1], hdp[2]));
        ips.add(entry(t, HwIp.MP0, mp[0], mp[1], mp[2]));
        ips.add(entry(t, HwIp.MP1, mp[0], mp[1], mp[2]));
        return new SimProfile(name, deviceId, 0x030000, 1 << 20, true, ips, traits, sdmaCount, hub, ihHub, ih, nbio);
    }

    public IpEntry ip(HwIp id) {
        for (IpEntry e : ips) {
            if (e.hwId() == id) {
                return e;
            }
        }
        throw new IllegalArgumentException(name + " has no " + id + " block");
    }

    /** The segment bases of {@code id}. */
    public int[] bases(HwIp id) {
        return ip(id).bases();
    }

    /** IV client id of SDMA instance {@code i}. */
    public int trapClientId(int i) {
        return sdma.ip().trapClientId(i);
    }

    /** The registers of SDMA instance {@code i} (its own names in the version's header). */
    public SdmaRegs sdmaRegs(int i) {
        return sdma.ip().regs(i);
    }

    /** The absolute dword of SDMA instance {@code i}'s register {@code reg}. */
    public int sdmaRegister(int i, Reg reg) {
        return reg.address(bases(sdmaRegs(i).baseIp));
    }

    /** The absolute dword of the IH register {@code reg}. */
    public int ihRegister(Reg reg) {
        return reg.address(bases(HwIp.OSSSYS));
    }

    /** The absolute dword of the NBIO register {@code reg}. */
    public int nbioRegister(Reg reg) {
        return reg.address(bases(HwIp.NBIF));
    }

    /** MC_SPACE meaning "bus address" for the IH, or −1 when a bus-addressed ring does not work (Navi: PSP-programmed IH_CHICKEN). */
    public int ihBusAddressMcSpace() {
        return ih.useBusAddress() ? ih.mcSpaceBus() : -1;
    }

    /** Names of the IP blocks, for reports. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        ips.forEach(e -> out.add(e.toString()));
        return out;
    }

    @Override
    public String toString() {
        return name + String.format(" [1002:%04x]", deviceId);
    }
}
