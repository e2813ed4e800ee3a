package amdvfio.driver.ip.psp;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.Optional;

/** Which PSP block boots a card: amdgpu's choice of psp funcs by MP0 version ({@code psp_early_init}). */
public final class PspBlocks {

    private PspBlocks() {
    }

    /**
     * The PSP block for {@code profile}, or empty for a profile without a cold-boot path.
     *
     * @throws IllegalArgumentException when {@code firmware} was read for another profile
     */
    public static Optional<PspBlock> forProfile(AsicProfile profile, DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        Optional<FirmwareManifest> manifest = FirmwareManifest.forChip(profile.name());
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        if (manifest.get() != firmware.manifest()) {
            throw new IllegalArgumentException("firmware for " + firmware.manifest().chip() + " cannot boot a " + profile.name());
        }
        return Optional.of(switch (firmware.manifest()) {
            case NAVI31 -> new PspV13Block(ctx, gmc, firmware);
            case NAVI21, NAVI10 -> new PspV11Block(ctx, gmc, firmware);
            case VEGA10 -> new PspV3Block(ctx, gmc, firmware);
        });
    }
}
