package amdvfio.driver.ip.psp;

import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The PSP of MP0 11.0.7 (Navi21) and 11.0.0 (Navi10), amdgpu's psp_v11_0 (spec §7): KDB → SPL
 * (the real SPL component, psp_v11_0.c:217-220; Navi10's v1.1 sOS file has none) → SYS_DRV → SOS,
 * the KM ring, LOAD_TOC → TMR, the centralized PMFW's SMU image before SETUP_TMR, the ucode loop
 * with AUTOLOAD_RLC after RLC_G; 11.0.7 sends only SDMA0's image.
 */
public final class PspV11Block extends PspBlock {

    /**
     * @throws IllegalArgumentException for firmware of another generation than Navi21's or Navi10's
     */
    public PspV11Block(DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        this(ctx, gmc, firmware.manifest(), () -> firmware, () -> true);
    }

    /** The pipeline's block: boots only if {@code bootNeeded} says so, with {@code manifest}'s files read before probe. */
    PspV11Block(DeviceContext ctx, GmcBlock gmc, FirmwareManifest manifest, Supplier<FirmwareSet> firmware,
                BooleanSupplier bootNeeded) {
        super(ctx, gmc, firmware, bootNeeded, traits(manifest));
    }

    private static PspTraits traits(FirmwareManifest m) {
        return switch (m) {
            case NAVI21 -> PspTraits.V11_0_7;
            case NAVI10 -> PspTraits.V11_0_0;
            default -> throw new IllegalArgumentException("psp_v11_0 boots Navi21 and Navi10, not " + m.chip());
        };
    }
}
