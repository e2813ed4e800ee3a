package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * FENCE, 4 dwords: writes a 32-bit value to a 4-byte-aligned address when the engine reaches it.
 * The header comes from the profile (v4: 0x00000005; v5/v6: MTYPE UC, 0x00030005).
 *
 * <pre>
 *  dw0  op=5 | v5/v6: [18:16] mtype
 *  dw1  addr[31:0] (4-byte aligned)   dw2  addr[63:32]
 *  dw3  data
 * </pre>
 */
public final class SdmaFence extends PacketFlyweight<SdmaFence> {

    public SdmaFence(SdmaPackets pkt) {
        super(pkt);
    }

    public static final int ADDR_LO = 1;
    public static final int ADDR_HI = ADDR_LO + 1;
    public static final int DATA = ADDR_HI + 1;
    public static final int DWORDS = DATA + 1;

    public SdmaFence fence(int header, long address, int seq) {
        return store(header, lo(address) & ~3, hi(address), seq);
    }
}
