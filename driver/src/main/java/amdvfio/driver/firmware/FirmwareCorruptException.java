package amdvfio.driver.firmware;

import java.nio.file.Path;

/**
 * A firmware file is there but is not what its name promises: truncated (shorter than its header
 * says), a header that points outside the file, or the wrong type (another IP, another header
 * version, a component the PSP needs absent).
 */
public final class FirmwareCorruptException extends FirmwareException {

    private static final long serialVersionUID = 1L;

    FirmwareCorruptException(Path file, String problem) {
        super(file, problem);
    }
}
