package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.gc_10_1_0_h;
import amdvfio.bindings.amdgpu.gc_10_3_0_h;
import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import amdvfio.bindings.amdgpu.ih_ids_h;
import amdvfio.bindings.amdgpu.sdma_4_0_h;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that differs between the SDMA versions amdvfio drives, as data, in the manner of
 * amdgpu's {@code sdma_v*_ring_funcs} and {@code *_buffer_funcs} tables: the register set of
 * every instance the version's header has, the packet header, the IH ids of the trap, and the
 * few numbers that come from amdgpu's {@code sdma_v*.c} rather than a header (marked so).
 * Chosen by IP version with {@link #of}, as {@code amdgpu_discovery_set_sdma_ip_blocks} does.
 */
public enum SdmaIp {
    /** sdma_v4_0.c, {@code sdma0/1_4_0} headers; each instance is its own IP (SDMA0/SDMA1 bases). */
    V4_0("sdma_v4_0", sdmaRegs(HeaderFacts.of(sdma_4_0_h.class), "GFX", true), SdmaPackets.V4_0,
            // "drm/amdgpu/sdma4: set align mask to 255" (sdma_v4_0_ring_funcs .align_mask = 0xff)
            256,
            // Mesa sid.h SDMA_V2_0_COPY_MAX_BYTES: the "undocumented HW limitation" below 5.2 (< the 22-bit field)
            0x3fff00L,
            new int[] {ih_ids_h.SOC15_IH_CLIENTID_SDMA0(), ih_ids_h.SOC15_IH_CLIENTID_SDMA1()},
            ih_ids_h.SDMA0_4_0__SRCID__SDMA_TRAP(), ih_ids_h.SDMA0_4_0__SRCID__SDMA_PAGE_FAULT(), false, false),
    /** sdma_v5_0.c: queue registers inside GC ({@code gc_10_1_0}). */
    V5_0("sdma_v5_0", sdmaRegs(HeaderFacts.of(gc_10_1_0_h.class), "GFX", false), SdmaPackets.V5,
            16, 0x3fff00L,
            new int[] {ih_ids_h.SOC15_IH_CLIENTID_SDMA0(), ih_ids_h.SOC15_IH_CLIENTID_SDMA1()},
            ih_ids_h.SDMA0_5_0__SRCID__SDMA_TRAP(), ih_ids_h.SDMA0_5_0__SRCID__SDMA_PAGE_FAULT(), false, true),
    /**
     * sdma_v5_2.c: four instances inside GC ({@code gc_10_3_0}), SDMA2/3 in segment 2. The copy
     * count is the navi10 header's 22 bits, so a copy is at most 0x400000 bytes: amdgpu's
     * {@code sdma_v5_2_buffer_funcs.copy_max_bytes}. Client ids per {@code sdma_v5_2_seq_to_irq_id}.
     */
    V5_2("sdma_v5_2", sdmaRegs(HeaderFacts.of(gc_10_3_0_h.class), "GFX", false), SdmaPackets.V5,
            16, -1,
            new int[] {ih_ids_h.SOC15_IH_CLIENTID_SDMA0(), ih_ids_h.SOC15_IH_CLIENTID_SDMA1(), ih_ids_h.SOC15_IH_CLIENTID_SDMA2(),
                    ih_ids_h.SOC15_IH_CLIENTID_SDMA3_Sienna_Cichlid()},
            ih_ids_h.SDMA0_5_0__SRCID__SDMA_TRAP(), ih_ids_h.SDMA0_5_0__SRCID__SDMA_PAGE_FAULT(), false, true),
    /**
     * sdma_v6_0.c ({@code gc_11_0_0}, queue "QUEUE0"): every instance traps through the GFX client
     * with the instance in ring_id[7:4] ({@code sdma_v6_0_process_trap_irq}). COPY count is 30 bits;
     * Mesa's SDMA_V5_2_COPY_MAX_BYTES 0x3fffff00 fits it.
     */
    V6_0("sdma_v6_0", sdmaRegs(HeaderFacts.of(gc_11_0_0_h.class), "QUEUE0", false), SdmaPackets.V6_0,
            16, 0x3fffff00L,
            new int[] {ih_ids_h.SOC21_IH_CLIENTID_GFX()},
            ih_ids_h.GFX_11_0_0__SRCID__SDMA_TRAP(), ih_ids_h.GFX_11_0_0__SRCID__SDMA_PAGE_FAULT(), true, true);

    /** FENCE header MTYPE of v5/v6 fences: 3, "Ucached(UC)" ({@code sdma_v5_0_ring_emit_fence}). */
    private static final int FENCE_MTYPE_UC = 3;
    /** amdgpu's fill_max_bytes for every version ({@code sdma_v*_buffer_funcs}). */
    private static final long AMDGPU_FILL_MAX_BYTES = 0x400000L;

    private final String blockName;
    private final List<SdmaRegs> regs;
    private final SdmaPackets packets;
    private final int alignDwords;
    private final long copyMaxBytes;
    private final long fillMaxBytes;
    private final int[] trapClientIds;
    private final int trapSrcId;
    private final int pageFaultSrcId;
    private final boolean instanceInRingId;
    private final boolean pollAddressBeforeDoorbell;

    SdmaIp(String blockName, List<SdmaRegs> regs, SdmaPackets packets, int alignDwords, long copyMaxBytes,
           int[] trapClientIds, int trapSrcId, int pageFaultSrcId, boolean instanceInRingId,
           boolean pollAddressBeforeDoorbell) {
        this.blockName = blockName;
        this.regs = regs;
        this.packets = packets;
        this.alignDwords = alignDwords;
        long copyField = packets.copyCount.max() + 1;
        long fillField = packets.fillCount.max() + 1;
        this.copyMaxBytes = copyMaxBytes < 0 ? copyField : copyMaxBytes;
        // the larger fields of 6.0 are used up to Mesa's maximum; 22-bit fields cap at amdgpu's 0x400000
        this.fillMaxBytes = fillField > AMDGPU_FILL_MAX_BYTES ? this.copyMaxBytes : Math.min(fillField, AMDGPU_FILL_MAX_BYTES);
        this.trapClientIds = trapClientIds;
        this.trapSrcId = trapSrcId;
        this.pageFaultSrcId = pageFaultSrcId;
        this.instanceInRingId = instanceInRingId;
        this.pollAddressBeforeDoorbell = pollAddressBeforeDoorbell;
        if (this.copyMaxBytes > copyField || this.fillMaxBytes > fillField) {
            throw new IllegalStateException(blockName + ": per-packet maxima exceed the count fields of " + packets);
        }
    }

    /** amdgpu's choice of SDMA driver by IP version (spec §1.1). */
    public static SdmaIp of(int major, int minor) {
        return switch (major) {
            case 4 -> V4_0;
            case 5 -> minor >= 2 ? V5_2 : V5_0;
            case 6 -> V6_0;
            default -> throw new IllegalArgumentException("SDMA " + major + "." + minor + " is not supported (4.0, 5.0, 5.2, 6.0 are)");
        };
    }

    /** amdgpu's block name ("sdma_v5_2"), for logs. */
    public String blockName() {
        return blockName;
    }

    /** The registers of {@code instance}, from its own header names. */
    public SdmaRegs regs(int instance) {
        if (instance < 0 || instance >= regs.size()) {
            throw new IllegalArgumentException(blockName + " has no SDMA instance " + instance + " (" + regs.size() + " in its header)");
        }
        return regs.get(instance);
    }

    /** Instances the version's header defines. */
    public int maxInstances() {
        return regs.size();
    }

    public SdmaPackets packets() {
        return packets;
    }

    /** Ring fetch alignment of wptr updates in dwords ({@code align_mask + 1}; sdma_v*.c). */
    public int alignDwords() {
        return alignDwords;
    }

    /** Bytes per COPY_LINEAR packet: within the count field, and Mesa's HW limit before 5.2. */
    public long copyMaxBytes() {
        return copyMaxBytes;
    }

    /** Bytes per CONSTANT_FILL packet: within the count field (22 bits on 4.0 and 5.x). */
    public long fillMaxBytes() {
        return fillMaxBytes;
    }

    /** FENCE dword 0: bare on 4.0; MTYPE UC on 5.x/6.0. */
    public int fenceHeader() {
        int h = packets.header(packets.opFence, 0);
        return packets.fenceMtype == null ? h : packets.fenceMtype.set(h, FENCE_MTYPE_UC);
    }

    /** IV client id of a TRAP from {@code instance}. */
    public int trapClientId(int instance) {
        return trapClientIds[instanceInRingId ? 0 : instance];
    }

    /** The distinct trap client ids of the first {@code instances} engines. */
    public int[] trapClientIds(int instances) {
        return instanceInRingId ? new int[] {trapClientIds[0]} : java.util.Arrays.copyOf(trapClientIds, instances);
    }

    public int trapSrcId() {
        return trapSrcId;
    }

    public int pageFaultSrcId() {
        return pageFaultSrcId;
    }

    /** 6.0: ring_id[7:4] carries the instance, [3:0] the queue; else ring_id is the queue. */
    public boolean instanceInRingId() {
        return instanceInRingId;
    }

    /**
     * Where amdgpu's resume writes the wptr poll address: before the doorbell on 5.x/6.0, after it
     * (with F32 polling off) on 4.0 ({@code sdma_v4_0_gfx_resume} vs {@code sdma_v5_0_gfx_resume}).
     */
    public boolean pollAddressBeforeDoorbell() {
        return pollAddressBeforeDoorbell;
    }

    /** The IV ring_id of a TRAP from queue 0 of {@code instance}. */
    public int trapRingId(int instance) {
        return instanceInRingId ? instance << 4 : 0;
    }

    /** The SDMA instance an IV came from, or −1 if it is not a trap of one of {@code instances} engines. */
    public int trapInstance(int clientId, int srcId, int ringId, int instances) {
        if (srcId != trapSrcId) {
            return -1;
        }
        if (instanceInRingId) {
            int inst = ringId >>> 4;
            return clientId == trapClientIds[0] && inst < instances ? inst : -1;
        }
        for (int i = 0; i < instances && i < trapClientIds.length; i++) {
            if (trapClientIds[i] == clientId) {
                return i;
            }
        }
        return -1;
    }

    private static List<SdmaRegs> sdmaRegs(HeaderFacts h, String queue, boolean ownIp) {
        List<SdmaRegs> out = new ArrayList<>();
        for (int i = 0; h.has("SDMA" + i + "_CNTL"); i++) {
            out.add(new SdmaRegs(h, i, queue, ownIp ? HwIp.sdma(i) : HwIp.GC));
        }
        return List.copyOf(out);
    }
}
