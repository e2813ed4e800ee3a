package amdvfio.driver.asic;

import amdvfio.amdgpu.SdmaIp;
import amdvfio.amdgpu.SdmaPackets;

/**
 * The SDMA of one ASIC: the version's data ({@link SdmaIp}: registers, packets, ids, maxima,
 * all from the generated headers), how many engines this ASIC has, and an optional lower
 * per-packet limit (a driver option for tests and callers that want shorter packets).
 */
public record SdmaTraits(SdmaIp ip, int instances, long packetLimit) {

    public SdmaTraits {
        if (instances < 1 || instances > ip.maxInstances()) {
            throw new IllegalArgumentException(ip.blockName() + " has 1.." + ip.maxInstances() + " instances, not " + instances);
        }
    }

    public SdmaTraits(SdmaIp ip, int instances) {
        this(ip, instances, 0);
    }

    public String blockName() {
        return ip.blockName();
    }

    public SdmaPackets packets() {
        return ip.packets();
    }

    /** Ring fetch alignment in dwords. */
    public int alignDwords() {
        return ip.alignDwords();
    }

    public int fenceHeader() {
        return ip.fenceHeader();
    }

    /** Bytes per COPY_LINEAR packet (the version's maximum, or the lower packet limit). */
    public long copyMaxBytes() {
        return limited(ip.copyMaxBytes());
    }

    /** Bytes per CONSTANT_FILL packet (the version's maximum, or the lower packet limit). */
    public long fillMaxBytes() {
        return limited(ip.fillMaxBytes());
    }

    /** These traits with the COPY and FILL maxima lowered to {@code limit} bytes (when smaller; 0: none). */
    public SdmaTraits withPacketLimit(long limit) {
        return new SdmaTraits(ip, instances, limit);
    }

    /** The SDMA instance a TRAP interrupt came from, or −1 when it is not an SDMA trap of ours. */
    public int trapInstance(int clientId, int sourceId, int ringId) {
        return ip.trapInstance(clientId, sourceId, ringId, instances);
    }

    private long limited(long max) {
        return packetLimit > 0 ? Math.min(max, packetLimit) : max;
    }
}
