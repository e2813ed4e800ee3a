package amdvfio.sim.regs;

/**
 * The VMID-0 context registers of the hub SDMA translates through, and the frame-buffer location
 * registers the VBIOS programs. Offsets per hub generation; see {@code sim/MODEL.md} for the
 * source of each number.
 *
 * @param name              e.g. "MMHUB 1.0"
 * @param context0Cntl      VM_CONTEXT0_CNTL (ENABLE_CONTEXT [0], PAGE_TABLE_DEPTH [2:1])
 * @param ptBaseLo          VM_CONTEXT0_PAGE_TABLE_BASE_ADDR_LO32 (HI32 follows)
 * @param ptStartLo         VM_CONTEXT0_PAGE_TABLE_START_ADDR_LO32 (HI32 follows)
 * @param ptEndLo           VM_CONTEXT0_PAGE_TABLE_END_ADDR_LO32 (HI32 follows)
 * @param fbLocationBase    MC_VM_FB_LOCATION_BASE (TOP follows), read-only in the model
 * @param fbOffset          MC_VM_FB_OFFSET, read-only 0 (dGPU)
 */
public record GmcRegs(String name, int context0Cntl, int ptBaseLo, int ptStartLo, int ptEndLo,
                      int fbLocationBase, int fbOffset) {

    /**
     * Vega10 MMHUB 1.0 ({@code mmhub/mmhub_1_0_offset.h}; VM_CONTEXT0 offsets as quoted by a
     * third-party MMHUB probe, FB_LOCATION_BASE 0x82c confirmed by gem5 amdgpu_vm.hh
     * {@code VEGA10_FB_LOCATION_BASE 0x6a0b0} = 4 × (0x1A000 + 0x82c)); MC_VM_FB_OFFSET 0x82b is
     * not confirmed and is not modelled.
     */
    public static final GmcRegs MMHUB_1_0 = new GmcRegs("MMHUB 1.0", 0x06c0, 0x072b, 0x074b, 0x076b, 0x082c, -1);

    /** Navi10 GFXHUB in GC 10.1, read from {@code gc/gc_10_1_0_offset.h} (gc_gcvml2vcdec, gc_gcvmsharedpfdec/vcdec). */
    public static final GmcRegs GCVM_10_1 = new GmcRegs("GFXHUB 2.0 (GC 10.1)", 0x1620, 0x168b, 0x16ab, 0x16cb, 0x1720, 0x170b);

    /**
     * Navi21 GFXHUB in GC 10.3: CONTEXT0_CNTL 0x15fc read from {@code gc/gc_10_3_0_offset.h}; the
     * others derived with GC 10.1's block layout (BASE = CNTL+0x6b, START = +0x8b, END = +0xab,
     * FB_LOCATION_BASE = +0x100); FB_LOCATION_BASE 0x16fc matches a third-party Van Gogh (GC 10.3.1)
     * table. Derived, not read: see MODEL.md.
     */
    public static final GmcRegs GCVM_10_3 = new GmcRegs("GFXHUB 2.1 (GC 10.3)", 0x15fc, 0x1667, 0x1687, 0x16a7, 0x16fc, -1);

    /**
     * Navi31 GFXHUB in GC 11.0: CNTL 0x1688, BASE 0x16f3, START 0x1713, END 0x1733 from a third-party
     * GC 11 register list (agrees with an absolute 0x28e8 = 0x1260 + 0x1688); FB_LOCATION_BASE
     * derived as CNTL + 0x100 (unverified).
     */
    public static final GmcRegs GCVM_11_0 = new GmcRegs("GFXHUB 3.0 (GC 11.0)", 0x1688, 0x16f3, 0x1713, 0x1733, 0x1788, -1);

    public static final Field ENABLE_CONTEXT = Field.bit("ENABLE_CONTEXT", 0);
    public static final Field PAGE_TABLE_DEPTH = new Field("PAGE_TABLE_DEPTH", 1, 2);
}
