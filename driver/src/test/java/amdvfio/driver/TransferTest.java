package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.fence.Fence;
import amdvfio.sim.SimProfile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Copies and fills must be byte-exact in every direction, including sizes past one packet. */
class TransferTest {

    static Stream<Arguments> profiles() {
        return SimFixture.profiles().map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void copiesAreByteExactInEveryDirectionFromOneByteToPastThePacketMaximum(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            long max = packetMax(profile);
            long[] sizes = {1, 3, 4, 255, 4096 + 7, max - 1, max, max + 1, 2 * max + 4099};
            Random rnd = new Random(42);
            for (Domain from : Domain.values()) {
                for (Domain to : Domain.values()) {
                    for (long size : sizes) {
                        copyAndCompare(f, from, to, size, rnd);
                    }
                }
            }
            assertTrue(f.card.faults().isEmpty(), () -> f.card.faults().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void fillsSetExactlyTheRequestedBytes(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            long max = packetMax(profile);
            for (Domain d : Domain.values()) {
                for (long size : new long[] {1, 5, 4096, max + 3}) {
                    long total = size + 16;
                    BufferObject bo = f.client.allocate(d, total);
                    MemorySegment cpu = f.client.map(bo);
                    cpu.fill((byte) 0x11);
                    Fence fence = f.client.submit(Job.builder().fill(bo, 8, size, (byte) 0xA5).build());
                    assertTrue(f.client.await(fence, Duration.ofSeconds(10)));
                    assertNull(fence.error());
                    assertEquals(0x11, cpu.get(ValueLayout.JAVA_BYTE, 7) & 0xFF, "byte before the fill");
                    assertEquals(0xA5, cpu.get(ValueLayout.JAVA_BYTE, 8) & 0xFF);
                    assertEquals(0xA5, cpu.get(ValueLayout.JAVA_BYTE, 8 + size - 1) & 0xFF);
                    assertEquals(0x11, cpu.get(ValueLayout.JAVA_BYTE, 8 + size) & 0xFF, "byte after the fill");
                    long mismatch = cpu.asSlice(8, size).mismatch(MemorySegment.ofArray(filled(size, (byte) 0xA5)));
                    assertEquals(-1, mismatch, d + " fill of " + size);
                    f.client.free(bo);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void writeAndTimestampLandWhereAsked(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.GTT, 64);
            MemorySegment cpu = f.client.map(bo);
            Fence fence = f.client.submit(Job.builder().writeDword(bo, 4, 0x12345678).timestamp(bo, 8).build());
            assertTrue(f.client.await(fence, Duration.ofSeconds(5)));
            assertEquals(0x12345678, cpu.get(ValueLayout.JAVA_INT, 4));
            assertTrue(cpu.get(ValueLayout.JAVA_LONG, 8) != 0, "timestamp written");
        }
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void indirectBufferRunsItsCommandsEachTimeItIsSubmitted(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject dst = f.client.allocate(Domain.VRAM, 4096);
            MemorySegment cpu = f.client.map(dst);
            IndirectBuffer ib = f.client.createIndirectBuffer(Job.builder().fill(dst, 0, 100, (byte) 0x5A).build());
            for (int round = 0; round < 3; round++) {
                cpu.fill((byte) 0);
                Fence fence = f.client.submit(Job.builder().indirect(ib).build());
                assertTrue(f.client.await(fence, Duration.ofSeconds(5)));
                assertEquals(0x5A, cpu.get(ValueLayout.JAVA_BYTE, 99) & 0xFF);
                assertEquals(0, cpu.get(ValueLayout.JAVA_BYTE, 100));
            }
        }
    }

    private static void copyAndCompare(SimFixture f, Domain from, Domain to, long size, Random rnd) throws Exception {
        BufferObject src = f.client.allocate(from, size + 8);
        BufferObject dst = f.client.allocate(to, size + 8);
        byte[] data = new byte[(int) size];
        rnd.nextBytes(data);
        MemorySegment s = f.client.map(src);
        MemorySegment d = f.client.map(dst);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 3, size);
        d.fill((byte) 0x77);
        Fence fence = f.client.submit(Job.builder().copy(src, 3, dst, 5, size).build());
        assertTrue(f.client.await(fence, Duration.ofSeconds(20)), "copy completes");
        assertNull(fence.error());
        byte[] out = new byte[(int) size];
        MemorySegment.copy(d, 5, MemorySegment.ofArray(out), 0, size);
        assertArrayEquals(data, out, from + "->" + to + " " + size + " bytes");
        assertEquals(0x77, d.get(ValueLayout.JAVA_BYTE, 4) & 0xFF, "byte before the copy untouched");
        assertEquals(0x77, d.get(ValueLayout.JAVA_BYTE, 5 + size) & 0xFF, "byte after the copy untouched");
        f.client.free(src);
        f.client.free(dst);
    }

    /** The per-packet COPY maximum the fixture runs with: spec §2.2's 0x3fff00, lowered on 5.2/6.0. */
    static long packetMax(SimProfile p) {
        return Math.min(p == SimProfile.VEGA10 || p == SimProfile.NAVI10 ? 0x3fff00L : 0x3fffff00L, 0x3fff00L);
    }

    private static byte[] filled(long n, byte v) {
        byte[] b = new byte[(int) n];
        java.util.Arrays.fill(b, v);
        return b;
    }
}
