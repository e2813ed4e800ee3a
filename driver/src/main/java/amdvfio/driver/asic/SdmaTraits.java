package amdvfio.driver.asic;

/**
 * What differs between SDMA versions as numbers, in the spirit of amdgpu's
 * {@code sdma_v*_ring_funcs} / {@code *_buffer_funcs} tables.
 *
 * @param blockName     amdgpu's block name, used in logs ("sdma_v5_0")
 * @param alignDwords   ring fetch alignment: {@code align_mask + 1} (256 on 4.0 after upstream
 *                      "drm/amdgpu/sdma4: set align mask to 255", 16 on 5.x/6.0)
 * @param fenceHeader   FENCE dword 0 (v4 bare 0x5; v5/v6 MTYPE UC: 0x00030005)
 * @param copyMaxBytes  bytes per COPY_LINEAR packet: the conservative values of spec §2.2
 *                      (Mesa: 0x3fff00 before 5.2, 0x3fffff00 from 5.2)
 * @param fillMaxBytes  bytes per CONSTANT_FILL packet (Mesa: count field width, dword-aligned)
 * @param trapClientIds IH client id of the TRAP per instance ({@code soc15_ih_clientid.h})
 * @param trapSourceId  IH source id of the TRAP (224 on 4.x/5.x, 49 on GFX 11)
 * @param trapInstanceInRingId true on 6.0: the instance is {@code ring_id[7:4]} and every
 *                      instance shares one client id
 * @param instances     SDMA engines brought up
 */
public record SdmaTraits(String blockName, SdmaGeneration generation, int alignDwords, int fenceHeader,
                         long copyMaxBytes, long fillMaxBytes, int[] trapClientIds, int trapSourceId,
                         boolean trapInstanceInRingId, int instances) {

    public SdmaTraits {
        if (Integer.bitCount(alignDwords) != 1 || instances < 1 || instances > 4) {
            throw new IllegalArgumentException("bad SDMA traits for " + blockName + ": align " + alignDwords
                    + ", instances " + instances);
        }
        trapClientIds = trapClientIds.clone();
    }

    /**
     * These traits with the COPY and FILL per-packet maxima lowered to {@code limit} bytes (when
     * smaller): a driver option for tests and for callers that want shorter packets.
     */
    public SdmaTraits withPacketLimit(long limit) {
        if (limit <= 0) {
            return this;
        }
        return new SdmaTraits(blockName, generation, alignDwords, fenceHeader, Math.min(copyMaxBytes, limit),
                Math.min(fillMaxBytes, limit), trapClientIds, trapSourceId, trapInstanceInRingId, instances);
    }

    /** The SDMA instance a TRAP interrupt came from, or -1 when it is not an SDMA trap of ours. */
    public int trapInstance(int clientId, int sourceId, int ringId) {
        if (sourceId != trapSourceId) {
            return -1;
        }
        if (trapInstanceInRingId) {
            int inst = (ringId >> 4) & 0xF;
            return clientId == trapClientIds[0] && inst < instances ? inst : -1;
        }
        for (int i = 0; i < instances; i++) {
            if (trapClientIds[i] == clientId) {
                return i;
            }
        }
        return -1;
    }
}
