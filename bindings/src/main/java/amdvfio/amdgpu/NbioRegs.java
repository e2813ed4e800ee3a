package amdvfio.amdgpu;

import amdvfio.bindings.amdgpu.nbio_2_3_h;
import amdvfio.bindings.amdgpu.nbio_4_3_0_h;
import amdvfio.bindings.amdgpu.nbio_6_1_h;
import java.util.List;

/**
 * The NBIO (NBIF) registers amdvfio touches, per version: the doorbell aperture enable, the
 * doorbell routes to the SDMA engines and the IH, and RCC_CONFIG_MEMSIZE. Which routes exist is
 * the difference between versions, kept here as data:
 * <ul>
 *   <li>6.1 (Vega10): {@code BIF_SDMA0/1_DOORBELL_RANGE}, one per engine, SIZE 4
 *       ({@code soc15.c}: {@code sdma_doorbell_range = 4}); {@code BIF_IH_DOORBELL_RANGE} SIZE 6
 *       ({@code nbio_v6_1_ih_doorbell_range});</li>
 *   <li>2.3 (Navi10, and Navi21's NBIF 3.3, which amdgpu drives with {@code nbio_v2_3_funcs}):
 *       {@code BIF_SDMA0..3_DOORBELL_RANGE}, SIZE 20 ({@code nv.c}); IH SIZE 2;</li>
 *   <li>4.3 (Navi31): S2A entries, not BIF ranges ({@code nbio_v4_3.c}): entry 1 routes the IH
 *       (AWID 0, AWADDR 0, SIZE 2), entry 2 every SDMA engine at once (AWID 0xe, AWADDR 0x3,
 *       from instance 0's index, SIZE 20 × instances: {@code sdma_v6_0_gfx_resume}).</li>
 * </ul>
 * Immutable.
 */
public final class NbioRegs {

    public static final NbioRegs NBIO_6_1 = v6_1();
    public static final NbioRegs NBIO_2_3 = v2_3();
    public static final NbioRegs NBIO_4_3 = v4_3();

    public final String name;
    public final Reg doorbellAperEn;
    public final Field doorbellAperEnable;
    public final Reg configMemsize;
    /**
     * The index/data pair amdgpu reaches registers beyond BAR5 through ({@code amdgpu_device_indirect_rreg}:
     * write the register's byte address to the index, read it back, then access the data):
     * PCIE_INDEX2/DATA2 on 6.1/2.3, BIF_BX_PF0_RSMU_INDEX/DATA on 4.3 ({@code nbio_v*_get_pcie_index_offset}).
     */
    public final Reg pcieIndex;
    public final Reg pcieData;
    /** Per SDMA instance, or one route for all instances when {@link #sdmaRouteShared}. */
    public final List<DoorbellRange> sdmaRoutes;
    /** True when one route (from instance 0's index) covers every engine. */
    public final boolean sdmaRouteShared;
    public final DoorbellRange ihRoute;

    private NbioRegs(String name, HeaderFacts h, String rcc, String pcie, List<DoorbellRange> sdmaRoutes, boolean shared,
                     DoorbellRange ihRoute) {
        this.name = name;
        this.doorbellAperEn = h.reg(rcc + "RCC_DOORBELL_APER_EN");
        this.doorbellAperEnable = h.field(rcc + "RCC_DOORBELL_APER_EN", "BIF_DOORBELL_APER_EN");
        this.configMemsize = h.reg(rcc + "RCC_CONFIG_MEMSIZE");
        this.pcieIndex = h.reg(pcie.replace("%", "INDEX"));
        this.pcieData = h.reg(pcie.replace("%", "DATA"));
        this.sdmaRoutes = List.copyOf(sdmaRoutes);
        this.sdmaRouteShared = shared;
        this.ihRoute = ihRoute;
    }

    /** The route register of SDMA {@code instance}, or null when a shared route serves it. */
    public DoorbellRange sdmaRoute(int instance) {
        if (sdmaRouteShared) {
            return instance == 0 ? sdmaRoutes.get(0) : null;
        }
        if (instance >= sdmaRoutes.size()) {
            throw new IllegalArgumentException(name + " routes " + sdmaRoutes.size() + " SDMA engines, not " + (instance + 1));
        }
        return sdmaRoutes.get(instance);
    }

