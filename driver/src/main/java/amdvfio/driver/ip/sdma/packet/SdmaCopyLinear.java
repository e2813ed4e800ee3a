package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * COPY_LINEAR, 7 dwords. {@code count} is bytes − 1: 22 bits on 4.0/5.x, 30 bits on 6.0; the
 * caller splits at the profile's conservative per-packet maximum.
 *
 * <pre>
 *  dw0  op=1, sub_op=0 (LINEAR)
 *  dw1  count = bytes - 1
 *  dw2  [17:16] dst_sw | [25:24] src_sw   (0: no swap)
 *  dw3  src_addr[31:0]     dw4  src_addr[63:32]
 *  dw5  dst_addr[31:0]     dw6  dst_addr[63:32]
 * </pre>
 */
public final class SdmaCopyLinear extends PacketFlyweight<SdmaCopyLinear> {

    private final int header;

    public SdmaCopyLinear(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opCopy, pkt.subopCopyLinear);
    }

    public static final int COUNT = 1;
    public static final int PARAMETER = COUNT + 1;
    public static final int SRC_LO = PARAMETER + 1;
    public static final int SRC_HI = SRC_LO + 1;
    public static final int DST_LO = SRC_HI + 1;
    public static final int DST_HI = DST_LO + 1;
    public static final int DWORDS = DST_HI + 1;

    /** @throws IllegalArgumentException when {@code bytes − 1} does not fit the count field (the caller splits) */
    public SdmaCopyLinear copy(long src, long dst, long bytes) {
        if (!pkt.copyCount.fits(bytes - 1)) {
            throw new IllegalArgumentException(String.format("COPY_LINEAR of 0x%x bytes: count wider than %d bits (%s)",
                    bytes, pkt.copyCount.width(), pkt));
        }
        return store(header, pkt.copyCount.encode((int) (bytes - 1)), 0, lo(src), hi(src), lo(dst), hi(dst));
    }
}
