package amdvfio.driver.reset;

import java.time.Duration;

/**
 * What the probe found on the card and what it did about it, for {@code info}, the demo and
 * {@code --json}.
 *
 * @param found      the state at probe
 * @param signature  the registers that said so
 * @param action     boot, reuse, or reset then boot
 * @param method     the reset used ({@link ResetMethod#NONE} if none)
 * @param resetTime  how long the reset took, from the request to the card being back and ready
 * @param note       why, in one sentence
 */
public record CardReport(CardState found, CardSignature signature, Action action, ResetMethod method,
                         Duration resetTime, String note) {

    public enum Action {
        /** Cold: the boot pipeline loads the firmware. */
        BOOT,
        /** Warm from our own clean shutdown and sane: used as it is. */
        REUSE,
        /** Warm from something else: reset, then booted as a cold card. */
        RESET_THEN_BOOT
    }

    /** One line for people: "warm from another driver or an unclean shutdown → SMU_MODE1 reset (512 ms), booted". */
    public String summary() {
        return switch (action) {
            case BOOT -> found.describe() + " → boot";
            case REUSE -> found.describe() + " → reused";
            case RESET_THEN_BOOT -> found.describe() + " → " + method + " reset (" + resetTime.toMillis() + " ms) → boot";
        };
    }
}
