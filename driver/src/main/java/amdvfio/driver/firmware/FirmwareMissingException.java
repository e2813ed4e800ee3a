package amdvfio.driver.firmware;

import java.nio.file.Path;

/** A firmware file is not there or cannot be read. */
public final class FirmwareMissingException extends FirmwareException {

    private static final long serialVersionUID = 1L;

    FirmwareMissingException(Path file, String problem) {
        super(file, problem);
    }
}
