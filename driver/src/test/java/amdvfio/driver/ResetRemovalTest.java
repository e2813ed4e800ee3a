package amdvfio.driver;

import amdvfio.driver.reset.CardPolicy;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A removal while the probe resets a warm Navi31 ends in DeviceLostException and releases the device. */
class ResetRemovalTest {

    static final PciAddress AT = PciAddress.parse("0000:10:00.0");
    /** The BAR5 store that sends Mode1Reset: GetSmuVersion's three (response, argument, message), then Mode1Reset's. */
    static final int MODE1_MESSAGE_STORE = 6;
    /** Long enough that only the removal can end the wait: the card stays off the bus for a minute. */
    static final CardPolicy POLICY = CardPolicy.DEFAULT.withMode1Settle(Duration.ZERO)
            .withResetReturn(Duration.ofSeconds(60)).withSmuTimeout(Duration.ofSeconds(60));

    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    /** Warm from another driver: the driver resets it and then boots it, so the firmware files must be there. */
    private SimControl warmNavi31() {
        amdvfio.driver.firmware.RealFirmware.require(amdvfio.driver.firmware.FirmwareManifest.NAVI31);
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.defaults().withSurpriseRequestDelay(Duration.ZERO));
        card.mode1OfflineTime(Duration.ofSeconds(60));
        card.startWarm();
        return card;
    }

    @Test
    void shouldEndInDeviceLostWhenTheCardIsPulledAsTheResetIsSent() {
        SimControl card = warmNavi31();
        var dev = RemovalDuringProbe.atStore(bus.open(AT), MODE1_MESSAGE_STORE, card::surpriseRemove);
        DeviceLostException e = assertThrows(DeviceLostException.class, () -> Gpu.open(dev, SimFixture.FAST, POLICY));
        assertTrue(e.getMessage().contains("Mode1Reset") || e.getMessage().contains("removed"), e.getMessage());
        assertEquals(0, card.openHandles(), "the device was released");
        assertEquals(0, card.mode1Resets(), "the reset never reached the card");
    }

    @Test
    void shouldEndInDeviceLostWhenTheCardIsRemovedWhileOffTheBus() {
        SimControl card = warmNavi31();
        // REQ is signalled just before the message store; an orderly removal still lets it reach the card
        var dev = RemovalDuringProbe.atStore(bus.open(AT), MODE1_MESSAGE_STORE, card::requestRemoval);
        DeviceLostException e = assertThrows(DeviceLostException.class, () -> Gpu.open(dev, SimFixture.FAST, POLICY));
        assertTrue(e.getMessage().contains("removed while waiting for"), e.getMessage()); // the settle or the return
        assertEquals(1, card.mode1Resets(), "the removal came while the card was resetting");
        assertEquals(0, card.openHandles(), "the device was released");
    }
}
