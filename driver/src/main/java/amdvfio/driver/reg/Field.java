package amdvfio.driver.reg;

/**
 * A bit field {@code [hi:lo]} of a 32-bit register, named as in the kernel's
 * {@code *_sh_mask.h} headers ({@code SDMA0_CNTL__TRAP_ENABLE_MASK} becomes
 * {@code new Field("TRAP_ENABLE", 0, 0)}). Immutable.
 */
public record Field(String name, int lo, int hi) {

    public Field {
        if (lo < 0 || hi > 31 || hi < lo) {
            throw new IllegalArgumentException("bad field " + name + " [" + hi + ":" + lo + "]");
        }
    }

    /** A one-bit field. */
    public static Field bit(String name, int bit) {
        return new Field(name, bit, bit);
    }

    public int mask() {
        return (int) ((0xFFFF_FFFFL >>> (31 - (hi - lo))) << lo);
    }

    /** {@code value} placed in this field (excess bits are dropped). */
    public int encode(int value) {
        return (value << lo) & mask();
    }

    /** This field's value in {@code reg}. */
    public int decode(int reg) {
        return (reg & mask()) >>> lo;
    }

    /** {@code reg} with this field replaced by {@code value}. */
    public int set(int reg, int value) {
        return (reg & ~mask()) | encode(value);
    }
}
