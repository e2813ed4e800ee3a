package amdvfio.sim;

import amdvfio.sim.discovery.HwId;
import amdvfio.sim.discovery.IpEntry;
import amdvfio.sim.regs.GmcRegs;
import amdvfio.sim.sdma.SdmaTraits;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated ASIC, as data: PCI identity, BAR5 size, IP blocks with versions and register
 * bases, the SDMA traits, the VM hub SDMA translates through and the IV client ids. Code paths
 * are shared; a new ASIC is one more constant.
 *
 * @param name            marketing-free ASIC name
 * @param deviceId        PCI device id (spec §1.1)
 * @param classCode       PCI class code (0x030000 VGA, 0x038000 display other)
 * @param bar5Bytes       register BAR size (spec §1.2)
 * @param usesDiscovery   Navi: bases come from the IP discovery table the model writes to VRAM;
 *                        Vega10: fixed bases (vega10_reg_init.c), no table
 * @param ips             every IP block with its bases (the discovery table lists exactly these)
 * @param sdma            SDMA version traits
 * @param sdmaCount       number of SDMA instances
 * @param hub             the hub SDMA's VMID 0 translates through: MMHUB on Vega10, GFXHUB on
 *                        Navi (sdma_v4_0/v5_0/v5_2/v6_0_sw_init {@code ring->vm_hub}); the model uses
 *                        the same context for the IH (see MODEL.md)
 * @param hubIp           which IP's segment-0 base {@link #hub} offsets are relative to
 * @param trapClientIds   IV client id per SDMA instance (soc15_ih_clientid.h; 0x0a GFX on SOC21)
 * @param ihBusAddressMcSpace MC_SPACE value meaning "bus address" (1 on vega10_ih/navi10_ih, 2 on
 *                        ih_v6_0), or -1 when a bus-addressed IH ring does not work (Navi with PSP
 *                        loading: "use gpu virtual address for ih ring until ih_chicken is programmed
 *                        ... by psp bl", navi10_ih.c) — the safe reading
 */
public record SimProfile(String name, int deviceId, int classCode, long bar5Bytes, boolean usesDiscovery,
                         List<IpEntry> ips, SdmaTraits sdma, int sdmaCount, GmcRegs hub, HwId hubIp,
                         int[] trapClientIds, int ihBusAddressMcSpace) {

    /** Vega10: SDMA 4.0.0 ×2, OSSSYS 4.0.0; bases from vega10_ip_offset.h (spec §1.3). */
    public static final SimProfile VEGA10 = new SimProfile("Vega10", 0x687f, 0x030000, 512 << 10, false,
            List.of(IpEntry.of(HwId.GC, 9, 0, 1, 0x2000, 0xA000),
                    IpEntry.of(HwId.SDMA0, 4, 0, 0, 0x1260),
                    IpEntry.of(HwId.SDMA1, 4, 0, 0, 0x1460),
                    IpEntry.of(HwId.OSSSYS, 4, 0, 0, 0x10A0),
                    IpEntry.of(HwId.NBIF, 6, 1, 0, 0x0, 0x14, 0xD20, 0x10400),
                    IpEntry.of(HwId.MMHUB, 1, 0, 0, 0x1A000),
                    IpEntry.of(HwId.MP0, 9, 0, 0, 0x16000),
                    IpEntry.of(HwId.MP1, 9, 0, 0, 0x16000)),
            SdmaTraits.V4_0, 2, GmcRegs.MMHUB_1_0, HwId.MMHUB, new int[] {0x08, 0x09}, 1);

    /** Navi10: GC 10.1.10, SDMA 5.0 ×2, OSSSYS 5.0; bases as navi10_ip_offset.h, served by discovery. */
    public static final SimProfile NAVI10 = new SimProfile("Navi10", 0x731F, 0x030000, 1 << 20, true,
            List.of(IpEntry.of(HwId.GC, 10, 1, 10, 0x1260, 0xA000, 0x2402C00),
                    IpEntry.of(HwId.SDMA0, 5, 0, 0, 0x1260, 0xA000, 0x2402C00),
                    IpEntry.of(HwId.SDMA1, 5, 0, 0, 0x1260, 0xA000, 0x2402C00),
                    IpEntry.of(HwId.OSSSYS, 5, 0, 0, 0x10A0, 0x240A000),
                    IpEntry.of(HwId.NBIF, 2, 3, 0, 0x0, 0x14, 0xD20, 0x10400, 0x241B000),
                    IpEntry.of(HwId.MMHUB, 2, 0, 0, 0x1A000, 0x2408800),
                    IpEntry.of(HwId.HDP, 5, 0, 0, 0x0F20, 0x240A400),
                    IpEntry.of(HwId.MP0, 11, 0, 0, 0x16000, 0x243FC00),
                    IpEntry.of(HwId.MP1, 11, 0, 0, 0x16000, 0x243FC00)),
            SdmaTraits.V5_0, 2, GmcRegs.GCVM_10_1, HwId.GC, new int[] {0x08, 0x09}, -1);

    /** Navi21 (Sienna Cichlid): GC 10.3.0, SDMA 5.2 ×4, OSSSYS 5.0.3; sienna_cichlid_ip_offset.h bases. */
    public static final SimProfile NAVI21 = new SimProfile("Navi21", 0x73BF, 0x030000, 1 << 20, true,
            List.of(IpEntry.of(HwId.GC, 10, 3, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA0, 5, 2, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA1, 5, 2, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA2, 5, 2, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA3, 5, 2, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.OSSSYS, 5, 0, 3, 0x10A0, 0x240A000),
                    IpEntry.of(HwId.NBIF, 3, 3, 0, 0x0, 0x14, 0xD20, 0x10400, 0x241B000),
                    IpEntry.of(HwId.MMHUB, 2, 1, 0, 0x1A000, 0x2408800),
                    IpEntry.of(HwId.HDP, 5, 0, 3, 0x0F20, 0x240A400),
                    IpEntry.of(HwId.MP0, 11, 0, 7, 0x16000, 0x243FC00),
                    IpEntry.of(HwId.MP1, 11, 0, 7, 0x16000, 0x243FC00)),
            SdmaTraits.V5_2, 4, GmcRegs.GCVM_10_3, HwId.GC, new int[] {0x08, 0x09, 0x01, 0x05}, -1);

    /**
     * Navi31: GC 11.0.0, SDMA 6.0 ×2, OSSSYS 6.0. No static header exists (spec §1.3): the bases
     * are an assumption (Sienna Cichlid's, as tinygrad's KFD path uses), served by discovery.
     */
    public static final SimProfile NAVI31 = new SimProfile("Navi31", 0x744C, 0x030000, 1 << 20, true,
            List.of(IpEntry.of(HwId.GC, 11, 0, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA0, 6, 0, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.SDMA1, 6, 0, 0, 0x1260, 0xA000, 0x1C000, 0x2402C00),
                    IpEntry.of(HwId.OSSSYS, 6, 0, 0, 0x10A0, 0x240A000),
                    IpEntry.of(HwId.NBIF, 4, 3, 0, 0x0, 0x14, 0xD20, 0x10400, 0x241B000),
                    IpEntry.of(HwId.MMHUB, 3, 0, 0, 0x1A000, 0x2408800),
                    IpEntry.of(HwId.HDP, 6, 0, 0, 0x0F20, 0x240A400),
                    IpEntry.of(HwId.MP0, 13, 0, 0, 0x16000, 0x243FC00),
                    IpEntry.of(HwId.MP1, 13, 0, 0, 0x16000, 0x243FC00)),
            SdmaTraits.V6_0, 2, GmcRegs.GCVM_11_0, HwId.GC, new int[] {0x0a, 0x0a}, -1);

    public static final List<SimProfile> ALL = List.of(VEGA10, NAVI10, NAVI21, NAVI31);

    public SimProfile {
        ips = List.copyOf(ips);
        trapClientIds = trapClientIds.clone();
        if (trapClientIds.length != sdmaCount) {
            throw new IllegalArgumentException(name + ": " + sdmaCount + " SDMA instances but "
                    + trapClientIds.length + " client ids");
        }
    }

    public IpEntry ip(HwId id) {
        for (IpEntry e : ips) {
            if (e.hwId() == id) {
                return e;
            }
        }
        throw new IllegalArgumentException(name + " has no " + id + " block");
    }

    /** IV client id of SDMA instance {@code i}. */
    public int trapClientId(int i) {
        return trapClientIds[i];
    }

    /** Where instance {@code i}'s segment-0 registers start (dwords). */
    public int sdmaSeg0Base(int i) {
        if (sdma.version() == amdvfio.sim.sdma.SdmaVersion.V4_0) {
            return ip(HwId.sdma(i)).base(0); // separate SDMA0/SDMA1 IP bases (vega10_ip_offset.h)
        }
        int[] b = ip(HwId.SDMA0).bases();
        // sdma_v5_2.c: SDMA2 at segment 2, SDMA3 0x400 after it; SDMA1 0x600 after SDMA0
        return switch (i) {
            case 0, 1 -> b[0] + i * amdvfio.sim.regs.SdmaRegs.INSTANCE_STRIDE_SEG0;
            case 2 -> b[2];
            case 3 -> b[2] + amdvfio.sim.regs.SdmaRegs.SDMA3_OFFSET;
            default -> throw new IllegalArgumentException("no SDMA instance " + i);
        };
    }

    /** Where instance {@code i}'s HYP registers (0x5880..) are based: segment 1 + 0x20 × i; Vega10: none. */
    public int sdmaHypBase(int i) {
        if (sdma.version() == amdvfio.sim.sdma.SdmaVersion.V4_0) {
            return -1;
        }
        return ip(HwId.SDMA0).base(1) + i * amdvfio.sim.regs.SdmaRegs.INSTANCE_STRIDE_HYP;
    }

    public int ihBase() {
        return ip(HwId.OSSSYS).base(0);
    }

    public int hubBase() {
        return ip(hubIp).base(0);
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
