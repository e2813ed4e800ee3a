package amdvfio.sim.sdma;

import amdvfio.amdgpu.SdmaIp;
import amdvfio.amdgpu.SdmaPackets;

/**
 * The model's view of an SDMA version: everything that differs is the version's data in the
 * shared typed layer ({@link SdmaIp}, built from the generated headers), the same data the
 * driver uses. This record only names what the engine asks.
 */
public record SdmaTraits(SdmaIp ip) {

    public static final SdmaTraits V4_0 = new SdmaTraits(SdmaIp.V4_0);
    public static final SdmaTraits V5_0 = new SdmaTraits(SdmaIp.V5_0);
    public static final SdmaTraits V5_2 = new SdmaTraits(SdmaIp.V5_2);
    public static final SdmaTraits V6_0 = new SdmaTraits(SdmaIp.V6_0);

    /** The version (for tests and reports). */
    public SdmaIp version() {
        return ip;
    }

    public SdmaPackets packets() {
        return ip.packets();
    }

    /** Ring fetch alignment of wptr updates in dwords (spec §2.3). */
    public int alignDwords() {
        return ip.alignDwords();
    }

    /** Strict per-packet COPY maximum in bytes. */
    public long copyMaxBytes() {
        return ip.copyMaxBytes();
    }

    /** Strict per-packet CONSTANT_FILL maximum in bytes. */
    public long fillMaxBytes() {
        return ip.fillMaxBytes();
    }

    public int dummyTrapOpcode() {
        return ip.packets().opDummyTrap;
    }

    /** GCR_REQ exists (5.x/6.0 headers define it). */
    public boolean hasGcrReq() {
        return ip.packets().opGcrReq >= 0;
    }

    public int trapSrcId() {
        return ip.trapSrcId();
    }

    public int pageFaultSrcId() {
        return ip.pageFaultSrcId();
    }

    public boolean ringIdHasInstance() {
        return ip.instanceInRingId();
    }
}
