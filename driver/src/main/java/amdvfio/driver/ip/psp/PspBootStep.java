package amdvfio.driver.ip.psp;

/** One timed step of the PSP's part of a cold boot, for the boot timeline ("SOS", "LOAD_IP_FW SMC"…). */
public record PspBootStep(String name, long nanos) {
}
