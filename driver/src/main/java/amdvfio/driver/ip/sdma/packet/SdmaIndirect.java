package amdvfio.driver.ip.sdma.packet;

import amdvfio.amdgpu.SdmaPackets;

/**
 * INDIRECT_BUFFER, 6 dwords: runs {@code ib_size} dwords at a 32-byte-aligned address. Placed so
 * that it ends on an 8-dword boundary ({@code sdma_v*_ring_emit_ib}: {@code (2 - wptr) & 7} NOPs first).
 *
 * <pre>
 *  dw0  op=4 | [19:16] vmid
 *  dw1  ib_base[31:0] (32-byte aligned)   dw2  ib_base[63:32]
 *  dw3  [19:0] ib_size (dwords, not minus one)
 *  dw4  csa_addr[31:0]   dw5  csa_addr[63:32]   (0: no preemption save area)
 * </pre>
 */
public final class SdmaIndirect extends PacketFlyweight<SdmaIndirect> {

    private final int header;

    public SdmaIndirect(SdmaPackets pkt) {
        super(pkt);
        header = header(pkt.opIndirect, 0);
    }

    public static final int BASE_LO = 1;
    public static final int BASE_HI = BASE_LO + 1;
    public static final int SIZE = BASE_HI + 1;
    public static final int CSA_LO = SIZE + 1;
    public static final int CSA_HI = CSA_LO + 1;
    public static final int DWORDS = CSA_HI + 1;
    /** ib_base is 32-byte aligned (sdma_v*_ring_emit_ib: "base must be 32 byte aligned"). */
    public static final int IB_BASE_ALIGN = 32;

    public SdmaIndirect ib(int vmid, long base, int sizeDw) {
        return store(pkt.indirectVmid.set(header, vmid), lo(base) & ~(IB_BASE_ALIGN - 1), hi(base),
                pkt.indirectIbSize.encode(sizeDw), 0, 0);
    }
}
