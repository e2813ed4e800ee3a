package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.soc15_hw_ip_h;

/**
 * The hardware IP blocks amdvfio addresses, with the ids the IP discovery table gives them
 * ({@code include/soc15_hw_ip.h}, generated). The driver reads bases by these ids; the simulator
 * writes its discovery table with them.
 */
public enum HwIp {
    MP1(soc15_hw_ip_h.MP1_HWID()),
    GC(soc15_hw_ip_h.GC_HWID()),
    MMHUB(soc15_hw_ip_h.MMHUB_HWID()),
    OSSSYS(soc15_hw_ip_h.OSSSYS_HWID()),
    HDP(soc15_hw_ip_h.HDP_HWID()),
    SDMA0(soc15_hw_ip_h.SDMA0_HWID()),
    SDMA1(soc15_hw_ip_h.SDMA1_HWID()),
    SDMA2(soc15_hw_ip_h.SDMA2_HWID()),
    SDMA3(soc15_hw_ip_h.SDMA3_HWID()),
    NBIF(soc15_hw_ip_h.NBIF_HWID()),
    MP0(soc15_hw_ip_h.MP0_HWID());

    private final int hwId;

    HwIp(int hwId) {
        this.hwId = hwId;
    }

    /** The discovery table's {@code hw_id}. */
    public int hwId() {
        return hwId;
    }

    /** The IP with discovery id {@code hwId}, or null when amdvfio does not use it. */
    public static HwIp byHwId(int hwId) {
        for (HwIp ip : values()) {
            if (ip.hwId == hwId) {
                return ip;
            }
        }
        return null;
    }

    /** SDMA{n}. */
    public static HwIp sdma(int instance) {
        return switch (instance) {
            case 0 -> SDMA0;
            case 1 -> SDMA1;
            case 2 -> SDMA2;
            case 3 -> SDMA3;
            default -> throw new IllegalArgumentException("no SDMA instance " + instance);
        };
    }
}
