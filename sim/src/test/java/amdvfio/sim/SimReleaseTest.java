package amdvfio.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.vfio.PciAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The device's release (the last handle's close, vfio's {@code close_device}) returns without
 * joining the engine threads, so the driver's measured release pays only for what the kernel
 * waits for. That must not make the model dishonest: from the release on, no engine reaches
 * VRAM or host memory, even one parked in the middle of a packet whose condition comes true
 * after the release.
 */
class SimReleaseTest {

    static final PciAddress AT = PciAddress.parse("0000:0b:00.0");
    static final long FLAG = 48L << 20;
    static final long TARGET = FLAG + 4096;
    static final long IB = FLAG + 8192;
    static final int PATTERN = 0xA1B2C3D4;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        SimGpu.testEnginesOutliveRelease = false;
        bus.close();
    }

    @Test
    void shouldReachNoMemoryAfterTheReleaseThoughAPacketWasInFlight() throws Exception {
        releaseMidPollAndCheck();
    }

    @Test
    void shouldCatchAnEngineThatKeepsRunningAfterTheRelease() {
        SimGpu.testEnginesOutliveRelease = true;
        AssertionFailedError e = assertThrows(AssertionFailedError.class, this::releaseMidPollAndCheck);
        assertTrue(e.getMessage().contains("VRAM written after the release"), e.getMessage());
    }

    /**
     * SDMA0 runs an IB in VRAM: POLL_REGMEM until a VRAM flag reads 1, then CONST_FILL a VRAM
     * target. The device is released while the engine is parked in the poll; the flag is set
     * only after the release, so any fill of the target is an access after the release.
     */
    private void releaseMidPollAndCheck() throws Exception {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        MemorySegment vram = card.vram();
        vram.set(ValueLayout.JAVA_INT, FLAG, 0);
        vram.set(ValueLayout.JAVA_INT, TARGET, 0);
        long flag = card.fbBase() + FLAG;
        long target = card.fbBase() + TARGET;
        int[] ib = {0xB0000008, lo(flag), hi(flag), 1, 0xFFFFFFFF, 0x0FFF0004, // POLL_REGMEM mem == 1, forever
            0x8000000B, lo(target), hi(target), PATTERN, 63, 0, 0, 0, 0, 0};   // CONST_FILL 64 bytes, NOP pad
        for (int i = 0; i < ib.length; i++) {
            vram.set(ValueLayout.JAVA_INT, IB + i * 4L, ib[i]);
        }
        RawGpuAccess gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10);
        try {
            while ((gpu.wptr() / 4) % 8 != 2) { // sdma_v*_ring_emit_ib: (2 - wptr) & 7 NOPs
                gpu.emit(0);
            }
            long ibAddr = card.fbBase() + IB;
            gpu.emit(0x4, lo(ibAddr), hi(ibAddr), ib.length, 0, 0).commit();
            Thread engine = card.threads().stream().filter(t -> t.getName().startsWith("amdvfio-sim-sdma0@"))
                    .findFirst().orElseThrow();
            // parked inside the POLL_REGMEM of the IB — its stack says so; a TIMED_WAITING engine
            // may also be sleeping between wptr polls, before it fetched the IB at all
            assertTrue(RawGpu.await(() -> engine.getState() == Thread.State.TIMED_WAITING && inPoll(engine), 5000),
                    "SDMA0 parked inside the poll: " + card.engine(0));

            gpu.dev().close(); // the release
            vram.set(ValueLayout.JAVA_INT, FLAG, 1);

            assertTrue(RawGpu.await(() -> !engine.isAlive() || vram.get(ValueLayout.JAVA_INT, TARGET) != 0, 5000),
                    "the engine neither ended nor went on: " + engine.getState());
            assertEquals(0, vram.get(ValueLayout.JAVA_INT, TARGET), "VRAM written after the release");
            assertFalse(engine.isAlive(), "the halted engine's thread ended by itself");
            assertEquals(List.of(), card.faults(), "winding down is no driver error");
        } finally {
            gpu.close();
        }
    }

    @Test
    void shouldRunAgainOnTheNextOpenAfterAReleaseThatJoinedNothing() throws Exception {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        for (int round = 0; round < 3; round++) {
            try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
                gpu.writeDeadbeef(0x40 * round); // a copy through the engine: it runs, it reaches memory
            }
        }
        assertTrue(card.awaitThreadsEnded(Duration.ofSeconds(10)));
        assertEquals(List.of(), card.faults());
    }

    private static boolean inPoll(Thread engine) {
        for (StackTraceElement f : engine.getStackTrace()) {
            if (f.getClassName().endsWith("PacketExecutor") && f.getMethodName().equals("poll")) {
                return true;
            }
        }
        return false;
    }

    private static int lo(long a) {
        return (int) a;
    }

    private static int hi(long a) {
        return (int) (a >>> 32);
    }
}
