package amdvfio.driver.boot;

import amdvfio.driver.ip.smu.SmuReport;
import amdvfio.driver.reset.CardReport;
import java.time.Duration;
import java.util.List;

/**
 * How {@code Gpu.open} brought the card up, for the demo's timeline, {@code info} and
 * {@code --json}: what state the card was found in and what was done about it, every boot step
 * with its time, and the firmware that runs now.
 *
 * @param card     cold, warm or wedged, and boot, reuse or reset-then-boot
 * @param steps    every step in the order it ran
 * @param firmware the images loaded by this boot (empty when a warm card was reused)
 * @param smu      the SMU's state and PMFW version after the boot
 */
public record BootReport(CardReport card, List<BootStep> steps, List<LoadedFirmware> firmware, SmuReport smu) {

    public BootReport {
        steps = List.copyOf(steps);
        firmware = List.copyOf(firmware);
    }

    /** The sum of the steps' times. */
    public Duration total() {
        Duration t = Duration.ZERO;
        for (BootStep s : steps) {
            t = t.plus(s.time());
        }
        return t;
    }
}
