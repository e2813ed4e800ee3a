package amdvfio.sim.fault;

import amdvfio.os.EventFd;
import amdvfio.sim.RawGpu;
import amdvfio.sim.RawGpuAccess;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.sim.SlotEmptyException;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.sim.sdma.EngineState;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every injected fault is observable the hardware way: all-ones, eventfds, stuck pointers, lost MSIs. */
class FaultInjectionTest {

    static final PciAddress AT = PciAddress.parse("0000:03:00.0");
    static final SimConfig FAST = SimConfig.warm().withRequestInterval(Duration.ofMillis(50))
            .withSurpriseRequestDelay(Duration.ofMillis(30));

    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void shouldReadAllOnesAndStopEverythingAfterASurpriseRemovalThenSignalReq() throws InterruptedException {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, FAST);
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10); EventFd req = EventFd.create("req")) {
            gpu.dev().enableIrq(IrqType.REQ, List.of(req));
            gpu.writeDeadbeef(0x10);
            card.surpriseRemove();
            assertEquals(0xFFFFFFFF, gpu.dev().mmio(5).read32(FixedRegs.RCC_CONFIG_MEMSIZE * 4L));
            assertEquals(0xFFFF, gpu.dev().config().vendorId());
            assertFalse(gpu.dev().config().isPresent());
            assertEquals(-1, gpu.dev().mmio(0).read32(0));
            long msisBefore = card.ih().msisSignalled();
            gpu.submitTrapNoWait();
            assertTrue(awaitCount(req, 2000) >= 1, "REQ follows the surprise removal");
            assertEquals(msisBefore, card.ih().msisSignalled(), "no interrupt from a removed device");
            assertThrows(SlotEmptyException.class, () -> bus.open(AT));
        }
        assertNotNull(card.requestToRelease());
        assertTrue(card.threads().isEmpty(), "no thread at work: " + card.threads());
        assertTrue(card.awaitThreadsEnded(Duration.ofSeconds(10)), "the threads the release let go ended");
    }

    @Test
    void shouldKeepWorkingAndReSignalReqUntilReleasedOnAnOrderlyRemoval() throws Exception {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, FAST);
        EventFd req = EventFd.create("req");
        var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10);
        gpu.dev().enableIrq(IrqType.REQ, List.of(req));
        card.requestRemoval();
        assertTrue(awaitCount(req, 2000) >= 1);
        // the repeat comes from the model's own timer: wait for the signal, not for a guessed time
        assertTrue(RawGpu.await(() -> card.requestSignals() >= 2, 2000),
                "REQ re-signalled every interval: " + card.requestSignals());
        assertTrue(awaitCount(req, 2000) >= 1, "the repeat reached the eventfd too");
        gpu.writeDeadbeef(0x20); // still works while the removal waits
        assertEquals(512, gpu.dev().mmio(5).read32(FixedRegs.RCC_CONFIG_MEMSIZE * 4L));
        assertThrows(SlotEmptyException.class, () -> bus.open(AT), "the slot no longer offers a device being removed");
        gpu.close();
        req.close();
        Duration d = card.requestToRelease();
        assertNotNull(d);
        assertTrue(d.compareTo(FAST.requestInterval()) >= 0,
                "time from REQ to release recorded, at least the one interval that passed: " + d);
        assertFalse(bus.slot(AT).occupied());
        assertTrue(card.threads().isEmpty());
        assertTrue(card.awaitThreadsEnded(Duration.ofSeconds(10)), "the threads the release let go ended");
    }

    @Test
    void shouldSignalErrOnAnAerErrorAndTakeTheLinkDownWhenFatal() {
        SimControl card = bus.plug(AT, SimProfile.NAVI21, FAST);
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI21); EventFd err = EventFd.create("err")) {
            gpu.dev().enableIrq(IrqType.ERR, List.of(err));
            card.aerError(false);
            assertEquals(1, err.drain());
            assertTrue(card.isPresent(), "a non-fatal error leaves the device working");
            gpu.writeDeadbeef(0x30);
            card.aerError(true);
            assertEquals(1, err.drain());
            assertEquals(0xFFFF, gpu.dev().config().vendorId());
        }
    }

    @Test
    void shouldFreezeTheRptrOfAHungEngineWhileTheDeviceAnswers() {
        SimControl card = bus.plug(AT, SimProfile.NAVI31, FAST);
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI31)) {
            card.hangEngine(0);
            long rptr = gpu.rptrRegister();
            gpu.submitTrapNoWait();
            sleep(100);
            assertEquals(rptr, gpu.rptrRegister(), "no progress");
            assertEquals(0, gpu.statusIdle(), "STATUS_REG.IDLE = 0 while the queue is stuck");
            assertEquals(1024 / 2, gpu.dev().mmio(5).read32(FixedRegs.RCC_CONFIG_MEMSIZE * 4L), "the device answers");
            card.unhangEngine(0);
            assertTrue(gpu.awaitRptr(2000), "progress resumes");
        }
    }

    @Test
    void shouldWriteTheIvButNotSignalTheMsiWhenInterruptsAreLost() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, FAST);
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            card.dropInterrupts(1);
            gpu.submitTrapNoWait();
            assertTrue(gpu.awaitRptr(2000));
            sleep(20);
            assertEquals(1, card.ih().ivsWritten());
            assertEquals(0, gpu.msiCount(), "the MSI was lost");
            assertEquals(1, card.ih().msisDropped());
            gpu.submitTrapNoWait();
            assertTrue(gpu.awaitMsi(), "the next one arrives");
        }
    }

    @Test
    void shouldPutAFreshDeviceInTheSlotOnReplugWhileStaleHandlesSeeAllOnes() {
        SimControl old = bus.plug(AT, SimProfile.NAVI10, FAST);
        SimPciDevice stale = bus.open(AT);
        old.vram().set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 0x5A5A5A5A);
        stale.mmio(5).write32(0x1260L * 4 + 0x80 * 4, 0x17);
        SimControl fresh = bus.slot(AT).replug();
        assertEquals(0xFFFFFFFF, stale.mmio(5).read32(0));
        assertEquals(0xFFFF, stale.config().vendorId());
        stale.mmio(2).write64(0x800, 16); // a doorbell to a gone device: dropped, no crash
        try (SimPciDevice dev = bus.open(AT)) {
            assertEquals(0x1002, dev.config().vendorId());
            assertEquals(0, dev.mmio(0).read32(0), "new VRAM");
            assertEquals(0, dev.mmio(5).read32(0x1260L * 4 + 0x80 * 4), "reset registers");
            assertTrue(fresh.isPresent());
        }
        stale.close();
        assertThrows(amdvfio.vfio.DeviceClosedException.class, () -> stale.mmio(5));
    }

    private static long awaitCount(EventFd fd, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        long n = 0;
        while (n == 0 && System.currentTimeMillis() < deadline) {
            n = fd.drain();
            sleep(2);
        }
        return n;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unused")
    private static EngineState unused() {
        return null;
    }
}
