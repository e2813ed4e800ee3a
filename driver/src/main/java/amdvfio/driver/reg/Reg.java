package amdvfio.driver.reg;

/**
 * A register as the kernel's {@code *_offset.h} headers describe it: a dword offset inside one
 * IP block's address segment ({@code BASE_IDX}). The absolute dword address is
 * {@code ipBase[segment] + offset} ({@code SOC15_REG_OFFSET} in {@code soc15_common.h}); the
 * BAR5 byte address is four times that. Immutable.
 */
public record Reg(String name, int offset, int segment) {

    public Reg {
        if (offset < 0 || segment < 0 || segment > 7) {
            throw new IllegalArgumentException(String.format("bad register %s: offset 0x%x segment %d", name, offset, segment));
        }
    }

    /** A segment-0 register. */
    public static Reg of(String name, int offset) {
        return new Reg(name, offset, 0);
    }

    /** The same register {@code dwords} further on (per-instance strides). */
    public Reg plus(int dwords) {
        return new Reg(name, offset + dwords, segment);
    }

    @Override
    public String toString() {
        return String.format("%s(0x%x/seg%d)", name, offset, segment);
    }
}
