package amdvfio.driver.ip.gmc;

import amdvfio.amdgpu.Pte;
import amdvfio.driver.bo.RangeAllocator;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.Mmio;

/**
 * The VMID-0 GART: a flat (depth 0) table of 64-bit PTEs in VRAM, one per 4 KiB page of the
 * aperture {@code [start, start + size)}, each pointing at a DMA (IOVA) page of host memory.
 * Each GTT page gets what amdgpu gives it ({@link Pte#system}: SYSTEM | SNOOPED | R | W | VALID,
 * gmc_v9_0 get_vm_pte); the bits are {@link Pte}'s, shared with the simulator.
 *
 * <p>Threading: binding and unbinding are synchronized per GART; the hardware reads the table
 * only for addresses that were bound before the job that uses them was committed.
 */
public final class Gart {

    public static final long PAGE = 4096;

    private final Mmio vram;
    private final long tableVramOffset;
    private final RangeAllocator aperture;
    private final Runnable invalidateTlb;

    /**
     * @param vram            BAR0, through which the table is written
     * @param tableVramOffset byte offset of the table in VRAM (and BAR0)
     * @param start           GPU address of the aperture
     * @param size            aperture size in bytes (the table holds size / 4096 PTEs)
     * @param invalidateTlb   run after every table update: the hubs cache translations until
     *                        invalidated ({@code amdgpu_gart_bind} → {@code amdgpu_gart_invalidate_tlb})
     */
    public Gart(Mmio vram, long tableVramOffset, long start, long size, Runnable invalidateTlb) {
        this.vram = vram;
        this.invalidateTlb = invalidateTlb;
        this.tableVramOffset = tableVramOffset;
        this.aperture = new RangeAllocator("GART", start, size, PAGE);
    }

    /** Table size in bytes for an aperture of {@code size} bytes. */
    public static long tableBytes(long size) {
        return size / PAGE * 8;
    }

    /** Maps {@code dma} into the aperture; returns its GPU address. */
    public synchronized long bind(DmaMapping dma) {
        long gpu = aperture.allocate(dma.size(), PAGE);
        long pages = dma.size() / PAGE;
        for (long p = 0; p < pages; p++) {
            writePte(gpu + p * PAGE, Pte.system(dma.iova() + p * PAGE));
        }
        invalidateTlb.run();
        return gpu;
    }

    /** Clears the PTEs of a range returned by {@link #bind} and frees it. */
    public synchronized void unbind(long gpu, long size) {
        for (long p = 0; p < size / PAGE; p++) {
            writePte(gpu + p * PAGE, 0);
        }
        invalidateTlb.run();
        aperture.free(gpu);
    }

    public long start() {
        return aperture.base();
    }

    public long end() {
        return aperture.base() + aperture.size() - 1;
    }

    public long tableVramOffset() {
        return tableVramOffset;
    }

    /** Free aperture bytes (tests check that closing returns everything). */
    public long freeBytes() {
        return aperture.freeBytes();
    }

    private void writePte(long gpu, long pte) {
        long index = (gpu - aperture.base()) / PAGE;
        vram.write64(tableVramOffset + index * 8, pte);
    }
}
