package amdvfio.driver.ip.nbio;

import amdvfio.driver.asic.HwIp;
import amdvfio.driver.asic.NbioTraits;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.reg.Field;
import amdvfio.driver.reg.Reg;

/**
 * The common/NBIO block: opens the doorbell aperture and routes the SDMA and IH doorbell ranges
 * to their engines. "Doorbell writing not in SDMA/IH/MM/ACV range will be routed to CP"
 * ({@code soc15.c}), so without this a doorbell would reach the wrong engine.
 *
 * <p>Range fields ({@code nbio_v6_1_sh_mask.h}, {@code nbio_v2_3_sh_mask.h}): OFFSET [11:2]
 * (dword doorbell index), SIZE [20:16] — the raw OFFSET value is then the BAR2 byte offset.
 */
public final class NbioBlock implements IpBlock {

    public static final Field APER_EN = Field.bit("BIF_DOORBELL_APER_EN", 0);
    public static final Field RANGE_OFFSET = new Field("OFFSET", 2, 11);
    public static final Field RANGE_SIZE = new Field("SIZE", 16, 20);

    private final DeviceContext ctx;
    private final NbioTraits traits;

    public NbioBlock(DeviceContext ctx) {
        this.ctx = ctx;
        this.traits = ctx.profile().nbio();
    }

    @Override
    public String name() {
        return traits.blockName();
    }

    @Override
    public void swInit() {
        // No state: the doorbell indexes are in the profile.
    }

    /** Aperture on, then one range per SDMA engine and one for the IH ({@code soc15_common_hw_init}). */
    @Override
    public void hwInit() {
        ctx.update(HwIp.NBIO, traits.doorbellAperEn(), APER_EN, 1);
        Reg[] ranges = traits.sdmaRanges();
        int[] doorbells = ctx.profile().sdmaDoorbells();
        for (int i = 0; i < ranges.length && i < ctx.profile().sdma().instances(); i++) {
            ctx.write(HwIp.NBIO, ranges[i], range(doorbells[i] << 1, traits.sdmaRangeSize()));
        }
        ctx.write(HwIp.NBIO, traits.ihRange(), range(ctx.profile().ihDoorbell() << 1, ctx.profile().ih().doorbellRangeSize()));
    }

    @Override
    public void earlyFini() {
        if (ctx.isPresent()) {
            for (int i = 0; i < traits.sdmaRanges().length && i < ctx.profile().sdma().instances(); i++) {
                ctx.write(HwIp.NBIO, traits.sdmaRanges()[i], 0);
            }
            ctx.write(HwIp.NBIO, traits.ihRange(), 0);
        }
    }

    @Override
    public void lateFini() {
        // Nothing allocated.
    }

    static int range(int dwordIndex, int size) {
        return RANGE_SIZE.set(RANGE_OFFSET.set(0, dwordIndex), size);
    }
}
