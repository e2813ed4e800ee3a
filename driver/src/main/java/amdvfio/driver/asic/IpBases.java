package amdvfio.driver.asic;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.HwIp;
import java.util.EnumMap;
import java.util.Map;

/**
 * Register segment bases (dwords) per IP, per instance 0: {@code adev->reg_offset[ip][0][seg]}.
 * Hard-coded for Vega10 ({@code vega10_reg_init.c}), read from the IP discovery table for Navi.
 * Immutable once built.
 */
public final class IpBases {

    private final Map<HwIp, int[]> bases;
    private final Map<HwIp, IpVersion> versions;

    public IpBases(Map<HwIp, int[]> bases, Map<HwIp, IpVersion> versions) {
        this.bases = new EnumMap<>(HwIp.class);
        bases.forEach((k, v) -> this.bases.put(k, v.clone()));
        this.versions = versions.isEmpty() ? new EnumMap<>(HwIp.class) : new EnumMap<>(versions);
    }

    /** The fixed bases of an ASIC without a discovery table. */
    public static IpBases of(AsicBases fixed) {
        return new IpBases(fixed.all(), Map.of());
    }

    /** The segment bases of {@code ip}. */
    public int[] of(HwIp ip) {
        int[] b = bases.get(ip);
        if (b == null) {
            throw new IllegalStateException("no register bases for " + ip + " (known: " + bases.keySet() + ")");
        }
        return b;
    }

    public boolean has(HwIp ip) {
        return bases.containsKey(ip);
    }

    /** The base of segment {@code segment} of {@code ip}. */
    public int base(HwIp ip, int segment) {
        int[] b = bases.get(ip);
        if (b == null || segment >= b.length) {
            throw new IllegalStateException("no register base for " + ip + " segment " + segment
                    + " (known: " + bases.keySet() + ")");
        }
        return b[segment];
    }

    /** The version read from discovery, or null for fixed-base ASICs. */
    public IpVersion version(HwIp ip) {
        return versions.get(ip);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IpBases[");
        bases.forEach((ip, b) -> {
            sb.append(ip).append('=');
            for (int i = 0; i < b.length; i++) {
                sb.append(i == 0 ? "" : "/").append(String.format("0x%x", b[i]));
            }
            IpVersion v = versions.get(ip);
            sb.append(v == null ? "" : " v" + v).append(' ');
        });
        return sb.append(']').toString();
    }
}
