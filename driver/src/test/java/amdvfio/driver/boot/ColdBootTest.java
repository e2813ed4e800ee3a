package amdvfio.driver.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.Gpu;
import amdvfio.driver.firmware.FirmwareCorruptException;
import amdvfio.driver.firmware.FirmwareDirectory;
import amdvfio.driver.firmware.FirmwareManifest;
import amdvfio.driver.firmware.FirmwareMissingException;
import amdvfio.driver.firmware.RealFirmware;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.driver.reset.CardReport;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.psp.SimColdBoot;
import amdvfio.vfio.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold Navi31 through {@code Gpu.open}: the firmware is read and checked before anything is
 * written to the card (a missing or bad file leaves it untouched), the card is cold again and
 * booted again after every re-plug, and a card left warm by this driver needs no files.
 */
class ColdBootTest {

    private static final PciAddress AT = PciAddress.parse("0000:0c:00.0");
    private static final Gpu.Options FAST = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofSeconds(2), 0x3fff00);

    @TempDir
    Path copy;
    private final SimBus bus = new SimBus();
    private FirmwareDirectory real;

    @BeforeEach
    void copyRealFiles() throws IOException {
        real = RealFirmware.require(FirmwareManifest.NAVI31);
        for (String f : FirmwareManifest.NAVI31.files()) {
            Files.copy(real.path().resolve(f), copy.resolve(f));
        }
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private SimControl plugCold() {
        return bus.plug(AT, SimProfile.NAVI31, SimConfig.defaults().withColdBoot(SimColdBoot.at(real.path())));
    }

    private Gpu open(Path firmwareDir) {
        return Gpu.open(bus.open(AT), FAST, CardPolicy.DEFAULT.withFirmwareDir(firmwareDir));
    }

    @Test
    void aMissingFileIsRefusedNamingFileAndPackageWithNothingWrittenToTheCard() throws IOException {
        Files.delete(copy.resolve("gc_11_0_0_rlc.bin"));
        SimControl card = plugCold();
        FirmwareMissingException e = assertThrows(FirmwareMissingException.class, () -> open(copy));
        assertTrue(e.getMessage().contains("gc_11_0_0_rlc.bin") && e.getMessage().contains("firmware-amd-graphics")
                && e.getMessage().contains("non-free-firmware"), e.getMessage());
        assertEquals(0, card.hostWrites(), "nothing was written to the card");
        assertEquals(0, card.openHandles(), "the device was released");
        assertTrue(card.psp().bootStepsDone().isEmpty());
    }

    @Test
    void aTruncatedFileIsRefusedWithNothingWrittenToTheCard() throws IOException {
        Path f = copy.resolve("sdma_6_0_0.bin");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 0x4000));
        SimControl card = plugCold();
        FirmwareCorruptException e = assertThrows(FirmwareCorruptException.class, () -> open(copy));
        assertTrue(e.getMessage().contains("sdma_6_0_0.bin") && e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(0, card.hostWrites(), "nothing was written to the card");
    }

    @Test
    void aFileOfTheWrongKindIsRefusedWithNothingWrittenToTheCard() throws IOException {
        Files.copy(copy.resolve("gc_11_0_0_mec.bin"), copy.resolve("smu_13_0_0.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SimControl card = plugCold();
        assertThrows(FirmwareCorruptException.class, () -> open(copy));
        assertEquals(0, card.hostWrites(), "nothing was written to the card");
    }

    @Test
    void theSameOpenWithTheFilesBootsTheCardSoTheRefusalsAboveAreAboutTheFiles() {
        SimControl card = plugCold();
        try (Gpu gpu = open(copy)) {
            assertEquals(CardReport.Action.BOOT, gpu.bootReport().card().action());
            assertTrue(card.hostWrites() > 0);
            assertTrue(card.psp().sdmaFirmwareRunning(), card.psp().toString());
        }
    }

    @Test
    void bothHubsGetTheirSystemApertureL1TlbAndL2CacheFromScratch() {
        SimControl card = plugCold();
        try (Gpu gpu = open(real.path())) {
            long fb = card.fbBase();
            for (String[] hub : new String[][] {{"GC", "GCMC_VM_", "GCVM_"}, {"MMHUB", "MMMC_VM_", "MMVM_"}}) {
                var h = amdvfio.amdgpu.HeaderFacts.of(hub[0].equals("GC") ? amdvfio.bindings.amdgpu.gc_11_0_0_h.class
                        : amdvfio.bindings.amdgpu.mmhub_3_0_0_h.class);
                int[] bases = SimProfile.NAVI31.bases(amdvfio.amdgpu.HwIp.valueOf(hub[0]));
                int low = card.peekRegister(h.reg(hub[1] + "SYSTEM_APERTURE_LOW_ADDR").address(bases));
                int high = card.peekRegister(h.reg(hub[1] + "SYSTEM_APERTURE_HIGH_ADDR").address(bases));
                int tlb = card.peekRegister(h.reg(hub[1] + "MX_L1_TLB_CNTL").address(bases));
                int l2 = card.peekRegister(h.reg(hub[2] + "L2_CNTL").address(bases));
                assertEquals(fb >>> 18, Integer.toUnsignedLong(low), hub[0] + ": aperture starts at VRAM");
                assertEquals((fb + (512L << 20) - 1) >>> 18, Integer.toUnsignedLong(high), hub[0] + ": and ends with it");
                assertEquals(1, h.field(hub[1] + "MX_L1_TLB_CNTL", "ENABLE_L1_TLB").get(tlb), hub[0]);
                assertEquals(3, h.field(hub[1] + "MX_L1_TLB_CNTL", "SYSTEM_ACCESS_MODE").get(tlb), hub[0]);
                assertEquals(1, h.field(hub[2] + "L2_CNTL", "ENABLE_L2_CACHE").get(l2), hub[0]);
            }
        }
    }

    @Test
    void aCardWarmFromThisDriverIsReusedEvenWithoutFiles(@TempDir Path empty) {
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.warm());
        try (Gpu gpu = open(empty)) {
            BootReport r = gpu.bootReport();
            assertEquals(CardReport.Action.REUSE, r.card().action(), r.card().note());
            assertEquals(java.util.List.of(), r.firmware());
            assertTrue(r.smu().running());
        }
        assertEquals(0, card.mode1Resets());
    }

    @Test
    void aWarmCardFromAnotherDriverNeedsTheFilesBeforeItIsReset(@TempDir Path empty) {
        SimControl card = plugCold();
        card.pciResetAvailable(false); // vfio's release must not reset it: the card as the test leaves it
        card.startWarm();
        long before = card.hostWrites();
        assertThrows(FirmwareMissingException.class, () -> open(empty));
        assertEquals(0, card.mode1Resets(), "not reset without the files to boot it after");
        assertEquals(before, card.hostWrites());
        assertTrue(card.isWarm());
    }

    @Test
    void everyReplugIsColdAndBootedAgain() {
        plugCold();
        int cycles = 20;
        for (int i = 0; i < cycles; i++) {
            SimControl card = i == 0 ? bus.slot(AT).control() : bus.slot(AT).replug();
            assertFalse(card.psp().sosAlive(), "cycle " + i + ": the re-plugged card is cold");
            try (Gpu gpu = open(real.path())) {
                BootReport r = gpu.bootReport();
                assertEquals(CardReport.Action.BOOT, r.card().action(), "cycle " + i + ": " + r.card().summary());
                assertFalse(r.firmware().isEmpty());
            }
        }
    }

    @Test
    void aModeOneResetOfABootedCardIsFollowedByABootAgain() {
        SimControl card = plugCold();
        card.pciResetAvailable(false);
        card.mode1OfflineTime(Duration.ofMillis(20));
        try (Gpu gpu = open(real.path())) {
            assertEquals(CardReport.Action.BOOT, gpu.bootReport().card().action());
        }
        // a clean close leaves the card warm and ours; without reuse it is reset and booted
        CardPolicy noReuse = CardPolicy.DEFAULT.withFirmwareDir(real.path()).withReuseWarm(false)
                .withMode1Settle(Duration.ZERO);
        try (Gpu gpu = Gpu.open(bus.open(AT), FAST, noReuse)) {
            BootReport r = gpu.bootReport();
            assertEquals(CardReport.Action.RESET_THEN_BOOT, r.card().action(), r.card().summary());
            assertEquals(1, card.mode1Resets());
            assertFalse(r.firmware().isEmpty());
        }
    }

    /** Not an assertion on time: the figures for the closing note, logged. */
    @Test
    void coldBootTimesWithTheFirmwareDelaysOffAndOn() {
        bootMillis(SimColdBoot.at(real.path())); // JIT warm-up: the figures are of a warmed JVM
        long off = bootMillis(SimColdBoot.at(real.path()));
        long on = bootMillis(SimColdBoot.at(real.path()).withIfwiDelay(Duration.ofMillis(100)).withPspDelay(Duration.ofMillis(20)));
        Logger.getLogger(getClass().getName()).info(() -> "simulated Navi31 cold boot through Gpu.open: " + off
                + " ms with firmware delays off, " + on + " ms with IFWI 100 ms and PSP 20 ms");
    }

    private long bootMillis(SimColdBoot cold) {
        bus.plug(AT, SimProfile.NAVI31, SimConfig.defaults().withColdBoot(cold));
        long t0 = System.nanoTime();
        try (Gpu gpu = open(real.path())) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            BootReport r = gpu.bootReport();
            Logger.getLogger(getClass().getName()).info(() -> "boot steps (" + r.total().toMillis() + " ms summed): " + r.steps());
            return ms;
        } finally {
            bus.slot(AT).control().surpriseRemove();
        }
    }
}