    private static NbioRegs v6_1() {
        HeaderFacts h = HeaderFacts.of(nbio_6_1_h.class);
        return new NbioRegs("nbio_v6_1", h, "RCC_PF_0_0_", "PCIE_%2",
                List.of(bif(h, h.reg("BIF_SDMA0_DOORBELL_RANGE"), "BIF_SDMA0", 4), bif(h, h.reg("BIF_SDMA1_DOORBELL_RANGE"), "BIF_SDMA0", 4)),
                false, bif(h, h.reg("BIF_IH_DOORBELL_RANGE"), "BIF_IH", 6));
    }

    /**
     * NBIO 2.3. {@code BIF_SDMA2/3_DOORBELL_RANGE} are not in {@code nbio_2_3_offset.h}: amdgpu
     * defines them in {@code nbio_v2_3.c} itself (0x01d6 / 0x01d7, segment 2) and programs them
     * with BIF_SDMA0's fields; they are the one derived pair here (see CHANGED-FACTS.md).
     */
    private static NbioRegs v2_3() {
        HeaderFacts h = HeaderFacts.of(nbio_2_3_h.class);
        Reg sdma0 = h.reg("BIF_SDMA0_DOORBELL_RANGE");
        Reg sdma1 = h.reg("BIF_SDMA1_DOORBELL_RANGE");
        Reg sdma2 = new Reg("BIF_SDMA2_DOORBELL_RANGE", NBIO_V2_3_C_SDMA2_RANGE, sdma0.segment());
        Reg sdma3 = new Reg("BIF_SDMA3_DOORBELL_RANGE", NBIO_V2_3_C_SDMA2_RANGE + 1, sdma0.segment());
        return new NbioRegs("nbio_v2_3", h, "RCC_DEV0_EPF0_", "PCIE_%2",
                List.of(bif(h, sdma0, "BIF_SDMA0", 20), bif(h, sdma1, "BIF_SDMA0", 20), bif(h, sdma2, "BIF_SDMA0", 20),
                        bif(h, sdma3, "BIF_SDMA0", 20)),
                false, bif(h, h.reg("BIF_IH_DOORBELL_RANGE"), "BIF_IH", 2));
    }

    /** {@code #define mmBIF_SDMA2_DOORBELL_RANGE 0x01d6} in nbio_v2_3.c (not a header; SDMA3 follows). */
    private static final int NBIO_V2_3_C_SDMA2_RANGE = 0x01d6;

    private static NbioRegs v4_3() {
        HeaderFacts h = HeaderFacts.of(nbio_4_3_0_h.class);
        return new NbioRegs("nbio_v4_3", h, "RCC_DEV0_EPF0_", "BIF_BX_PF0_RSMU_%", List.of(s2a(h, 2, 20, 0xe, 0x3)), true, s2a(h, 1, 2, 0x0, 0x0));
    }

    private static DoorbellRange bif(HeaderFacts h, Reg reg, String fieldsOf, int size) {
        String r = fieldsOf + "_DOORBELL_RANGE";
        return new DoorbellRange(reg, null, h.field(r, "OFFSET"), h.field(r, "SIZE"), null, null, size, 0, 0);
    }

    private static DoorbellRange s2a(HeaderFacts h, int entry, int size, int awid, int awaddr) {
        String r = "S2A_DOORBELL_ENTRY_" + entry + "_CTRL";
        String p = "S2A_DOORBELL_PORT" + entry + "_";
        return new DoorbellRange(h.reg(r), h.field(r, p + "ENABLE"), h.field(r, p + "RANGE_OFFSET"), h.field(r, p + "RANGE_SIZE"),
                h.field(r, p + "AWID"), h.field(r, p + "AWADDR_31_28_VALUE"), size, awid, awaddr);
    }

    @Override
    public String toString() {
        return name;
    }
}
