package amdvfio.driver.asic;

import amdvfio.driver.reg.Reg;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The four supported ASICs (spec §1.1). Numbers carry their source; where a number could not be
 * confirmed from a kernel header it says so.
 */
public final class AsicProfiles {

    private static final int[] NAVI_SDMA_DOORBELLS = {0x100, 0x10A, 0x114, 0x11E}; // AMDGPU_NAVI10_DOORBELL_sDMA_ENGINE0..3
    private static final int NAVI_IH_DOORBELL = 0x178;                             // AMDGPU_NAVI10_DOORBELL_IH

    // nbio offset headers (nbio_6_1 / nbio_2_3), segment 2; see NbioTraits.
    private static final Reg DOORBELL_APER_EN = new Reg("RCC_DOORBELL_APER_EN", 0xc0, 2);
    private static final Reg BIF_SDMA0_RANGE = new Reg("BIF_SDMA0_DOORBELL_RANGE", 0x1d0, 2);
    private static final Reg BIF_SDMA1_RANGE = new Reg("BIF_SDMA1_DOORBELL_RANGE", 0x1d1, 2);
    private static final Reg BIF_IH_RANGE = new Reg("BIF_IH_DOORBELL_RANGE", 0x1d2, 2);

    /** Vega10: SDMA 4.0.0 x2, OSSSYS 4.0.0, MMHUB 1.0; fixed bases from vega10_ip_offset.h. */
    public static final AsicProfile VEGA10 = new AsicProfile("vega10",
            new int[] {0x6860, 0x6861, 0x6862, 0x6863, 0x6864, 0x6867, 0x6868, 0x6869, 0x686a, 0x686b,
                    0x686c, 0x686d, 0x686e, 0x686f, 0x687f},
            vega10Bases(),
            new SdmaTraits("sdma_v4_0", SdmaGeneration.V4_0, 256, 0x00000005, 0x3fff00, 0x3fff00,
                    new int[] {0x08, 0x09}, 224, false, 2),
            new IhTraits("vega10_ih", true, 1, true, 6),
            // mmhub_1_0_offset.h (segment 0 of MMHUB base 0x1A000); FB location 0x82c/0x82d
            // (gem5 amdgpu_vm.hh mmMMHUB_VM_FB_LOCATION_BASE, byte 0x6a0b0 = 4 x (0x1A000 + 0x82c)).
            new GmcTraits("gmc_v9_0", HwIp.MMHUB, Reg.of("MC_VM_FB_LOCATION_BASE", 0x82c),
                    Reg.of("MC_VM_FB_LOCATION_TOP", 0x82d), Reg.of("VM_CONTEXT0_CNTL", 0x6c0),
                    Reg.of("VM_CONTEXT0_PAGE_TABLE_BASE_ADDR_LO32", 0x72b), Reg.of("VM_CONTEXT0_PAGE_TABLE_BASE_ADDR_HI32", 0x72c),
                    Reg.of("VM_CONTEXT0_PAGE_TABLE_START_ADDR_LO32", 0x74b), Reg.of("VM_CONTEXT0_PAGE_TABLE_START_ADDR_HI32", 0x74c),
                    Reg.of("VM_CONTEXT0_PAGE_TABLE_END_ADDR_LO32", 0x76b), Reg.of("VM_CONTEXT0_PAGE_TABLE_END_ADDR_HI32", 0x76c)),
            new NbioTraits("nbio_v6_1", DOORBELL_APER_EN, new Reg[] {BIF_SDMA0_RANGE, BIF_SDMA1_RANGE}, BIF_IH_RANGE, 4),
            new int[] {0xF0, 0xF2}, 0xF4); // AMDGPU_DOORBELL64_sDMA_ENGINE0/1, AMDGPU_DOORBELL64_IH

    /** Navi10: SDMA 5.0 x2 inside GC, navi10_ih, GFXHUB v2.0. */
    public static final AsicProfile NAVI10 = new AsicProfile("navi10",
            new int[] {0x7310, 0x7312, 0x7318, 0x7319, 0x731A, 0x731B, 0x731E, 0x731F},
            null,
            new SdmaTraits("sdma_v5_0", SdmaGeneration.V5_0, 16, 0x00030005, 0x3fff00, 0x3fff00,
                    new int[] {0x08, 0x09}, 224, false, 2),
            new IhTraits("navi10_ih", false, 1, true, 2),
            gcvm("gmc_v10_0", 0x1620, 0x168b, 0x16ab, 0x16cb, 0x1720),
            new NbioTraits("nbio_v2_3", DOORBELL_APER_EN, new Reg[] {BIF_SDMA0_RANGE, BIF_SDMA1_RANGE}, BIF_IH_RANGE, 20),
            NAVI_SDMA_DOORBELLS, NAVI_IH_DOORBELL);

