package amdvfio.driver.ip.nbio;

import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.DoorbellRange;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;

/**
 * The common/NBIO block: opens the doorbell aperture and routes the SDMA and IH doorbells to
 * their engines. "Doorbell writing not in SDMA/IH/MM/ACV range will be routed to CP"
 * ({@code soc15.c}), so without a route a doorbell never reaches its engine. The routes are the
 * version's data ({@link NbioRegs}): one BIF range per SDMA engine on NBIO 6.1/2.3
 * ({@code nbio_v2_3_sdma_doorbell_range} programs all four of Navi21), one S2A entry for every
 * engine and one for the IH on NBIO 4.3 ({@code nbio_v4_3_sdma/ih_doorbell_range}).
 */
public final class NbioBlock implements IpBlock {

    private final DeviceContext ctx;
    private final NbioRegs regs;
    private final DoorbellLayout doorbells;
    private final int engines;

    public NbioBlock(DeviceContext ctx) {
        this.ctx = ctx;
        this.regs = ctx.profile().nbio();
        this.doorbells = ctx.profile().doorbells();
        this.engines = ctx.profile().sdma().instances();
    }

    @Override
    public String name() {
        return regs.name;
    }

    @Override
    public void swInit() {
        // No state: the doorbell indexes are in the profile.
    }

    /** Aperture on, then the SDMA routes and the IH route ({@code soc15_common_hw_init}, {@code sdma_v*_gfx_resume}). */
    @Override
    public void hwInit() {
        ctx.update(HwIp.NBIF, regs.doorbellAperEn, regs.doorbellAperEnable, 1);
        for (int i = 0; i < engines; i++) {
            DoorbellRange r = regs.sdmaRoute(i);
            if (r != null) {
                // a shared route starts at engine 0's doorbell and spans every engine's (sdma_v6_0_gfx_resume)
                int size = regs.sdmaRouteShared ? r.sizeValue() * engines : r.sizeValue();
                program(r, doorbells.sdmaDword(i), size);
            }
        }
        program(regs.ihRoute, doorbells.ihDword(), regs.ihRoute.sizeValue());
    }

    @Override
    public void earlyFini() {
        if (ctx.isPresent()) {
            for (int i = 0; i < engines; i++) {
                DoorbellRange r = regs.sdmaRoute(i);
                if (r != null) {
                    ctx.write(HwIp.NBIF, r.reg(), r.disable(ctx.read(HwIp.NBIF, r.reg())));
                }
            }
            ctx.write(HwIp.NBIF, regs.ihRoute.reg(), regs.ihRoute.disable(ctx.read(HwIp.NBIF, regs.ihRoute.reg())));
        }
    }

    @Override
    public void lateFini() {
        // Nothing allocated.
    }

    private void program(DoorbellRange r, int dwordIndex, int size) {
        ctx.write(HwIp.NBIF, r.reg(), r.encode(ctx.read(HwIp.NBIF, r.reg()), dwordIndex, size));
    }
}
