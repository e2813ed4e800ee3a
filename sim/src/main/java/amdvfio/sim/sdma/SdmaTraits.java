package amdvfio.sim.sdma;

/**
 * Everything that differs between SDMA versions, as data (the model's {@code amdgpu_ring_funcs}).
 *
 * @param version             the IP version
 * @param alignDwords         ring fetch alignment of wptr updates: 256 on 4.0 ("sdma4: set align mask
 *                            to 255"), 16 on 5.x/6.0 ({@code .align_mask = 0xf}) — spec §2.3
 * @param copyCountBits       width of COPY_LINEAR dw1 count: 22 (4.0/5.x headers), 30 (6.0)
 * @param copyMaxBytes        strict per-packet maximum: 0x3fff00 on 4.0/5.0 (Mesa SDMA_V2_0_COPY_MAX_BYTES,
 *                            "undocumented HW limitation"), 0x3fffff00 on 5.2/6.0 (Mesa
 *                            SDMA_V5_2_COPY_MAX_BYTES). The conservative reading of spec §2.2/§8.2.
 * @param fillCountBits       CONST_FILL dw4 count width: 22 (4.0/5.x), 30 (6.0)
 * @param fillMaxBytes        strict maximum: the count mask with the low 2 bits clear (Mesa
 *                            {@code BITFIELD64_MASK(22 or 30) & ~3})
 * @param dummyTrapOpcode     16 on 4.0, 32 on 5.x/6.0 (spec §2.1)
 * @param hasGcrReq           GCR_REQ (op 17) exists on 5.x/6.0
 * @param f32CntlInHyp        F32_CNTL is HYP register 0x589a (segment 1) on 6.0
 * @param hasWptrPollCntl     RB_WPTR_POLL_CNTL exists (4.0/5.x); on 6.0 F32 polling is RB_CNTL[11]
 * @param trapSrcId           IV src_id of a TRAP: 224 (4.x/5.x), 49 (GC 11) — spec §4.4
 * @param pageFaultSrcId      IV src_id of an SDMA page fault: 221 (4.x/5.x), 60 (GC 11)
 * @param ringIdHasInstance   6.0: ring_id[7:4] = instance, [3:0] = queue; else ring_id = queue
 */
public record SdmaTraits(SdmaVersion version, int alignDwords, int copyCountBits, long copyMaxBytes,
                         int fillCountBits, long fillMaxBytes, int dummyTrapOpcode, boolean hasGcrReq,
                         boolean f32CntlInHyp, boolean hasWptrPollCntl, int trapSrcId, int pageFaultSrcId,
                         boolean ringIdHasInstance) {

    public static final SdmaTraits V4_0 = new SdmaTraits(SdmaVersion.V4_0, 256, 22, 0x3fff00L, 22, 0x3ffffcL,
            16, false, false, true, 224, 221, false);
    public static final SdmaTraits V5_0 = new SdmaTraits(SdmaVersion.V5_0, 16, 22, 0x3fff00L, 22, 0x3ffffcL,
            32, true, false, true, 224, 221, false);
    public static final SdmaTraits V5_2 = new SdmaTraits(SdmaVersion.V5_2, 16, 22, 0x3fffff00L, 22, 0x3ffffcL,
            32, true, false, true, 224, 221, false);
    public static final SdmaTraits V6_0 = new SdmaTraits(SdmaVersion.V6_0, 16, 30, 0x3fffff00L, 30, 0x3ffffffcL,
            32, true, true, false, 49, 60, true);

    /**
     * 5.2's COPY count field is 22 bits in the kernel's navi10 header but Mesa copies up to
     * 0x3fffff00 bytes with it (spec §8.2): the model decodes 30 bits on 5.2 so a ~1 GiB copy is
     * representable, and strict mode still caps it at {@link #copyMaxBytes}.
     */
    public int copyCountDecodeBits() {
        return version == SdmaVersion.V5_2 ? 30 : copyCountBits;
    }
}
