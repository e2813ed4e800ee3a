package amdvfio.driver.asic;

/**
 * The hardware IP blocks this driver addresses, with their hardware ids as the IP discovery
 * table spells them ({@code include/soc15_hw_ip.h}: {@code GC_HWID 11}, {@code SDMA0_HWID 42},
 * {@code OSSSYS_HWID 40}, {@code NBIF_HWID 108}, {@code MMHUB_HWID 34}, {@code MP0_HWID 255},
 * {@code MP1_HWID 1}).
 */
public enum HwIp {
    GC(11),
    SDMA0(42),
    SDMA1(43),
    SDMA2(68),
    SDMA3(69),
    OSSSYS(40),
    NBIO(108),
    MMHUB(34),
    /** The PSP. */
    MP0(255),
    /** The SMU. */
    MP1(1);

    private final int hwId;

    HwIp(int hwId) {
        this.hwId = hwId;
    }

    public int hwId() {
        return hwId;
    }

    /** The IP with discovery id {@code hwId}, or null when the driver does not use it. */
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
