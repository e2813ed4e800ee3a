package amdvfio.driver.ip.sdma.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import amdvfio.amdgpu.SdmaPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet at every position around the end of a ring: the dwords land at
 * {@code (start + k) & mask} exactly as the packet's linear encoding has them (the per-dword
 * placement of {@code amdgpu_ring_write}), and no other dword of the ring changes. Packets take
 * a consecutive-store path when they fit before the end and a per-dword path when they wrap; a
 * path that wrote a wrong dword, or ran past the end instead of wrapping, fails here.
 */
class PacketWrapTest {

    private static final int RING_DWORDS = 32;
    private static final long MASK = RING_DWORDS - 1;
    private static final int UNTOUCHED = 0xA5A5A5A5;
    private static final SdmaPackets PKT = SdmaPackets.V5;

    /** Encodes one packet at dword {@code at} of {@code buf} (mask −1: a linear buffer). */
    interface Encoder {
        void encode(MemorySegment buf, long at, long mask);
    }

    private final MemorySegment ring = Arena.ofAuto().allocate(4L * RING_DWORDS, 8);
    private final MemorySegment linear = Arena.ofAuto().allocate(4L * (RING_DWORDS + 2), 8);

    static Stream<Arguments> packets() {
        return Stream.of(
                packet("WRITE_LINEAR", SdmaWrite.DWORDS,
                        (b, at, m) -> new SdmaWrite(PKT).wrap(b, at, m).dword(0x0000_0012_3456_7890L, 0xDEADBEEF)),
                packet("COPY_LINEAR", SdmaCopyLinear.DWORDS,
                        (b, at, m) -> new SdmaCopyLinear(PKT).wrap(b, at, m).copy(0x1_0000_1000L, 0x2_0000_2000L, 0x1234)),
                packet("CONST_FILL", SdmaConstFill.DWORDS,
                        (b, at, m) -> new SdmaConstFill(PKT).wrap(b, at, m).fill(0x80_0000_0010L, (byte) 0x5A, 77)),
                packet("FENCE", SdmaFence.DWORDS,
                        (b, at, m) -> new SdmaFence(PKT).wrap(b, at, m).fence(0x00030005, 0x81_0000_0040L, 0x7777)),
                packet("TRAP", SdmaTrap.DWORDS, (b, at, m) -> new SdmaTrap(PKT).wrap(b, at, m).trap(0x1234)),
                packet("TIMESTAMP", SdmaTimestamp.DWORDS,
                        (b, at, m) -> new SdmaTimestamp(PKT).wrap(b, at, m).getGlobal(0x33_0000_1008L)),
                packet("INDIRECT", SdmaIndirect.DWORDS,
                        (b, at, m) -> new SdmaIndirect(PKT).wrap(b, at, m).ib(3, 0x81_0000_1240L, 16)),
                packet("NOP pad of 1", 1, (b, at, m) -> new SdmaNop(PKT).wrap(b, at, m).pad(1)),
                packet("NOP pad of 5", 5, (b, at, m) -> new SdmaNop(PKT).wrap(b, at, m).pad(5)),
                packet("NOP pad of 19", 19, (b, at, m) -> new SdmaNop(PKT).wrap(b, at, m).pad(19)),
                packet("NOP pad of 30", 30, (b, at, m) -> new SdmaNop(PKT).wrap(b, at, m).pad(30)));
    }

    private static Arguments packet(String name, int dwords, Encoder encoder) {
        return Arguments.of(name, dwords, encoder);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void packetDwordsLandAtStartPlusKModuloTheRingAtEveryPositionNearTheEnd(String name, int dwords, Encoder encoder) {
        int[] packet = linearEncoding(dwords, encoder);
        for (long start = RING_DWORDS - dwords - 2; start <= RING_DWORDS + 2; start++) {
            ring.fill((byte) 0xA5);
            encoder.encode(ring, start + 3L * RING_DWORDS, MASK); // a wptr laps on: only wptr & mask counts
            int[] expected = new int[RING_DWORDS];
            Arrays.fill(expected, UNTOUCHED);
            for (int k = 0; k < dwords; k++) {
                expected[(int) ((start + k) & MASK)] = packet[k];
            }
            for (int i = 0; i < RING_DWORDS; i++) {
                assertEquals(expected[i], ring.get(ValueLayout.JAVA_INT, 4L * i),
                        name + " written at dword " + start + ": ring dword " + i);
            }
        }
    }

    /** The packet at dword 1 of a linear buffer (its values are hand-checked in SdmaPacketsTest). */
    private int[] linearEncoding(int dwords, Encoder encoder) {
        linear.fill((byte) 0xA5);
        encoder.encode(linear, 1, -1L);
        assertEquals(UNTOUCHED, linear.get(ValueLayout.JAVA_INT, 0), "linear encoding wrote before the packet");
        assertEquals(UNTOUCHED, linear.get(ValueLayout.JAVA_INT, 4L * (1 + dwords)), "linear encoding wrote past the packet");
        int[] dw = new int[dwords];
        for (int k = 0; k < dwords; k++) {
            dw[k] = linear.get(ValueLayout.JAVA_INT, 4L * (1 + k));
        }
        return dw;
    }
}
