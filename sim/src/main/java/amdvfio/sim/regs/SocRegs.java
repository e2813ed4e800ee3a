package amdvfio.sim.regs;

/**
 * Registers at fixed absolute dword indexes that amdgpu hard-codes before it knows any IP base
 * ({@code amdgpu_discovery.c}; tinygrad {@code amdev.py::_read_vram}).
 */
public final class SocRegs {

    private SocRegs() {
    }

    /** mmMM_INDEX: [30:0] address, [31] MM_APER (1 = frame buffer, 0 = register space). */
    public static final int MM_INDEX = 0x0;
    public static final int MM_DATA = 0x1;
    /** mmMM_INDEX_HI: address bits [63:31]. */
    public static final int MM_INDEX_HI = 0x6;
    /** mmRCC_CONFIG_MEMSIZE (byte 0x378C): VRAM size in MiB. */
    public static final int RCC_CONFIG_MEMSIZE = 0xDE3;
    /** mmMP0_SMN_C2PMSG_33 (MP0 base 0x16000 + 0x61): bit 31 = IFWI init complete. */
    public static final int MP0_C2PMSG_33 = 0x16061;
}
