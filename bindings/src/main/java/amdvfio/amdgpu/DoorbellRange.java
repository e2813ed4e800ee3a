package amdvfio.amdgpu;

/**
 * One NBIO doorbell route: a register that sends doorbell writes of dword indexes
 * {@code [offset, offset + size)} to one engine. Two shapes exist:
 * <ul>
 *   <li>NBIO 6.1 / 2.3 {@code BIF_<engine>_DOORBELL_RANGE}: OFFSET and SIZE, a route is on while
 *       SIZE &gt; 0 ({@code nbio_v6_1/v2_3_*_doorbell_range});</li>
 *   <li>NBIO 4.3 {@code S2A_DOORBELL_ENTRY_<n>_CTRL}: an ENABLE bit, the port's AWID and
 *       AWADDR[31:28] besides RANGE_OFFSET/RANGE_SIZE ({@code nbio_v4_3_*_doorbell_range}).</li>
 * </ul>
 * {@link #enable}, {@link #awid} and {@link #awaddr} are null for the first shape. The values
 * amdgpu programs come with the route: {@link #sizeValue}, {@link #awidValue}, {@link #awaddrValue}.
 * Immutable.
 */
public record DoorbellRange(Reg reg, Field enable, Field offset, Field size, Field awid, Field awaddr,
                            int sizeValue, int awidValue, int awaddrValue) {

    /** The register value that routes dwords {@code [dwordIndex, dwordIndex + size)}, as amdgpu programs it. */
    public int encode(int old, int dwordIndex, int size) {
        int v = this.size.set(offset.set(old, dwordIndex), size);
        if (enable != null) {
            v = awaddr.set(awid.set(enable.set(v, 1), awidValue), awaddrValue);
        }
        return v;
    }

    /** The value that turns the route off (SIZE 0, as {@code use_doorbell = false} writes it). */
    public int disable(int old) {
        return size.set(old, 0);
    }

    /** True if a register value {@code v} routes doorbell dword {@code dwordIndex}. */
    public boolean routes(int v, int dwordIndex) {
        if (enable != null && !enable.isSet(v)) {
            return false;
        }
        int start = offset.get(v);
        return dwordIndex >= start && dwordIndex < start + size.get(v);
    }
}
