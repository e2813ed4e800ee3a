package amdvfio.sim.regs;

/**
 * A bit field {@code [hi:lo]} of a 32-bit register, as the kernel's {@code __SHIFT}/{@code _MASK}
 * pairs in the {@code *_sh_mask.h} headers describe it.
 */
public record Field(String name, int lo, int hi) {

    public Field {
        if (lo < 0 || hi > 31 || hi < lo) {
            throw new IllegalArgumentException("bad field " + name + " [" + hi + ":" + lo + "]");
        }
    }

    public static Field bit(String name, int bit) {
        return new Field(name, bit, bit);
    }

    public int mask() {
        return (int) ((0xFFFF_FFFFL >>> (31 - hi + lo)) << lo);
    }

    /** The field's value in {@code reg}, right-aligned. */
    public int get(int reg) {
        return (reg & mask()) >>> lo;
    }

    public boolean isSet(int reg) {
        return (reg & mask()) != 0;
    }

    /** {@code reg} with this field replaced by {@code value}. */
    public int set(int reg, int value) {
        return (reg & ~mask()) | ((value << lo) & mask());
    }
}
