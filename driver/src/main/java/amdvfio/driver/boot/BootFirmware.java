package amdvfio.driver.boot;

import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareSet;

/**
 * The firmware one boot of one card needs: read and checked on first demand, which the card-state
 * step makes before anything writes to the card and only when the card must be booted (a card
 * this driver left warm is reused without any file). Errors are the firmware package's typed
 * ones, naming the file and the Debian package.
 *
 * <p>Threading: used by the probe thread only.
 */
public final class BootFirmware {

    private final FirmwareManifest manifest;
    private final FirmwareDirectory dir;
    private FirmwareSet set;

    public BootFirmware(FirmwareManifest manifest, FirmwareDirectory dir) {
        this.manifest = manifest;
        this.dir = dir;
    }

    /** Reads and checks every file of the manifest once; later calls return the same set. */
    public FirmwareSet require() {
        if (set == null) {
            set = manifest.load(dir);
        }
        return set;
    }

    public FirmwareManifest manifest() {
        return manifest;
    }
}
