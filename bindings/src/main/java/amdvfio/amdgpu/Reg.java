package amdvfio.amdgpu;

/**
 * A register as the kernel's {@code *_offset.h} headers describe it: a dword {@code offset} inside
 * segment {@code segment} ({@code reg##_BASE_IDX}) of one IP block. The absolute dword address is
 * {@code ipBase[segment] + offset} ({@code SOC15_REG_OFFSET}, soc15_common.h); the BAR5 byte
 * address is four times that. Built only from the generated header classes ({@link HeaderFacts}).
 * Immutable.
 */
public record Reg(String name, int offset, int segment) {

    public Reg {
        if (offset < 0 || segment < 0 || segment > 7) {
            throw new IllegalArgumentException(String.format("bad register %s: offset 0x%x segment %d", name, offset, segment));
        }
    }

    /** The absolute dword address for an IP instance whose segment bases are {@code bases}. */
    public int address(int[] bases) {
        if (segment >= bases.length) {
            throw new IllegalArgumentException(name + " is in segment " + segment + " but the IP has "
                    + bases.length + " segment bases");
        }
        return bases[segment] + offset;
    }

    @Override
    public String toString() {
        return String.format("%s(0x%x/seg%d)", name, offset, segment);
    }
}
