package amdvfio.driver.ip.psp;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.boot.BootFirmware;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Which PSP block boots a card: amdgpu's choice of psp funcs by MP0 version ({@code psp_early_init}). */
public final class PspBlocks {

    private PspBlocks() {
    }

    /** The firmware a profile's PSP block needs, if the profile boots cold. */
    public static Optional<FirmwareManifest> manifest(String profile) {
        return FirmwareManifest.forChip(profile);
    }

    /**
     * The pipeline's block for {@code firmware}'s profile.
     *
     * @param firmware   the profile's files, read on first demand (the card-state step demands them
     *                   before anything is written, and only when the card must be booted)
     * @param bootNeeded asked in hw_init: whether the card-state step decided to boot
     */
    public static PspBlock forBoot(DeviceContext ctx, GmcBlock gmc, BootFirmware firmware, BooleanSupplier bootNeeded) {
        return create(firmware.manifest(), ctx, gmc, firmware::require, bootNeeded);
    }

    /**
     * A block that boots {@code profile} at once with firmware already read (tests that drive the
     * PSP alone), or empty for a profile without a cold-boot path.
     *
     * @throws IllegalArgumentException when {@code firmware} was read for another profile
     */
    public static Optional<PspBlock> forProfile(AsicProfile profile, DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        Optional<FirmwareManifest> manifest = manifest(profile.name());
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        if (manifest.get() != firmware.manifest()) {
            throw new IllegalArgumentException("firmware for " + firmware.manifest().chip() + " cannot boot a " + profile.name());
        }
        return Optional.of(create(manifest.get(), ctx, gmc, () -> firmware, () -> true));
    }

    private static PspBlock create(FirmwareManifest m, DeviceContext ctx, GmcBlock gmc, Supplier<FirmwareSet> firmware,
                                   BooleanSupplier bootNeeded) {
        return switch (m) {
            case NAVI31 -> new PspV13Block(ctx, gmc, firmware, bootNeeded);
            case NAVI21, NAVI10 -> new PspV11Block(ctx, gmc, m, firmware, bootNeeded);
            case VEGA10 -> new PspV3Block(ctx, gmc, firmware, bootNeeded);
        };
    }
}
