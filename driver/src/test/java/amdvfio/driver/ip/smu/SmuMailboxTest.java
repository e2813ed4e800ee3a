package amdvfio.driver.ip.smu;

import amdvfio.driver.DeviceLostException;
import amdvfio.sim.SimProfile;
import amdvfio.sim.smu.SmuDialect;
import amdvfio.vfio.unplug.LossReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's SMU mailbox against the simulated PMFW: each status typed, never a hang. */
class SmuMailboxTest {

    static final List<SimProfile> PROFILES = SimProfile.ALL;
    static final Duration TIMEOUT = Duration.ofMillis(200);

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldReadThePmfwVersionOfEveryProfile(SimProfile p) {
        try (SmuRig rig = new SmuRig(p, true, TIMEOUT)) {
            assertEquals(rig.card.smu().dialect().pmfwVersion(),
                    rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0));
            assertEquals(rig.card.smu().dialect().pmfwVersion(),
                    rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0), "the second message waits for the first's answer");
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldGiveUpWithNoResponseOnAColdCard(SimProfile p) {
        amdvfio.driver.firmware.RealFirmware.require(amdvfio.driver.firmware.RealFirmware.manifest(p)); // cold only with its files
        try (SmuRig rig = new SmuRig(p, false, TIMEOUT)) {
            SmuException e = assertThrows(SmuException.class,
                    () -> rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0));
            assertEquals(SmuStatus.NO_RESPONSE, e.status());
            assertTrue(e.getMessage().contains("GetSmuVersion") && e.getMessage().contains("200 ms"), e.getMessage());
        }
    }

    @Test
    void shouldTypeAnUnknownMessage() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI31, true, TIMEOUT)) {
            SmuException e = assertThrows(SmuException.class, () -> rig.mailbox.send("Bogus", 0xFFFF, 0));
            assertEquals(SmuStatus.UNKNOWN_COMMAND, e.status());
            assertEquals(0xFE, e.response());
        }
    }

    @Test
    void shouldTypeAMessageWhosePrerequisitesAreMissing() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI21, true, TIMEOUT)) {
            SmuException e = assertThrows(SmuException.class,
                    () -> rig.mailbox.send("EnableAllSmuFeatures", rig.msgs().enableFeatures(), 0));
            assertEquals(SmuStatus.BAD_PREREQUISITE, e.status());
        }
    }

    @Test
    void shouldTypeAFailedMessage() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI31, true, TIMEOUT)) {
            SmuException e = assertThrows(SmuException.class,
                    () -> rig.mailbox.send("Mode1Reset", rig.msgs().mode1Reset(), 7));
            assertEquals(SmuStatus.FAILED, e.status());
            assertEquals(0, rig.card.mode1Resets());
        }
    }

    @Test
    void shouldTypeBusyWhenAnotherMessageIsStillRunning() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI10, true, TIMEOUT)) {
            rig.card.smu().latencyPolls(5);
            SmuDialect.Mailbox m = rig.card.smu().dialect().regular();
            int message = rig.ctx.bases().base(amdvfio.amdgpu.HwIp.MP1, m.message().segment()) + m.message().offset();
            rig.ctx.regs().write(message, rig.msgs().testMessage()); // someone else's message, still running
            SmuException e = assertThrows(SmuException.class,
                    () -> rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0));
            assertEquals(SmuStatus.BUSY, e.status());
        }
    }

    @Test
    void shouldRefuseAMessageThePmfwDoesNotHaveWithoutTouchingTheCard() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI10, true, TIMEOUT)) {
            SmuException e = assertThrows(SmuException.class,
                    () -> rig.mailbox.send("Mode1Reset", rig.msgs().mode1Reset(), 0));
            assertEquals(SmuStatus.UNKNOWN_COMMAND, e.status());
            assertEquals(0, rig.card.smu().messages());
        }
    }

    @Test
    void shouldEndInDeviceLostWhenTheCardIsPulledDuringAMessage() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI31, true, Duration.ofSeconds(30))) {
            rig.card.smu().hang();
            rig.card.surpriseRemove();
            assertThrows(DeviceLostException.class,
                    () -> rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0));
        }
    }

    @Test
    void shouldEndInDeviceLostWhenARemovalIsReportedDuringAMessage() {
        try (SmuRig rig = new SmuRig(SimProfile.NAVI31, true, Duration.ofSeconds(30))) {
            rig.card.smu().hang(); // the message never gets an answer; only the removal ends the wait
            rig.lifecycle.trigger(LossReason.REQ);
            assertThrows(DeviceLostException.class,
                    () -> rig.mailbox.send("GetSmuVersion", rig.msgs().getSmuVersion(), 0));
        }
    }
}
