package amdvfio.driver.boot;

import java.time.Duration;

/**
 * One timed step of bringing the card up, in the order it ran.
 *
 * @param block the IP block that ran it (amdgpu's name: "psp_v13_0", "sdma_v6_0")
 * @param step  what it did ("hw_init", "LOAD_IP_FW SDMA0", "ring test")
 * @param time  how long it took
 */
public record BootStep(String block, String step, Duration time) {
}
