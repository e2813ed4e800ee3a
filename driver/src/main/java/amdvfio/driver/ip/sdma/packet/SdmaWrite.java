package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * WRITE_LINEAR with one data dword (the amdgpu ring test's form).
 *
 * <pre>
 *  dw0  op=2, sub_op=0
 *  dw1  dst_addr[31:0]
 *  dw2  dst_addr[63:32]
 *  dw3  [19:0] count = N - 1 (dwords)
 *  dw4  data
 * </pre>
 */
public final class SdmaWrite extends PacketFlyweight<SdmaWrite> {

    private final int header;

    public SdmaWrite(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opWrite, pkt.subopWriteLinear);
    }

    public static final int ADDR_LO = 1;
    public static final int ADDR_HI = ADDR_LO + 1;
    public static final int COUNT = ADDR_HI + 1;
    public static final int DATA = COUNT + 1;
    public static final int DWORDS = DATA + 1;

    public SdmaWrite dword(long dstAddress, int value) {
        return store(header, lo(dstAddress), hi(dstAddress), pkt.writeCount.encode(0), value);
    }
}
