package amdvfio.amdgpu;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Register segment bases per IP (instance 0), as the kernel's {@code *_ip_offset.h} headers give
 * them. Those headers are initialised {@code static const struct IP_BASE} tables, which jextract
 * cannot export (it exports macros, enums and layouts, not initialiser data), so these numbers are
 * typed here, once, with their header named, and proven element by element against gcc over
 * those headers ({@code AmdHeaderFactsTest}); the driver uses {@link #VEGA10} (the one ASIC
 * without a discovery table) and the simulator writes all of them into its discovery tables.
 * Immutable.
 */
public final class AsicBases {

    /** {@code vega10_ip_offset.h} (also {@code vega10_reg_init.c}). */
    public static final AsicBases VEGA10 = new AsicBases("vega10_ip_offset.h")
            .put(HwIp.GC, 0x2000, 0xA000)
            .put(HwIp.SDMA0, 0x1260)
            .put(HwIp.SDMA1, 0x1460)
            .put(HwIp.OSSSYS, 0x10A0)
            .put(HwIp.NBIF, 0x0, 0x14, 0xD20, 0x10400)
            .put(HwIp.MMHUB, 0x1A000)
            .put(HwIp.MP0, 0x16000)
            .put(HwIp.MP1, 0x16000);

    /** {@code navi10_ip_offset.h}. */
    public static final AsicBases NAVI10 = new AsicBases("navi10_ip_offset.h")
            .put(HwIp.GC, 0x1260, 0xA000)
            .put(HwIp.OSSSYS, 0x10A0)
            .put(HwIp.NBIF, 0x0, 0x14, 0xD20, 0x10400)
            .put(HwIp.MMHUB, 0x1A000)
            .put(HwIp.HDP, 0x0F20)
            .put(HwIp.MP0, 0x16000)
            .put(HwIp.MP1, 0x16000);

    /** {@code sienna_cichlid_ip_offset.h}. */
    public static final AsicBases NAVI21 = new AsicBases("sienna_cichlid_ip_offset.h")
            .put(HwIp.GC, 0x1260, 0xA000, 0x1C000, 0x2402C00)
            .put(HwIp.OSSSYS, 0x10A0, 0x240A000)
            .put(HwIp.NBIF, 0x0, 0x14, 0xD20, 0x10400, 0x241B000)
            .put(HwIp.MMHUB, 0x1A000, 0x2408800)
            .put(HwIp.HDP, 0x0F20, 0x240A400)
            .put(HwIp.MP0, 0x16000, 0xDC0000)
            .put(HwIp.MP1, 0x16000, 0xDC0000);

    /**
     * Navi31 has no static {@code *_ip_offset.h} (its bases exist only in the discovery table):
     * Sienna Cichlid's are assumed, as tinygrad's KFD path does (spec §1.3). The simulator only.
     */
    public static final AsicBases NAVI31_ASSUMED = new AsicBases("assumed = sienna_cichlid_ip_offset.h");

    static {
        NAVI21.bases.forEach((ip, b) -> NAVI31_ASSUMED.put(ip, b));
    }

    private final String source;
    private final Map<HwIp, int[]> bases = new EnumMap<>(HwIp.class);

    private AsicBases(String source) {
        this.source = source;
    }

    private AsicBases put(HwIp ip, int... segments) {
        bases.put(ip, segments.clone());
        return this;
    }

    /** The segment bases of {@code ip} (a copy), or null if the table has none. */
    public int[] of(HwIp ip) {
        int[] b = bases.get(ip);
        return b == null ? null : b.clone();
    }

    public Map<HwIp, int[]> all() {
        Map<HwIp, int[]> copy = new EnumMap<>(HwIp.class);
        bases.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    public String source() {
        return source;
    }
}
