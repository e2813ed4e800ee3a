package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * CONSTANT_FILL, 5 dwords, in amdgpu's form ({@code sdma_v*_emit_fill_buffer}): fillsize 0,
 * count = bytes − 1. The sources disagree on what fillsize 0 does with a pattern that is not one
 * byte repeated (spec §2.2, open point 3), so the driver only ever fills with a repeated byte,
 * which every reading turns into the same bytes.
 *
 * <pre>
 *  dw0  op=11 | [17:16] sw | [31:30] fillsize
 *  dw1  dst_addr[31:0]   dw2  dst_addr[63:32]
 *  dw3  src_data (pattern)
 *  dw4  count = bytes - 1
 * </pre>
 */
public final class SdmaConstFill extends PacketFlyweight<SdmaConstFill> {

    private final int header;

    public SdmaConstFill(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opConstFill, 0);
    }

    public static final int DST_LO = 1;
    public static final int DST_HI = DST_LO + 1;
    public static final int DATA = DST_HI + 1;
    public static final int COUNT = DATA + 1;
    public static final int DWORDS = COUNT + 1;

    /** @throws IllegalArgumentException when {@code bytes − 1} does not fit the count field (the caller splits) */
    public SdmaConstFill fill(long dst, byte value, long bytes) {
        if (!pkt.fillCount.fits(bytes - 1)) {
            throw new IllegalArgumentException(String.format("CONSTANT_FILL of 0x%x bytes: count wider than %d bits (%s)",
                    bytes, pkt.fillCount.width(), pkt));
        }
        return store(header, lo(dst), hi(dst), (value & 0xFF) * 0x01010101, pkt.fillCount.encode((int) (bytes - 1)));
    }
}