    /** Navi21 (Sienna Cichlid): SDMA 5.2 x4, OSSSYS 5.0.3, GFXHUB v2.1. */
    public static final AsicProfile NAVI21 = new AsicProfile("sienna_cichlid",
            new int[] {0x73A0, 0x73A1, 0x73A2, 0x73A3, 0x73A5, 0x73A8, 0x73A9, 0x73AB, 0x73AC, 0x73AD, 0x73AE,
                    0x73AF, 0x73BF},
            null,
            new SdmaTraits("sdma_v5_2", SdmaGeneration.V5_2, 16, 0x00030005, 0x3fffff00, 0x3fffff00,
                    // SDMA2 = 0x01 (aliases ACP), SDMA3_Sienna_Cichlid = 0x05 (aliases ISP)
                    new int[] {0x08, 0x09, 0x01, 0x05}, 224, false, 4),
            new IhTraits("navi10_ih", false, 1, true, 2),
            gcvm("gmc_v10_0", 0x15fc, 0x1667, 0x1687, 0x16a7, 0x16fc),
            new NbioTraits("nbio_v2_3", DOORBELL_APER_EN, new Reg[] {BIF_SDMA0_RANGE, BIF_SDMA1_RANGE}, BIF_IH_RANGE, 20),
            NAVI_SDMA_DOORBELLS, NAVI_IH_DOORBELL);

    /** Navi31: SDMA 6.0 x2, ih_v6_0, GFXHUB v3.0 (GC 11). Bases only from discovery. */
    public static final AsicProfile NAVI31 = new AsicProfile("navi31",
            new int[] {0x744C},
            null,
            new SdmaTraits("sdma_v6_0", SdmaGeneration.V6_0, 16, 0x00030005, 0x3fffff00, 0x3fffff00,
                    new int[] {0x0a}, 49, true, 2), // SOC21_IH_CLIENTID_GFX, GFX_11_0_0__SRCID__SDMA_TRAP
            new IhTraits("ih_v6_0", false, 2, false, 2),
            // GC 11 GCVM_CONTEXT0_*: CNTL 0x1688, BASE 0x16f3, START 0x1713, END 0x1733 (a GC 11
            // register list; absolute 0x28e8 = 0x1260 + 0x1688); FB_LOCATION_BASE = CNTL + 0x100 (derived).
            gcvm("gmc_v11_0", 0x1688, 0x16f3, 0x1713, 0x1733, 0x1788),
            // nbio_v4_3 routes SDMA doorbells with S2A_DOORBELL_ENTRY_2_CTRL, whose offset this
            // driver does not know: only the aperture and IH range are programmed.
            new NbioTraits("nbio_v4_3", DOORBELL_APER_EN, new Reg[] {}, BIF_IH_RANGE, 20),
            NAVI_SDMA_DOORBELLS, NAVI_IH_DOORBELL);

    public static final List<AsicProfile> ALL = List.of(VEGA10, NAVI10, NAVI21, NAVI31);

    private AsicProfiles() {
    }

    /** The profile for a PCI id, if this driver supports it. */
    public static Optional<AsicProfile> forDevice(int vendorId, int deviceId) {
        return ALL.stream().filter(p -> p.matches(vendorId, deviceId)).findFirst();
    }

    /**
     * A GFXHUB VMID-0 register set (GC segment 0). Navi10 from {@code gc/gc_10_1_0_offset.h}
     * (CNTL 0x1620, BASE 0x168b, START 0x16ab, END 0x16cb, GCMC_VM_FB_LOCATION_BASE 0x1720);
     * Navi21: CNTL 0x15fc from {@code gc_10_3_0_offset.h}, the rest at GC 10.1's distances from
     * CNTL (+0x6b, +0x8b, +0xab, +0x100), not read from a header. HI32 and TOP follow each LO/BASE.
     */
    private static GmcTraits gcvm(String name, int cntl, int base, int start, int end, int fbBase) {
        return new GmcTraits(name, HwIp.GC, Reg.of("GCMC_VM_FB_LOCATION_BASE", fbBase), Reg.of("GCMC_VM_FB_LOCATION_TOP", fbBase + 1),
                Reg.of("GCVM_CONTEXT0_CNTL", cntl),
                Reg.of("GCVM_CONTEXT0_PAGE_TABLE_BASE_ADDR_LO32", base), Reg.of("GCVM_CONTEXT0_PAGE_TABLE_BASE_ADDR_HI32", base + 1),
                Reg.of("GCVM_CONTEXT0_PAGE_TABLE_START_ADDR_LO32", start), Reg.of("GCVM_CONTEXT0_PAGE_TABLE_START_ADDR_HI32", start + 1),
                Reg.of("GCVM_CONTEXT0_PAGE_TABLE_END_ADDR_LO32", end), Reg.of("GCVM_CONTEXT0_PAGE_TABLE_END_ADDR_HI32", end + 1));
    }

    // vega10_ip_offset.h (spec §1.3)
    private static IpBases vega10Bases() {
        Map<HwIp, int[]> b = new EnumMap<>(HwIp.class);
        b.put(HwIp.GC, new int[] {0x2000, 0xA000});
        b.put(HwIp.SDMA0, new int[] {0x1260});
        b.put(HwIp.SDMA1, new int[] {0x1460});
        b.put(HwIp.OSSSYS, new int[] {0x10A0});
        b.put(HwIp.NBIO, new int[] {0x0, 0x14, 0xD20, 0x10400});
        b.put(HwIp.MMHUB, new int[] {0x1A000});
        b.put(HwIp.MP0, new int[] {0x16000}); // vega10_ip_offset.h MP0_BASE, MP1_BASE
        b.put(HwIp.MP1, new int[] {0x16000});
        return new IpBases(b, Map.of());
    }
}
