package amdvfio.driver.reset;

import amdvfio.driver.Gpu;
import amdvfio.driver.ip.smu.SmuException;
import amdvfio.driver.ip.smu.SmuStatus;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.HwIp;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cold, warm-ours, warm-foreign and wedged cards at probe, on every profile: what is found and done. */
class CardStateTest {

    static final PciAddress AT = PciAddress.parse("0000:0f:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    static final List<SimProfile> SMU_RESET = List.of(SimProfile.NAVI21, SimProfile.NAVI31);
    static final List<SimProfile> PSP_RESET = List.of(SimProfile.VEGA10, SimProfile.NAVI10);
    static final Gpu.Options OPTIONS = new Gpu.Options(Duration.ofSeconds(2), Duration.ofMillis(100),
            Duration.ofSeconds(2), 0x3fff00);
    static final CardPolicy POLICY = CardPolicy.DEFAULT.withMode1Settle(Duration.ZERO)
            .withBootloaderWait(Duration.ofMillis(200)).withSmuTimeout(Duration.ofMillis(200));

    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    /**
     * The default card is cold only with its firmware files installed, and a card warm from
     * another driver is booted after its reset: every test here needs the files.
     */
    private SimControl plug(SimProfile p) {
        amdvfio.driver.firmware.RealFirmware.require(amdvfio.driver.firmware.RealFirmware.manifest(p));
        SimControl c = bus.plug(AT, p, SimConfig.defaults());
        c.mode1OfflineTime(Duration.ofMillis(20));
        return c;
    }

    private Gpu open() {
        return Gpu.open(bus.open(AT), OPTIONS, POLICY);
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldBootACardThatIsCold(SimProfile p) {
        SimControl card = plug(p);
        try (Gpu gpu = open()) {
            CardReport r = gpu.cardReport();
            assertEquals(CardState.COLD, r.found());
            assertEquals(CardReport.Action.BOOT, r.action());
            assertEquals(ResetMethod.NONE, r.method());
            assertTrue(card.psp().cold() && gpu.smuReport().running(), "the PMFW runs once the PSP loaded it");
        }
        assertEquals(0, card.mode1Resets());
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldReuseACardItLeftCleanlyAndInitTheSmu(SimProfile p) {
        SimControl card = plug(p);
        card.pciResetAvailable(false); // vfio's release must not reset it between the runs
        open().close();
        card.startWarm(); // the firmware the boot pipeline loads during that run
        try (Gpu gpu = open()) {
            CardReport r = gpu.cardReport();
            assertEquals(CardState.WARM_OURS, r.found(), r.note());
            assertEquals(CardReport.Action.REUSE, r.action());
            assertTrue(gpu.smuReport().running());
            assertEquals(card.smu().dialect().pmfwVersion(), gpu.smuReport().pmfwVersion());
            assertEquals(gpu.smuReport().driverTable(), card.smu().driverTableAddress(), "the PMFW knows the driver table");
            assertEquals(!p.name().equals("Vega10"), card.smu().enabledFeatures() != 0, "features on (not on Vega10)");
        }
        assertEquals(0, card.mode1Resets());
        assertEquals(0, card.pciResets());
    }

    @ParameterizedTest
    @FieldSource("SMU_RESET")
    void shouldResetACardWarmFromAnotherDriverThroughTheSmu(SimProfile p) {
        SimControl card = plug(p);
        card.startWarm();
        try (Gpu gpu = open()) {
            CardReport r = gpu.cardReport();
            assertEquals(CardState.WARM_FOREIGN, r.found());
            assertEquals(CardReport.Action.RESET_THEN_BOOT, r.action());
            assertEquals(ResetMethod.SMU_MODE1, r.method());
            assertTrue(r.summary().contains("SMU_MODE1"), r.summary());
            assertEquals(1, card.mode1Resets());
            assertEquals(0, card.pciResets(), "never a PCI reset");
            if (card.psp().cold()) { // mode1 left it cold, and the PSP booted it again
                assertTrue(card.psp().sosAlive() && card.psp().sdmaFirmwareRunning(), card.psp().toString());
            } else {
                assertFalse(card.isWarm(), "mode1 left the card cold");
            }
            try (SimPciDevice probe = bus.open(AT)) { // closed: a handle left open keeps the card (and its threads) alive
                assertTrue(probe.config().isBusMaster(), "bus mastering is back on after the reset");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SMU_RESET")
    void shouldResetACardThisDriverDidNotLeaveCleanly(SimProfile p) {
        SimControl card = plug(p);
        card.pciResetAvailable(false);
        try (SimPciDevice raw = bus.open(AT)) { // a run of ours that died: the marker says "running"
            raw.mmio(5).write32(4L * scratch(p, 7), RunMarker.MARKER);
            raw.mmio(5).write32(4L * scratch(p, 6), RunMarker.RUNNING);
        }
        card.startWarm();
        try (Gpu gpu = open()) {
            assertEquals(CardState.WARM_FOREIGN, gpu.cardReport().found());
            assertTrue(gpu.cardReport().note().contains("did not shut down cleanly"), gpu.cardReport().note());
            assertEquals(1, card.mode1Resets());
        }
    }

    @ParameterizedTest
    @FieldSource("PSP_RESET")
    void shouldResetACardWarmFromAnotherDriverThroughThePsp(SimProfile p) {
        SimControl card = plug(p);
        card.pciResetAvailable(false);
        card.startWarm();
        try (Gpu gpu = open()) {
            CardReport r = gpu.cardReport();
            assertEquals(CardState.WARM_FOREIGN, r.found());
            assertEquals(CardReport.Action.RESET_THEN_BOOT, r.action());
            assertEquals(ResetMethod.PSP_MODE1, r.method());
        }
        assertEquals(1, card.mode1Resets());
        assertEquals(0, card.pciResets(), "never a PCI reset on Navi10/Vega10");
        assertFalse(card.isWedged());
    }

    /** psp_v11_0/psp_v3_1_mode1_reset: "psp is not working correctly before mode1 reset!" — nothing is reset. */
    @ParameterizedTest
    @FieldSource("PSP_RESET")
    void shouldRefuseAPspMode1WhenTheSosDoesNotAnswer(SimProfile p) {
        SimControl card = plug(p);
        card.pciResetAvailable(false);
        card.startWarm();
        try (SimPciDevice raw = bus.open(AT)) { // the sOS reports an error on its ring control register
            raw.mmio(5).write32(4L * mp0(p, CardRegisters.of(amdvfio.driver.ip.smu.SmuRigAccess.asic(p)).ringControl()), 1);
        }
        ResetUnavailableException e = assertThrows(ResetUnavailableException.class, this::open);
        assertTrue(e.getMessage().contains("psp is not working correctly") && e.getMessage().contains("Nothing was reset"),
                e.getMessage());
        assertEquals(0, card.mode1Resets());
        assertTrue(card.isWarm());
        assertEquals(0, card.openHandles(), "the device was released");
    }

    /** amdgpu_device_mode1_reset: a Sienna Cichlid PMFW older than 58.26 has no SMU mode1, so the PSP resets it. */
    @Test
    void shouldFallBackToThePspWhenNavi21sPmfwIsTooOldForItsMode1() {
        SimControl card = plug(SimProfile.NAVI21);
        card.pciResetAvailable(false);
        card.startWarm();
        card.smu().loadPmfw(0x003A0000); // 58.0
        try (Gpu gpu = open()) {
            assertEquals(ResetMethod.PSP_MODE1, gpu.cardReport().method());
        }
        assertEquals(1, card.mode1Resets());
    }

    private static int mp0(SimProfile p, amdvfio.amdgpu.Reg r) {
        return p.ip(HwIp.MP0).bases()[r.segment()] + r.offset();
    }

    @ParameterizedTest
    @FieldSource("PSP_RESET")
    void shouldRefuseAWedgedCardAndSayWhatToDo(SimProfile p) {
        SimControl card = plug(p);
        card.startWarm();
        bus.open(AT).close(); // vfio-pci resets the function on release: the reset bug
        assertTrue(card.isWedged());
        CardWedgedException e = assertThrows(CardWedgedException.class, this::open);
        assertTrue(e.getMessage().contains("vendor-reset"), e.getMessage());
        assertTrue(e.getMessage().contains("Power-cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("reset bug"), e.getMessage());
        assertEquals(2, card.pciResets(), "only vfio's releases reset the function, never the driver");
    }

    @Test
    void shouldFailTypedWhenTheSmuOfAWarmCardDoesNotAnswer() {
        SimControl card = plug(SimProfile.NAVI31);
        card.pciResetAvailable(false);
        card.startWarm();
        card.smu().hang();
        SmuException e = assertThrows(SmuException.class, this::open);
        assertEquals(SmuStatus.NO_RESPONSE, e.status());
        assertEquals(0, card.mode1Resets());
        assertEquals(0, card.pciResets());
        assertTrue(card.isWarm(), "nothing was reset");
    }

    @Test
    void shouldMarkTheCardCleanOnCloseAndRunningMeanwhile() {
        SimControl card = plug(SimProfile.NAVI31);
        card.pciResetAvailable(false);
        Gpu gpu = open();
        assertEquals(RunMarker.MARKER, card.peekRegister(scratch(SimProfile.NAVI31, 7)));
        assertEquals(RunMarker.RUNNING, card.peekRegister(scratch(SimProfile.NAVI31, 6)));
        gpu.close();
        assertEquals(RunMarker.CLEAN, card.peekRegister(scratch(SimProfile.NAVI31, 6)));
    }

    /** SCRATCH_REG6/7 as the driver addresses them (generated offsets, GC segment base). */
    private static int scratch(SimProfile p, int n) {
        CardRegisters r = CardRegisters.of(amdvfio.driver.ip.smu.SmuRigAccess.asic(p));
        return (n == 6 ? r.scratch6() : r.scratch7()).address(p.ip(HwIp.GC).bases());
    }
}
