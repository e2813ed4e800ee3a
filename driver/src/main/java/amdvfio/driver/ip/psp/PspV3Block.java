package amdvfio.driver.ip.psp;

import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The PSP of Vega10 (MP0 9.0.0), amdgpu's psp_v3_1 (spec §7): SYS_DRV → SOS only, the IH reroute
 * (psp_v3_1_reroute_ih) before the KM ring, no TOC so a fixed 4 MiB TMR, no autoload, and the SMC
 * loaded in the ucode loop after the SDMA images (its PMFW is not centralized).
 */
public final class PspV3Block extends PspBlock {

    /** A block that boots at once with firmware already read (tests that drive the PSP alone). */
    public PspV3Block(DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        this(ctx, gmc, () -> firmware, () -> true);
    }

    /** The pipeline's block: boots only if {@code bootNeeded} says so, with the firmware read before probe. */
    PspV3Block(DeviceContext ctx, GmcBlock gmc, Supplier<FirmwareSet> firmware, BooleanSupplier bootNeeded) {
        super(ctx, gmc, firmware, bootNeeded, PspTraits.V3_1);
    }
}
