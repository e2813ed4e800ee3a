package amdvfio.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.Gpu;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.ip.psp.PspBlocks;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.driver.reset.CardReport;
import amdvfio.driver.reset.CardState;
import amdvfio.driver.reset.ResetMethod;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.sysfs.Sysfs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cold boot and the reset path on a real card bound to vfio-pci: {@code AMDVFIO_TEST_BDF}
 * names it (e.g. {@code 0000:03:00.0}); skipped with the reason otherwise, when the card's profile
 * has no PSP block (all four supported profiles have one), or when linux-firmware is not installed.
 * Each test leaves the card booted and marked clean by this driver. On Navi10/Vega10 the function
 * must have no reset method the kernel would use on release (the reset bug): an HDMI audio function
 * beside the GPU, or an empty {@code reset_method}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealGpuColdBootTest {

    private static final Duration SYSFS = Duration.ofSeconds(30);
    private final Sysfs sysfs = new Sysfs();
    private PciAddress bdf;
    private String profile;

    @BeforeEach
    void requireDevice() {
        String env = System.getenv("AMDVFIO_TEST_BDF");
        Assumptions.assumeTrue(env != null && !env.isBlank(),
                "AMDVFIO_TEST_BDF is not set: no real AMD GPU bound to vfio-pci to boot");
        bdf = PciAddress.parse(env.trim());
        Assumptions.assumeTrue(sysfs.exists(bdf), "AMDVFIO_TEST_BDF=" + bdf + " is not present in sysfs");
        sysfs.bindToVfio(bdf, SYSFS);
        try (PciDevice d = KernelVfio.open(bdf, sysfs)) {
            profile = Probe.identify(d).name();
        }
        Optional<FirmwareManifest> manifest = PspBlocks.manifest(profile);
        Assumptions.assumeTrue(manifest.isPresent(), bdf + " is a " + profile + ", which this driver has no PSP block for");
        FirmwareDirectory dir = FirmwareDirectory.resolve(Optional.empty());
        Assumptions.assumeTrue(manifest.get().files().stream().allMatch(dir::has), "the " + profile + " firmware is not in "
                + dir.path() + ": apt-get install firmware-amd-graphics (bookworm-backports, non-free-firmware)");
    }

    private Gpu open(CardPolicy policy) {
        return Gpu.open(KernelVfio.open(bdf, sysfs), Gpu.Options.DEFAULT, policy);
    }

    /** Whatever state the card is in, a driver that does not reuse it boots it (after a reset if warm). */
    @Test
    void bootsTheCardThroughThePspAndPassesTheRingAndIbTests() {
        try (Gpu gpu = open(CardPolicy.DEFAULT.withReuseWarm(false))) {
            BootReport r = gpu.bootReport();
            log(r);
            assertNotEquals(CardReport.Action.REUSE, r.card().action());
            assertEquals("SOS", r.firmware().getFirst().ucode(), r.firmware().toString());
            assertTrue(r.firmware().stream().anyMatch(f -> f.ucode().equals("SMC")), r.firmware().toString());
            assertTrue(r.smu().running(), "the PMFW the PSP loaded answers: " + r.smu());
            if (profile.equals("navi31")) { // GC 11: SDMA waits for the RLC autoload
                assertTrue(r.steps().stream().anyMatch(s -> s.step().equals("RLC autoload wait")), r.steps().toString());
            }
        }
    }

    /**
     * Warm from someone else (here: our own run, with reuse off, counts as foreign) → mode1 → boot:
     * through the SMU on Navi31 (and Navi21 with PMFW ≥ 58.26), through the PSP on Navi10 and Vega10.
     */
    @Test
    void resetsAWarmCardByMode1AndBootsItAgain() {
        open(CardPolicy.DEFAULT).close(); // booted or reused: the card is warm and its firmware runs
        try (Gpu gpu = open(CardPolicy.DEFAULT.withReuseWarm(false))) {
            BootReport r = gpu.bootReport();
            log(r);
            assertEquals(CardState.WARM_FOREIGN, r.card().found(), r.card().note());
            assertEquals(CardReport.Action.RESET_THEN_BOOT, r.card().action());
            switch (profile) {
                case "navi31" -> assertEquals(ResetMethod.SMU_MODE1, r.card().method());
                case "navi10", "vega10" -> assertEquals(ResetMethod.PSP_MODE1, r.card().method());
                default -> assertNotEquals(ResetMethod.NONE, r.card().method());
            }
            assertFalse(r.firmware().isEmpty());
        }
    }

    private static void log(BootReport r) {
        Logger.getLogger(RealGpuColdBootTest.class.getName()).info(() -> r.card().summary() + "; " + r.total().toMillis()
                + " ms; steps " + r.steps() + "; firmware " + r.firmware());
    }
}
