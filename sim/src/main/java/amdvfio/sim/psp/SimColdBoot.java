package amdvfio.sim.psp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A card that starts cold: no sOS, no SMU or SDMA firmware, until a driver boots it through the
 * PSP (spec amd-cold-boot.md §9). The PSP checks every payload against the real firmware files
 * in {@code firmwareDir}, as the real one checks signatures.
 *
 * @param firmwareDir where amdgpu's {@code .bin} files are (normally /lib/firmware/amdgpu)
 * @param ifwiDelay   how long after power-up or reset MP0 C2PMSG_33 bit 31 stays clear
 *                    (real cards: 60–100 ms, up to 1 s over USB4, amdgpu_discovery.c)
 * @param pspDelay    how long each bootloader command and each ring control command keeps its
 *                    ready bit clear (amdgpu allows for about 20 ms: the mdelay(20) after SOS and
 *                    ring create in psp_v13_0.c); the sOS's sign of life appears after it too
 */
public record SimColdBoot(Path firmwareDir, Duration ifwiDelay, Duration pspDelay) {

    public SimColdBoot {
        Objects.requireNonNull(firmwareDir, "firmwareDir");
        if (ifwiDelay.isNegative() || pspDelay.isNegative()) {
            throw new IllegalArgumentException("negative delay: IFWI " + ifwiDelay + ", PSP " + pspDelay);
        }
    }

    public static SimColdBoot at(Path firmwareDir) {
        return new SimColdBoot(firmwareDir, Duration.ZERO, Duration.ZERO);
    }

    public SimColdBoot withIfwiDelay(Duration d) {
        return new SimColdBoot(firmwareDir, d, pspDelay);
    }

    public SimColdBoot withPspDelay(Duration d) {
        return new SimColdBoot(firmwareDir, ifwiDelay, d);
    }
}
