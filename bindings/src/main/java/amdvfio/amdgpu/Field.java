package amdvfio.amdgpu;

/**
 * A bit field of a 32-bit register or packet dword, as the kernel's headers define it: the
 * {@code REG__FIELD__SHIFT} / {@code REG__FIELD_MASK} pairs of {@code *_sh_mask.h} (the mask is
 * in place), or the {@code SDMA_PKT_*_shift} / {@code _mask} pairs of the pkt_open headers (the
 * mask there is right-aligned; {@link HeaderFacts#packetField} shifts it). Built only from the
 * generated header classes. Immutable.
 *
 * @param mask the field's bits in place ({@code mask >>> shift} is the largest value it holds)
 */
public record Field(String name, int shift, int mask) {

    public Field {
        if (shift < 0 || shift > 31 || mask == 0 || Integer.numberOfTrailingZeros(mask) != shift
                || Integer.bitCount(mask) != 32 - Integer.numberOfLeadingZeros(mask) - shift) {
            throw new IllegalArgumentException(String.format("bad field %s: shift %d mask 0x%x", name, shift, mask));
        }
    }

    /** Width in bits. */
    public int width() {
        return Integer.bitCount(mask);
    }

    /** The largest value the field holds, as an unsigned number. */
    public long max() {
        return Integer.toUnsignedLong(mask) >>> shift;
    }

    /** {@code value} placed in this field (excess bits are dropped, as the hardware drops them). */
    public int encode(int value) {
        return (value << shift) & mask;
    }

    /** This field's value in {@code reg}, right-aligned. */
    public int get(int reg) {
        return (reg & mask) >>> shift;
    }

    public boolean isSet(int reg) {
        return (reg & mask) != 0;
    }

    /** {@code reg} with this field replaced by {@code value}. */
    public int set(int reg, int value) {
        return (reg & ~mask) | encode(value);
    }

    /** True if {@code value} fits in the field without losing bits. */
    public boolean fits(long value) {
        return value >= 0 && value <= max();
    }
}
