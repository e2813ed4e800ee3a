package amdvfio.sim.sdma;

import amdvfio.amdgpu.SdmaPackets;
import amdvfio.sim.RawGpu;
import amdvfio.sim.RawGpuAccess;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NOPs are retired in runs ({@link NopRun}): whatever shape the runs take — across the ring's
 * wrap, a NOP longer than one fetch, NOPs with payloads straddling fetches, other packets between
 * them — every packet is counted once, the rptr lands on the wptr, and the packets between the
 * NOPs still run.
 */
class NopRunTest {

    static final PciAddress AT = PciAddress.parse("0000:07:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldCountEveryNopOnceAndRunThePacketsBetweenThemAcrossTheRingWrap(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), p)) {
            SdmaPackets k = p.sdma().packets();
            // two rounds of ~1 300 dwords in a 2 048-dword ring: the second crosses its end
            for (int round = 1; round <= 2; round++) {
                long before = card.engine(0).packets();
                long dst = gpu.gart(RawGpu.DATA + round * 4L);
                long fence = gpu.gart(RawGpu.FENCE);
                int sent = nops(gpu, k, 600, 0)
                        + nops(gpu, k, 1, 300)                        // 301 dwords: longer than a fetch
                        + nops(gpu, k, 50, 2)                         // 3 dwords each: some straddle fetches
                        + packet(gpu, k.header(k.opWrite, k.subopWriteLinear), (int) dst, (int) (dst >>> 32), 0,
                                0xC0DE0000 | round) // WRITE_LINEAR
                        + nops(gpu, k, 255, 0)
                        + packet(gpu, gpu.raw().fenceHeader(), (int) fence, (int) (fence >>> 32), round);
                sent += commitCountingPadding(gpu);
                awaitFenceAndIdle(gpu, card, round);
                EngineState s = card.engine(0);
                assertEquals(SdmaError.NONE, s.error(), s.toString());
                assertEquals(gpu.wptr(), s.rptr(), "rptr on the wptr");
                assertEquals(sent, s.packets() - before, "packets executed in round " + round);
                assertEquals(0xC0DE0000 | round, gpu.hostInt(RawGpu.DATA + round * 4L), "the WRITE_LINEAR between the NOPs ran");
            }
            assertTrue(gpu.wptr() / 4 > RawGpu.RING_DWORDS, "the submissions wrapped the ring");
            assertEquals(List.of(), card.strictViolations());
        }
    }

    /**
     * A NOP whose payload runs past the wptr is not retired: the engine waits for the rest (its
     * rptr stays on the NOP; retiring it would put the rptr beyond the wptr), and the dwords
     * committed in between (commit's padding) are its payload, not packets.
     */
    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldWaitForTheRestOfANopThatEndsPastTheWptr(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), p)) {
            SdmaPackets k = p.sdma().packets();
            long before = card.engine(0).packets();
            long start = gpu.wptr();
            gpu.emit(k.nopCount.set(k.header(k.opNop, 0), 600)).commit(); // 601 dwords; commit pads to ≤ 256
            long committed = (gpu.wptr() - start) / 4;
            assertTrue(committed < 601, "the NOP is incomplete at the first doorbell");
            // strict mode reports the stall: from then on the engine waits, its rptr on the NOP
            assertTrue(RawGpu.await(() -> card.strictViolations().stream()
                    .anyMatch(v -> v.rule().equals("wptr inside a packet")), 5000), card.engine(0).toString());
            assertEquals(start, card.engine(0).rptr(), "the incomplete NOP is not retired");
            for (long i = committed; i < 601; i++) {
                gpu.emit(0);
            }
            long fence = gpu.gart(RawGpu.FENCE);
            gpu.emit(gpu.raw().fenceHeader(), (int) fence, (int) (fence >>> 32), 9);
            long sent = 2 + commitCountingPadding(gpu); // the NOP, the FENCE, the padding after it
            awaitFenceAndIdle(gpu, card, 9);
            assertEquals(gpu.wptr(), card.engine(0).rptr());
            assertEquals(sent, card.engine(0).packets() - before, "packets executed");
        }
    }

    /** Commits; returns the dwords of NOP padding commit added, each a packet of its own. */
    private static int commitCountingPadding(RawGpuAccess gpu) {
        long unpadded = gpu.wptr();
        gpu.commit();
        return (int) ((gpu.wptr() - unpadded) / 4);
    }

    /** Waits until the FENCE wrote {@code seq} and engine 0 is idle. */
    private static void awaitFenceAndIdle(RawGpuAccess gpu, SimControl card, int seq) {
        assertTrue(RawGpu.await(() -> gpu.hostInt(RawGpu.FENCE) == seq && card.engine(0).idle(), 5000),
                card.engine(0).toString());
    }

    /** {@code n} NOPs of {@code count} payload dwords each, header from the bindings; returns n. */
    private static int nops(RawGpuAccess gpu, SdmaPackets k, int n, int count) {
        int header = k.nopCount.set(k.header(k.opNop, 0), count);
        for (int i = 0; i < n; i++) {
            gpu.emit(header);
            for (int j = 0; j < count; j++) {
                gpu.emit(0xFFFF_FFFF); // payload the engine must skip, not decode
            }
        }
        return n;
    }

    private static int packet(RawGpuAccess gpu, int... dws) {
        gpu.emit(dws);
        return 1;
    }
}
