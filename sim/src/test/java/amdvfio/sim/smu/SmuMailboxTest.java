package amdvfio.sim.smu;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMU mailboxes answer as a PMFW does: response codes of smu_cmn.c, only while a PMFW runs. */
class SmuMailboxTest {

    static final PciAddress AT = PciAddress.parse("0000:0c:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private record Card(SimControl control, SimPciDevice dev, SmuProbe smu) {
    }

    private Card plug(SimProfile p, boolean warm) {
        // a Navi31 without its firmware is the cold model (the warm one is left by a run with its PMFW running)
        SimConfig cold = SimConfig.systemColdBoot() != null ? SimConfig.defaults() : SimConfig.warm();
        SimControl c = bus.plug(AT, p, warm ? SimConfig.warm() : cold);
        org.junit.jupiter.api.Assumptions.assumeTrue(warm || !c.smu().running(), "no firmware files for a cold Navi31");
        if (warm) {
            c.startWarm();
        }
        SimPciDevice dev = bus.open(AT);
        return new Card(c, dev, new SmuProbe(dev, p));
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldNotAnswerOnAColdCard(SimProfile p) {
        Card c = plug(p, false);
        c.smu().send(c.smu().dialect().getSmuVersion(), 0);
        assertEquals(0, c.smu().response(100), "no PMFW runs: the response stays 0 (amdgpu: -ETIME)");
        assertEquals(0, c.control().smu().messages());
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldAnswerGetSmuVersionWithTheFirmwareFilesVersion(SimProfile p) {
        Card c = plug(p, true);
        SmuDialect d = c.smu().dialect();
        c.smu().send(d.getSmuVersion(), 0);
        assertEquals(d.results().ok(), c.smu().response(1));
        assertEquals(d.pmfwVersion(), c.smu().argument(), "GetSmuVersion leaves the version in C2PMSG_82");
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldRejectAnUnknownMessage(SimProfile p) {
        Card c = plug(p, true);
        c.smu().send(0xFFFF, 0);
        assertEquals(c.smu().dialect().results().unknownCmd(), c.smu().response(1));
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldRefuseFeaturesBeforeTheDriverTableAndEnableThemAfter(SimProfile p) {
        Card c = plug(p, true);
        SmuDialect d = c.smu().dialect();
        c.smu().send(d.enableFeatures(), 0xFF);
        assertEquals(d.results().rejectedPrereq(), c.smu().response(1));
        assertEquals(0, c.control().smu().enabledFeatures());

        c.smu().send(d.setDriverDramAddrHigh(), 0x80);
        assertEquals(d.results().ok(), c.smu().response(1));
        c.smu().send(d.setDriverDramAddrLow(), 0x0040_0000);
        assertEquals(d.results().ok(), c.smu().response(1));
        c.smu().send(d.enableFeatures(), 0xFF);
        assertEquals(d.results().ok(), c.smu().response(1));
        assertEquals(0x80_0040_0000L, c.control().smu().driverTableAddress());
        assertTrue(c.control().smu().enabledFeatures() != 0);
    }

    @Test
    void shouldRejectAMessageSentWhileThePreviousIsStillRunning() {
        Card c = plug(SimProfile.NAVI21, true);
        SmuDialect d = c.smu().dialect();
        c.control().smu().latencyPolls(3);
        c.smu().send(d.testMessage(), 0);
        assertEquals(0, c.smu().read(d.regular().response()), "still executing");
        c.smu().send(d.getSmuVersion(), 0);
        assertEquals(d.results().rejectedBusy(), c.smu().response(10));
    }

    @Test
    void shouldStayBusyForTheConfiguredPollsThenAnswer() {
        Card c = plug(SimProfile.NAVI10, true);
        SmuDialect d = c.smu().dialect();
        c.control().smu().latencyPolls(2);
        c.smu().send(d.testMessage(), 0);
        assertEquals(0, c.smu().response(2));
        assertEquals(d.results().ok(), c.smu().response(1));
    }

    @Test
    void shouldNeverAnswerOnceHung() {
        Card c = plug(SimProfile.NAVI31, true);
        c.control().smu().hang();
        c.smu().send(c.smu().dialect().testMessage(), 0);
        assertEquals(0, c.smu().response(1000));
    }

    @Test
    void shouldFailMode1WithAnArgumentThePmfwDoesNotTake() {
        Card c = plug(SimProfile.NAVI31, true);
        SmuDialect d = c.smu().dialect();
        c.smu().send(d.mode1Reset(), 7);
        assertEquals(d.results().failed(), c.smu().response(1));
        assertFalse(c.control().isResetting());
        assertEquals(0, c.control().mode1Resets());
    }

    @Test
    void shouldAnswerTheDebugMailboxOnMp1_13_0_0() {
        Card c = plug(SimProfile.NAVI31, true);
        SmuDialect.Mailbox dbg = c.smu().dialect().debug();
        c.smu().write(dbg.response(), 0);
        c.smu().write(dbg.argument(), 0);
        c.smu().write(dbg.message(), SmuDialect.DEBUG_TEST_MESSAGE);
        assertEquals(c.smu().dialect().results().ok(), c.smu().read(dbg.response()));
        c.smu().write(dbg.message(), 0x77);
        c.smu().write(dbg.response(), 0); // amdgpu's debug order: argument, message, then response = 0 (spec §8 C3)
        assertEquals(c.smu().dialect().results().unknownCmd(), c.smu().read(dbg.response()));
    }
}
