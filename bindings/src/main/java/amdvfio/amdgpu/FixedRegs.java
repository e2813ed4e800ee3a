package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.mp_9_0_h;

/**
 * The registers amdgpu reads at fixed absolute dword addresses on every dGPU before it knows any
 * IP base ({@code amdgpu_discovery.c}: {@code mmRCC_CONFIG_MEMSIZE 0xde3},
 * {@code mmMP0_SMN_C2PMSG_33 0x16061}, {@code mmMM_INDEX 0x0}, {@code mmMM_DATA 0x1},
 * {@code mmMM_INDEX_HI 0x6}). Here they are computed rather than typed: the register's generated
 * offset plus its segment base in {@code vega10_ip_offset.h}, the map those constants come from.
 */
public final class FixedRegs {

    public static final int MM_INDEX = absolute(NbioRegsFacts.MM_INDEX, HwIp.NBIF);
    public static final int MM_DATA = absolute(NbioRegsFacts.MM_DATA, HwIp.NBIF);
    public static final int MM_INDEX_HI = absolute(NbioRegsFacts.MM_INDEX_HI, HwIp.NBIF);
    /** VRAM size in MiB. */
    public static final int RCC_CONFIG_MEMSIZE = absolute(NbioRegs.NBIO_6_1.configMemsize, HwIp.NBIF);
    /** Bit 31: "IFWI init complete"; amdgpu waits up to 1 s for it. */
    public static final int MP0_C2PMSG_33 = absolute(HeaderFacts.of(mp_9_0_h.class).reg("MP0_SMN_C2PMSG_33"), HwIp.MP0);
    /** MM_INDEX [31] MM_APER: 1 = the frame buffer, 0 = register space. */
    public static final int MM_INDEX_APER_VRAM = 1 << 31;
    /** MP0_SMN_C2PMSG_33 bit 31 ("IFWI init complete"), as amdgpu_discovery.c tests it. */
    public static final int IFWI_INIT_COMPLETE = 1 << 31;

    private FixedRegs() {
    }

    private static int absolute(Reg reg, HwIp ip) {
        return reg.address(AsicBases.VEGA10.of(ip));
    }

    /** The MM_INDEX/MM_DATA/MM_INDEX_HI trio of {@code nbio_6_1_offset.h}. */
    private static final class NbioRegsFacts {
        static final HeaderFacts H = HeaderFacts.of(amdvfio.bindings.amdgpu.nbio_6_1_h.class);
        static final Reg MM_INDEX = H.reg("MM_INDEX");
        static final Reg MM_DATA = H.reg("MM_DATA");
        static final Reg MM_INDEX_HI = H.reg("MM_INDEX_HI");
    }
}
