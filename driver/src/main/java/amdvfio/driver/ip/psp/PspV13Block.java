package amdvfio.driver.ip.psp;

import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The PSP of MP0 13.0.0 (Navi31), amdgpu's psp_v13_0 under psp_hw_init (spec §1.1 steps 5–7,
 * §2.8): KDB → the SPL slot with the KDB bytes (conflict C1) → SYS_DRV → SOS, the KM ring,
 * LOAD_TOC and the TMR, the SMU image before SETUP_TMR (MP0 13.0.0 has
 * {@code pmfw_centralized_cstate_management}: "TMR setup should be performed after PMFW loaded
 * and before other non-psp firmware loaded"), then every other image in AMDGPU_UCODE_ID order
 * with AUTOLOAD_RLC right after RLC_G ({@code autoload_supported}). The sequence is
 * {@link PspBlock}'s; this class fixes the generation.
 */
public final class PspV13Block extends PspBlock {

    /** A block that boots at once with firmware already read (tests that drive the PSP alone). */
    public PspV13Block(DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        this(ctx, gmc, () -> firmware, () -> true);
    }

    /** The pipeline's block: boots only if {@code bootNeeded} says so, with the firmware read before probe. */
    public PspV13Block(DeviceContext ctx, GmcBlock gmc, Supplier<FirmwareSet> firmware, BooleanSupplier bootNeeded) {
        super(ctx, gmc, firmware, bootNeeded, PspTraits.V13_0_0);
    }
}
