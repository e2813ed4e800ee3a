package amdvfio.amdgpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads facts by name out of one generated header class ({@code amdvfio.bindings.amdgpu.*_h}):
 * a register's offset ({@code mm}/{@code reg} prefix) and {@code _BASE_IDX}, a field's
 * {@code __SHIFT}/{@code _MASK}, a constant. The names are the kernel's, so the per-version
 * register sets can be built by instance prefix ({@code "SDMA" + i + "_GFX_RB_CNTL"}) and every
 * instance uses its own generated offset. A name the header class does not have throws at once:
 * the sets are built when their class initialises, and {@code TypedLayerTest} builds them all.
 * Stateless; thread-safe.
 */
public final class HeaderFacts {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    private final Class<?> header;

    private HeaderFacts(Class<?> header) {
        this.header = header;
    }

    public static HeaderFacts of(Class<?> header) {
        return new HeaderFacts(header);
    }

    /** True if the header defines {@code name} (a constant, or a register without its prefix). */
    public boolean has(String name) {
        return find(name) != null || find("mm" + name) != null || find("reg" + name) != null;
    }

    /** Register {@code name} (without the {@code mm}/{@code reg} prefix). */
    public Reg reg(String name) {
        String prefixed = find("reg" + name) != null ? "reg" + name : "mm" + name;
        return new Reg(name, (int) constant(prefixed), (int) constant(prefixed + "_BASE_IDX"));
    }

    /** Field {@code field} of register {@code reg}: {@code REG__FIELD__SHIFT}, {@code REG__FIELD_MASK}. */
    public Field field(String reg, String field) {
        String n = reg + "__" + field;
        return new Field(field, (int) constant(n + "__SHIFT"), (int) constant(n + "_MASK"));
    }

    /** Packet field {@code SDMA_PKT_<packet>_<dword>_<field>}: shift and right-aligned mask. */
    public Field packetField(String packetDword, String field) {
        String n = "SDMA_PKT_" + packetDword + "_" + field;
        int shift = (int) constant(n + "_shift");
        return new Field(field, shift, (int) (constant(n + "_mask") << shift));
    }

    /** Dword index of a packet field ({@code _offset}). */
    public int packetOffset(String packetDword, String field) {
        return (int) constant("SDMA_PKT_" + packetDword + "_" + field + "_offset");
    }

    /** A macro or enum constant, widened to long. */
    public long constant(String name) {
        MethodHandle h = find(name);
        if (h == null) {
            throw new IllegalArgumentException(header.getSimpleName() + " has no " + name
                    + ": add it to bindings/jextract/amdgpu/<name>.want and regenerate");
        }
        try {
            Object v = h.invoke();
            return ((Number) v).longValue();
        } catch (Throwable t) {
            throw new IllegalStateException("reading " + header.getSimpleName() + "." + name, t);
        }
    }

    /** {@link #constant} narrowed to int. */
    public int intConstant(String name) {
        return (int) constant(name);
    }

    private MethodHandle find(String name) {
        for (Class<?> type : new Class<?>[] {int.class, long.class}) {
            try {
                return LOOKUP.findStatic(header, name, MethodType.methodType(type));
            } catch (NoSuchMethodException | IllegalAccessException absent) {
                // try the other width
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return header.getSimpleName();
    }
}
