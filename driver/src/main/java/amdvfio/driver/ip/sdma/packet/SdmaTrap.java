package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * TRAP, 2 dwords: raises an IH entry (client SDMAn / src 224, or GFX / 49 on GFX 11) whose
 * src_data[0] is {@code int_context}.
 *
 * <pre>
 *  dw0  op=6
 *  dw1  [27:0] int_context
 * </pre>
 */
public final class SdmaTrap extends PacketFlyweight<SdmaTrap> {

    private final int header;

    public SdmaTrap(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opTrap, 0);
    }

    public static final int INT_CONTEXT = 1;
    public static final int DWORDS = INT_CONTEXT + 1;

    public SdmaTrap trap(int intContext) {
        return store(header, pkt.trapIntContext.encode(intContext));
    }
}
