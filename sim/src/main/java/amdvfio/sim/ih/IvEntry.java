package amdvfio.sim.ih;

import amdvfio.amdgpu.IvLayout;
/**
 * One interrupt vector (IV) ring entry, 8 dwords = 32 bytes (amdgpu_ih.c
 * {@code amdgpu_ih_decode_iv_helper}; amdkfd/soc15_int.h; gem5 {@code AMDGPUInterruptCookie}):
 *
 * <pre>
 * dw0  [7:0] client_id  [15:8] src_id  [23:16] ring_id  [27:24] vmid  [30:28] 0  [31] vmid_src
 * dw1  timestamp[31:0]
 * dw2  [15:0] timestamp[47:32]  [30:16] 0  [31] timestamp_src
 * dw3  [15:0] pasid  [23:16] node_id  [30:24] 0  [31] pasid_src
 * dw4..dw7  src_data[0..3]
 * </pre>
 */
public record IvEntry(int clientId, int srcId, int ringId, int vmid, boolean vmidSrc, long timestamp,
                      boolean timestampSrc, int pasid, int nodeId, boolean pasidSrc, int[] srcData) {

    public static final int DWORDS = IvLayout.DWORDS;
    public static final int BYTES = 32;

    public IvEntry {
        if (srcData.length != 4) {
            throw new IllegalArgumentException("src_data has 4 dwords, not " + srcData.length);
        }
        srcData = srcData.clone();
    }

    /** An IV with vmid/pasid 0 and the given src_data[0..3]. */
    public static IvEntry of(int clientId, int srcId, int ringId, long timestamp, int... srcData) {
        int[] d = new int[4];
        System.arraycopy(srcData, 0, d, 0, Math.min(4, srcData.length));
        return new IvEntry(clientId, srcId, ringId, 0, false, timestamp, false, 0, 0, false, d);
    }

    @Override
    public int[] srcData() {
        return srcData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IvEntry e && clientId == e.clientId && srcId == e.srcId && ringId == e.ringId
                && vmid == e.vmid && vmidSrc == e.vmidSrc && timestamp == e.timestamp && timestampSrc == e.timestampSrc
                && pasid == e.pasid && nodeId == e.nodeId && pasidSrc == e.pasidSrc
                && java.util.Arrays.equals(srcData, e.srcData);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(clientId, srcId, ringId, timestamp, java.util.Arrays.hashCode(srcData));
    }

    public int[] encode() {
        int[] dw = new int[DWORDS];
        dw[0] = IvLayout.CLIENT_ID.encode(clientId) | IvLayout.SOURCE_ID.encode(srcId) | IvLayout.RING_ID.encode(ringId)
                | IvLayout.VMID.encode(vmid) | IvLayout.SOURCE_BIT.encode(vmidSrc ? 1 : 0);
        dw[1] = (int) timestamp;
        dw[2] = IvLayout.TIMESTAMP_HI.encode((int) (timestamp >>> 32)) | IvLayout.SOURCE_BIT.encode(timestampSrc ? 1 : 0);
        dw[3] = IvLayout.PASID.encode(pasid) | IvLayout.NODE_ID.encode(nodeId) | IvLayout.SOURCE_BIT.encode(pasidSrc ? 1 : 0);
        System.arraycopy(srcData, 0, dw, 4, 4);
        return dw;
    }

    public static IvEntry decode(int[] dw) {
        long ts = Integer.toUnsignedLong(dw[1]) | (long) IvLayout.TIMESTAMP_HI.get(dw[2]) << 32;
        return new IvEntry(IvLayout.CLIENT_ID.get(dw[0]), IvLayout.SOURCE_ID.get(dw[0]), IvLayout.RING_ID.get(dw[0]),
                IvLayout.VMID.get(dw[0]), IvLayout.SOURCE_BIT.isSet(dw[0]), ts, IvLayout.SOURCE_BIT.isSet(dw[2]),
                IvLayout.PASID.get(dw[3]), IvLayout.NODE_ID.get(dw[3]), IvLayout.SOURCE_BIT.isSet(dw[3]),
                new int[] {dw[4], dw[5], dw[6], dw[7]});
    }
}
