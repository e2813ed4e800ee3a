package amdvfio.sim.regs;

/**
 * A register: a dword {@code offset} inside IP segment {@code segment} (the kernel's
 * {@code reg##_BASE_IDX}). Its BAR5 dword index is {@code base[segment] + offset}
 * ({@code SOC15_REG_OFFSET}, soc15_common.h).
 */
public record Reg(String name, int offset, int segment) {

    public static Reg seg0(String name, int offset) {
        return new Reg(name, offset, 0);
    }

    /** The absolute dword index for an IP instance whose segment bases are {@code bases}. */
    public int dword(int[] bases) {
        return bases[segment] + offset;
    }
}
