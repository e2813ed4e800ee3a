package amdvfio.amdgpu;

/**
 * The three IH drivers amdgpu picks by OSSSYS version ({@code amdgpu_discovery_set_ih_ip_blocks}),
 * as data: the register set, and the two numbers their {@code *_ih.c} files use for the ring's
 * address space (RB_CNTL.MC_SPACE: 4 for a GPU MC address; 1, or 2 on {@code ih_v6_0}, for a bus
 * address) and whether the ring is bus-addressed. Vega10 gives the IH a bus (DMA) address; Navi
 * an MC address: "use gpu virtual address for ih ring until ih_chicken is programmed"
 * ({@code navi10_ih.c}).
 */
public enum IhIp {
    VEGA10_IH("vega10_ih", IhRegs.OSSSYS_4_0, true, 1),
    NAVI10_IH("navi10_ih", IhRegs.OSSSYS_5_0, false, 1),
    IH_V6_0("ih_v6_0", IhRegs.OSSSYS_6_0, false, 2);

    /** MC_SPACE for a ring at a GPU MC address (vega10_ih.c, navi10_ih.c, ih_v6_0.c: "use_bus_addr ? … : 4"). */
    public static final int MC_SPACE_MC = 4;

    private final String blockName;
    private final IhRegs regs;
    private final boolean useBusAddress;
    private final int mcSpaceBus;

    IhIp(String blockName, IhRegs regs, boolean useBusAddress, int mcSpaceBus) {
        this.blockName = blockName;
        this.regs = regs;
        this.useBusAddress = useBusAddress;
        this.mcSpaceBus = mcSpaceBus;
    }

    /** By OSSSYS version: 4.x → vega10_ih, 5.x → navi10_ih, 6.x → ih_v6_0. */
    public static IhIp of(int major) {
        return switch (major) {
            case 4 -> VEGA10_IH;
            case 5 -> NAVI10_IH;
            case 6 -> IH_V6_0;
            default -> throw new IllegalArgumentException("OSSSYS " + major + ".x is not supported (4, 5, 6 are)");
        };
    }

    public String blockName() {
        return blockName;
    }

    public IhRegs regs() {
        return regs;
    }

    public boolean useBusAddress() {
        return useBusAddress;
    }

    /** MC_SPACE meaning "bus address" for this IH version. */
    public int mcSpaceBus() {
        return mcSpaceBus;
    }
}
