package amdvfio.driver.ip.psp;

import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.vfio.Mmio;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The PSP's buffers in VRAM (amdgpu_psp.c psp_sw_init / psp_hw_start, spec §2.4): the 1 MiB
 * firmware buffer (1 MiB aligned, since the bootloader takes its address {@code >> 20}), the
 * 4 KiB KM ring, command and fence buffers, and the TMR once LOAD_TOC has sized it. TG puts them
 * all in VRAM too; amdgpu keeps the firmware buffer in GTT. Addresses the PSP sees are MC
 * addresses of VRAM ({@code fb_base + offset}).
 */
final class PspMemory {

    static final long PSP_1_MEG = amdvfio.bindings.amdgpu.amdgpu_psp_h.PSP_1_MEG();
    static final long CMD_BYTES = amdvfio.bindings.amdgpu.amdgpu_psp_h.PSP_CMD_BUFFER_SIZE();
    static final long FENCE_BYTES = amdvfio.bindings.amdgpu.amdgpu_psp_h.PSP_FENCE_BUFFER_SIZE();
    static final long TMR_ALIGNMENT = amdvfio.bindings.amdgpu.amdgpu_psp_h.PSP_TMR_ALIGNMENT();
    /** amdgpu's KM ring: 4 KiB, 64 frames, with wptr wrap (psp_ring_init; TG's 64 KiB without wrap, conflict C5). */
    static final long RING_BYTES = 0x1000;

    private final GmcBlock gmc;
    private final Mmio vram;
    final long fwBuf;
    final long ring;
    final long cmd;
    final long fence;
    long tmr = -1;

    PspMemory(GmcBlock gmc, Mmio vram) {
        this.gmc = gmc;
        this.vram = vram;
        this.fwBuf = gmc.vramAllocator().allocate(PSP_1_MEG, PSP_1_MEG);
        this.ring = gmc.vramAllocator().allocate(RING_BYTES, 0x1000);
        this.cmd = gmc.vramAllocator().allocate(CMD_BYTES, 0x1000);
        this.fence = gmc.vramAllocator().allocate(FENCE_BYTES, 0x1000);
    }

    long mc(long vramOffset) {
        return gmc.vramGpuAddress(vramOffset);
    }

    /** The TMR, 1 MiB aligned ("HW engineers prefer naturally aligned", psp_tmr_init). */
    void allocateTmr(long bytes) {
        tmr = gmc.vramAllocator().allocate(bytes, Math.max(TMR_ALIGNMENT, Long.highestOneBit(bytes)));
    }

    /** Copies {@code src} to VRAM at {@code offset}, zero-padding the last 8 bytes. */
    void put(long offset, MemorySegment src) {
        long n = src.byteSize();
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            vram.write64(offset + i, src.get(ValueLayout.JAVA_LONG_UNALIGNED, i));
        }
        if (i < n) {
            long tail = 0;
            for (long b = 0; i + b < n; b++) {
                tail |= (src.get(ValueLayout.JAVA_BYTE, i + b) & 0xFFL) << (8 * b);
            }
            vram.write64(offset + i, tail);
        }
    }

    void zero(long offset, long bytes) {
        for (long i = 0; i < bytes; i += 8) {
            vram.write64(offset + i, 0);
        }
    }

    int read32(long offset) {
        return vram.read32(offset);
    }

    void free() {
        for (long off : new long[] {fwBuf, ring, cmd, fence, tmr}) {
            if (off >= 0) {
                gmc.vramAllocator().free(off);
            }
        }
        tmr = -1;
    }
}
