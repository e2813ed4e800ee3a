package amdvfio.driver.ip.psp;

import amdvfio.driver.boot.BootFirmware;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Which PSP block a profile boots with ({@code amdgpu_discovery_set_psp_ip_blocks}: one switch on
 * the MP0 version). Profiles without one yet run warm-only: their card-state step still
 * classifies and resets, and nothing loads firmware.
 */
public final class PspBlocks {

    private PspBlocks() {
    }

    /**
     * @param firmware   the profile's firmware, read on first demand
     * @param bootNeeded asked in hw_init: whether the card-state step decided to boot
     */
    public static Optional<PspBlock> forProfile(DeviceContext ctx, GmcBlock gmc, BootFirmware firmware,
                                                BooleanSupplier bootNeeded) {
        return switch (ctx.profile().name()) {
            case "navi31" -> Optional.of(new PspV13Block(ctx, gmc, firmware::require, bootNeeded));
            default -> Optional.empty();
        };
    }

    /** The firmware a profile's PSP block needs, if it has one. */
    public static Optional<FirmwareManifest> manifest(String profile) {
        return "navi31".equals(profile) ? Optional.of(FirmwareManifest.NAVI31) : Optional.empty();
    }
}
