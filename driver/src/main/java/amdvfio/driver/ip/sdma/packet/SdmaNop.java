package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * NOP, 1 + count dwords. A burst NOP's {@code count} [29:16] dwords of payload are skipped;
 * the payload this driver writes is zero, and a zero dword is itself a valid NOP, so firmware
 * without burst support (feature_version &lt; 20, {@code amdgpu_sdma.c}) reads the same padding.
 *
 * <pre>
 *  dw0  [7:0] op=0 | [15:8] sub_op=0 | [29:16] count
 * </pre>
 */
public final class SdmaNop extends PacketFlyweight<SdmaNop> {

    private final int header;

    public SdmaNop(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opNop, 0);
    }

    public static final int DWORDS = 1;

    /** Writes a pad of {@code n >= 1} dwords: a burst header then zeros ({@code *_ring_insert_nop}). */
    public SdmaNop pad(int n) {
        store(pkt.nopCount.set(header, n - 1));
        if (n > 1) {
            zero(1, n - 1);
        }
        return this;
    }
}
