package amdvfio.driver.firmware;

import amdvfio.driver.GpuException;
import java.nio.file.Path;

/**
 * A firmware file the cold boot needs is unusable. Raised while the files are read, before
 * anything touches the card (amdgpu fails {@code sw_init} the same way, e.g. {@code psp_sw_init}
 * when {@code <chip>_sos.bin} is missing). The message names the file and the package to install.
 */
public abstract sealed class FirmwareException extends GpuException
        permits FirmwareMissingException, FirmwareCorruptException {

    private static final long serialVersionUID = 1L;

    /** Where the files come from (spec amd-cold-boot.md §0 "FW", §3.2). */
    public static final String INSTALL_HINT = "install the linux-firmware AMD files: apt-get install firmware-amd-graphics"
            + " (Debian bookworm-backports, component non-free-firmware), or point --firmware-dir / "
            + FirmwareDirectory.ENV + " at a directory holding them";

    private final transient Path file;

    FirmwareException(Path file, String problem) {
        super(file + ": " + problem + "; " + INSTALL_HINT);
        this.file = file;
    }

    /** The file that was missing or bad. */
    public Path file() {
        return file;
    }
}
