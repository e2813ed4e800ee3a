package amdvfio.driver.firmware;

import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The system's linux-firmware for tests: present → the directory; absent → the test is skipped
 * with the one-line install hint, except under CI ({@code CI=true}), where {@code .ci/run}
 * installs the package and an absence is a failure.
 */
public final class RealFirmware {

    private RealFirmware() {
    }

    /** The manifest of a simulated profile's chip. */
    public static FirmwareManifest manifest(amdvfio.sim.SimProfile p) {
        return switch (p.name()) {
            case "Navi31" -> FirmwareManifest.NAVI31;
            case "Navi21" -> FirmwareManifest.NAVI21;
            case "Navi10" -> FirmwareManifest.NAVI10;
            case "Vega10" -> FirmwareManifest.VEGA10;
            default -> throw new IllegalArgumentException("no firmware manifest for " + p.name());
        };
    }

    public static FirmwareDirectory require(FirmwareManifest manifest) {
        FirmwareDirectory dir = FirmwareDirectory.resolve(Optional.empty());
        for (String f : manifest.files()) {
            if (!dir.has(f)) {
                String why = dir.path().resolve(f) + " is missing; " + FirmwareException.INSTALL_HINT;
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
        return dir;
    }
}
