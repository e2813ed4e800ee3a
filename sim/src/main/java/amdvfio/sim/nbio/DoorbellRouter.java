package amdvfio.sim.nbio;

import amdvfio.amdgpu.DoorbellRange;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.sim.regs.RegisterFile;

/**
 * The BIF's doorbell routing (spec §3.5): a store to BAR2 reaches an engine only while the
 * doorbell aperture is enabled (RCC_DOORBELL_APER_EN.BIF_DOORBELL_APER_EN) and the store's dword
 * index lies in a route programmed for that engine — {@code BIF_SDMA<n>_DOORBELL_RANGE} /
 * {@code BIF_IH_DOORBELL_RANGE} (OFFSET, SIZE &gt; 0) on NBIO 6.1/2.3, the S2A entries of NBIO 4.3
 * (entry 2 for every SDMA engine, entry 1 for the IH, each with its ENABLE bit). Anything else
 * goes elsewhere ("Doorbell writing not in SDMA/IH/MM/ACV range will be routed to CP",
 * {@code soc15.c}): for the model, nowhere. All reset to 0: the driver programs them
 * ({@code nbio_v*_sdma_doorbell_range}, {@code *_ih_doorbell_range}, {@code enable_doorbell_aperture}).
 *
 * <p>Stateless: it reads the registers on every decision (plain storage in the register file).
 */
public final class DoorbellRouter {

    private final RegisterFile regs;
    private final NbioRegs nbio;
    private final int[] bases;

    public DoorbellRouter(RegisterFile regs, NbioRegs nbio, int[] nbioBases) {
        this.regs = regs;
        this.nbio = nbio;
        this.bases = nbioBases.clone();
    }

    public boolean apertureEnabled() {
        return nbio.doorbellAperEnable.isSet(read(nbio.doorbellAperEn));
    }

    /** True if a doorbell at {@code dwordIndex} reaches SDMA {@code instance}. */
    public boolean routesToSdma(int instance, int dwordIndex) {
        DoorbellRange r = nbio.sdmaRouteShared ? nbio.sdmaRoutes.get(0) : nbio.sdmaRoute(instance);
        return apertureEnabled() && r.routes(read(r.reg()), dwordIndex);
    }

    /** True if a doorbell at {@code dwordIndex} reaches the IH. */
    public boolean routesToIh(int dwordIndex) {
        return apertureEnabled() && nbio.ihRoute.routes(read(nbio.ihRoute.reg()), dwordIndex);
    }

    private int read(Reg reg) {
        return regs.read(reg.address(bases));
    }
}
