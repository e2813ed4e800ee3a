package amdvfio.driver.reset;

/** What the driver found on the card at probe (spec amd-cold-boot.md §5.1). */
public enum CardState {
    /** No sOS, PSP bootloader ready: fresh power-up, or after a reset. Boot it. */
    COLD("cold"),
    /** Firmware runs, left by an earlier run of this driver that ended cleanly, and it answers: reuse it. */
    WARM_OURS("warm from this driver's clean shutdown"),
    /** Firmware runs and this driver did not leave it cleanly (amdgpu, AM, a crash of ours): reset it. */
    WARM_FOREIGN("warm from another driver or an unclean shutdown"),
    /** No sOS and the PSP bootloader never becomes ready: the "AMD reset bug", or a card that failed to start. */
    WEDGED("wedged");

    private final String describe;

    CardState(String describe) {
        this.describe = describe;
    }

    public String describe() {
        return describe;
    }
}
