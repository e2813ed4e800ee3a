package amdvfio.driver.reset;

import amdvfio.driver.firmware.FirmwareDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Budgets and choices of the card-state step.
 *
 * @param bootloaderWait how long a card without sOS may take to show the PSP bootloader ready
 *                       before it counts as wedged (amdgpu's {@code psp_v*_wait_for_bootloader}:
 *                       up to ~1-2 s after power-up or a reset)
 * @param smuTimeout     how long one SMU message may take (amdgpu: {@code usec_timeout * 20} polls, ~2 s)
 * @param mode1Settle    how long to leave the card alone after it accepted a mode1 reset (amdgpu: 500 ms)
 * @param resetReturn    how long the card may stay off the bus after that before it counts as gone
 *                       (vendor-reset polls up to 100 × 100 ms)
 * @param reuseWarm      reuse a card left cleanly by this driver instead of resetting it
 * @param firmwareDir    where amdgpu's firmware files are when the card must be booted; null:
 *                       {@link FirmwareDirectory#resolve} ({@value FirmwareDirectory#ENV}, else
 *                       {@value FirmwareDirectory#DEFAULT}). Read only when the card needs a boot.
 */
public record CardPolicy(Duration bootloaderWait, Duration smuTimeout, Duration mode1Settle, Duration resetReturn,
                         boolean reuseWarm, Path firmwareDir) {

    public static final CardPolicy DEFAULT = new CardPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofMillis(500), Duration.ofSeconds(10), true, null);

    public CardPolicy {
        for (Duration d : new Duration[] {bootloaderWait, smuTimeout, mode1Settle, resetReturn}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("card policy durations must be >= 0: " + d);
            }
        }
    }

    public CardPolicy withMode1Settle(Duration d) {
        return new CardPolicy(bootloaderWait, smuTimeout, d, resetReturn, reuseWarm, firmwareDir);
    }

    public CardPolicy withBootloaderWait(Duration d) {
        return new CardPolicy(d, smuTimeout, mode1Settle, resetReturn, reuseWarm, firmwareDir);
    }

    public CardPolicy withSmuTimeout(Duration d) {
        return new CardPolicy(bootloaderWait, d, mode1Settle, resetReturn, reuseWarm, firmwareDir);
    }

    public CardPolicy withResetReturn(Duration d) {
        return new CardPolicy(bootloaderWait, smuTimeout, mode1Settle, d, reuseWarm, firmwareDir);
    }

    public CardPolicy withFirmwareDir(Path dir) {
        return new CardPolicy(bootloaderWait, smuTimeout, mode1Settle, resetReturn, reuseWarm, dir);
    }

    /** The firmware directory this policy reads from. */
    public FirmwareDirectory firmware() {
        return FirmwareDirectory.resolve(Optional.ofNullable(firmwareDir));
    }

    public CardPolicy withReuseWarm(boolean reuse) {
        return new CardPolicy(bootloaderWait, smuTimeout, mode1Settle, resetReturn, reuse, firmwareDir);
    }
}
