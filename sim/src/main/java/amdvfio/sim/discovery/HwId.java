package amdvfio.sim.discovery;

/**
 * The hardware ids of the IP blocks the model lists in its discovery table
 * ({@code include/soc15_hw_ip.h}; {@code hw_id_map} in {@code amdgpu_discovery.c}).
 */
public enum HwId {
    MP1(1), GC(11), MMHUB(34), OSSSYS(40), HDP(41), SDMA0(42), SDMA1(43), SDMA2(68), SDMA3(69), NBIF(108), MP0(255);

    private final int id;

    HwId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static HwId sdma(int instance) {
        return switch (instance) {
            case 0 -> SDMA0;
            case 1 -> SDMA1;
            case 2 -> SDMA2;
            case 3 -> SDMA3;
            default -> throw new IllegalArgumentException("no SDMA instance " + instance);
        };
    }
}
