package amdvfio.sim.discovery;

import amdvfio.amdgpu.HwIp;
import java.util.Arrays;

/**
 * One IP block of a profile: its hardware id, instance, HCID version and segment base
 * addresses in dwords (struct {@code ip} of discovery.h; {@code reg_offset[ip][inst][seg]}).
 */
public record IpEntry(HwIp hwId, int instance, int major, int minor, int revision, int[] bases) {

    public IpEntry {
        bases = bases.clone();
    }

    public static IpEntry of(HwIp id, int major, int minor, int revision, int... bases) {
        return new IpEntry(id, 0, major, minor, revision, bases);
    }

    public int base(int segment) {
        return bases[segment];
    }

    @Override
    public int[] bases() {
        return bases.clone();
    }

    @Override
    public String toString() {
        return hwId + "#" + instance + " " + major + "." + minor + "." + revision + " " + Arrays.toString(
                Arrays.stream(bases).mapToObj(b -> "0x" + Integer.toHexString(b)).toArray());
    }
}
