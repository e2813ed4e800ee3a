package amdvfio.driver.asic;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.SdmaIp;
import amdvfio.amdgpu.VmHubRegs;
import java.util.List;
import java.util.Optional;

/**
 * The four supported ASICs (spec §1.1): which version of each IP, as amdgpu picks them, and how
 * many SDMA engines. Every register, field, id and limit comes from {@code amdvfio.amdgpu}.
 */
public final class AsicProfiles {

    /** Vega10: SDMA 4.0.0 x2, OSSSYS 4.0.0, MMHUB 1.0, NBIO 6.1; fixed bases (vega10_ip_offset.h). */
    public static final AsicProfile VEGA10 = new AsicProfile("vega10",
            new int[] {0x6860, 0x6861, 0x6862, 0x6863, 0x6864, 0x6867, 0x6868, 0x6869, 0x686a, 0x686b,
                    0x686c, 0x686d, 0x686e, 0x686f, 0x687f},
            AsicBases.VEGA10, new SdmaTraits(SdmaIp.V4_0, 2), IhIp.VEGA10_IH,
            List.of(VmHubRegs.MMHUB_1_0), NbioRegs.NBIO_6_1, DoorbellLayout.SOC15);

    /** Navi10: SDMA 5.0 x2 inside GC 10.1, navi10_ih, GFXHUB 2.0 + MMHUB 2.0, NBIO 2.3. */
    public static final AsicProfile NAVI10 = new AsicProfile("navi10",
            new int[] {0x7310, 0x7312, 0x7318, 0x7319, 0x731A, 0x731B, 0x731E, 0x731F},
            null, new SdmaTraits(SdmaIp.V5_0, 2), IhIp.NAVI10_IH,
            List.of(VmHubRegs.GFXHUB_10_1, VmHubRegs.MMHUB_2_0), NbioRegs.NBIO_2_3, DoorbellLayout.NAVI10);

    /**
     * Navi21 (Sienna Cichlid): SDMA 5.2 x4 in GC 10.3, OSSSYS 5.0.3 (navi10_ih), GFXHUB 2.1 +
     * MMHUB 2.1 (mmhub_v2_0.c drives it with mmhub_2_0_0's VM registers), NBIF 3.3 (nbio_v2_3).
     */
    public static final AsicProfile NAVI21 = new AsicProfile("sienna_cichlid",
            new int[] {0x73A0, 0x73A1, 0x73A2, 0x73A3, 0x73A5, 0x73A8, 0x73A9, 0x73AB, 0x73AC, 0x73AD, 0x73AE,
                    0x73AF, 0x73BF},
            null, new SdmaTraits(SdmaIp.V5_2, 4), IhIp.NAVI10_IH,
            List.of(VmHubRegs.GFXHUB_10_3, VmHubRegs.MMHUB_2_0), NbioRegs.NBIO_2_3, DoorbellLayout.NAVI10);

    /** Navi31: SDMA 6.0 x2 in GC 11.0, ih_v6_0, GFXHUB 3.0 + MMHUB 3.0, NBIO 4.3. Bases only from discovery. */
    public static final AsicProfile NAVI31 = new AsicProfile("navi31",
            new int[] {0x744C},
            null, new SdmaTraits(SdmaIp.V6_0, 2), IhIp.IH_V6_0,
            List.of(VmHubRegs.GFXHUB_11_0, VmHubRegs.MMHUB_3_0), NbioRegs.NBIO_4_3, DoorbellLayout.NAVI10);

    public static final List<AsicProfile> ALL = List.of(VEGA10, NAVI10, NAVI21, NAVI31);

    private AsicProfiles() {
    }

    /** The profile for a PCI id, if this driver supports it. */
    public static Optional<AsicProfile> forDevice(int vendorId, int deviceId) {
        return ALL.stream().filter(p -> p.matches(vendorId, deviceId)).findFirst();
    }
}
