package amdvfio.driver.bo;

/** Where a buffer object lives. */
public enum Domain {
    /** Device memory: allocated from VRAM, CPU-visible through BAR0. */
    VRAM,
    /** Host memory (a memfd), DMA-mapped and entered in the GART; exportable as a descriptor. */
    GTT
}
