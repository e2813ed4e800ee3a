package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * TIMESTAMP GET_GLOBAL, 3 dwords: writes the 64-bit global GPU timestamp to an 8-byte-aligned address.
 *
 * <pre>
 *  dw0  op=13 | sub_op=2 (GET_GLOBAL)  = 0x0000020D
 *  dw1  write_addr[31:3] (8-byte aligned)   dw2  write_addr[63:32]
 * </pre>
 */
public final class SdmaTimestamp extends PacketFlyweight<SdmaTimestamp> {

    private final int header;

    public SdmaTimestamp(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opTimestamp, pkt.subopTimestampGetGlobal);
    }

    public static final int ADDR_LO = 1;
    public static final int ADDR_HI = ADDR_LO + 1;
    public static final int DWORDS = ADDR_HI + 1;

    public SdmaTimestamp getGlobal(long address) {
        return store(header, lo(address) & ~7, hi(address));
    }
}
