package amdvfio.sim.sdma;

import amdvfio.sim.SimProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packet decoding bit for bit against the spec's header test vectors (§2.4) and the dword tables
 * of §2.2, for every profile's SDMA version.
 */
class SdmaPacketGoldenTest {

    static final List<SimProfile> PROFILES = SimProfile.ALL;
    /** The 5.x packet header (navi10_sdma_pkt_open.h); these packets are the same in all three. */
    static final amdvfio.amdgpu.SdmaPackets K = amdvfio.amdgpu.SdmaPackets.V5;

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldDecodeWriteLinearOfTheRingTest(SimProfile p) {
        // amdgpu sdma_v*_ring_test_ring: {SDMA_OP_WRITE|SUB_OP(WRITE_LINEAR), lo, hi, COUNT(0), 0xDEADBEEF}
        int[] dw = {0x00000002, 0x89ABCDE0, 0x00000012, 0x00000000, 0xDEADBEEF};
        var w = SdmaPacket.WriteLinear.decode(p.sdma().packets(), dw);
        assertEquals(0x12_89ABCDE0L, w.dst());
        assertEquals(1, w.dataDwords());
        assertEquals(5, w.dwords());
        assertEquals(p.sdma().packets().opWrite, p.sdma().packets().op(dw[0]));
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldDecodeCopyLinearCountWithTheVersionsFieldWidth(SimProfile p) {
        SdmaTraits t = p.sdma();
        int[] dw = {0x00040001, 0xFFFFFFFF, 0, 0x1000, 0x1, 0x2000, 0x2};
        var c = SdmaPacket.CopyLinear.decode(t, dw);
        // the header's width: 22 bits on 4.0 and 5.x (navi10_sdma_pkt_open.h serves 5.2 too), 30 on 6.0
        long expected = p.sdma().version() == amdvfio.amdgpu.SdmaIp.V6_0 ? 0x3FFFFFFF : 0x3FFFFF;
        assertEquals(expected, c.count());
        assertEquals(0x1_00001000L, c.src());
        assertEquals(0x2_00002000L, c.dst());
        assertTrue(c.tmz(), "COPY tmz header 0x00040001 sets bit 18");
        assertEquals(7, c.dwords());
        assertEquals(t.packets().opCopy, t.packets().op(0x00000001));
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldDecodeConstFillAndItsFillsize(SimProfile p) {
        int[] dw = {0x8000000B, 0x1000, 0x0, 0xA5A5A5A5, 0x0000FFFF};
        var f = SdmaPacket.ConstFill.decode(p.sdma(), dw);
        assertEquals(2, f.fillSize(), "MESA fillsize 2 header 0x8000000B");
        assertEquals(0x10000, f.bytes());
        assertEquals(0xA5A5A5A5, f.pattern());
        assertEquals(0, SdmaPacket.ConstFill.decode(p.sdma(), new int[] {0x0000000B, 0, 0, 0, 0}).fillSize());
        int countBits = p.sdma().version() == amdvfio.amdgpu.SdmaIp.V6_0 ? 30 : 22;
        assertEquals((1L << countBits) - 1, SdmaPacket.ConstFill.decode(p.sdma(), new int[] {0xB, 0, 0, 0, -1}).count());
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldDecodeFenceWithTheVersionsMtype(SimProfile p) {
        int header = p.sdma().version() == amdvfio.amdgpu.SdmaIp.V4_0 ? 0x00000005 : 0x00030005;
        var f = SdmaPacket.Fence.decode(p.sdma().packets(), new int[] {header, 0x1000, 0x7F, 42});
        assertEquals(0x7F_00001000L, f.addr());
        assertEquals(42, f.data());
        assertEquals(p.sdma().version() == amdvfio.amdgpu.SdmaIp.V4_0 ? 0 : 3, f.mtype(), "MTYPE(0x3) = UC on 5.x/6.0");
    }

    @Test
    void shouldDecodeTrapContextFromItsLow28Bits() {
        assertEquals(K.opTrap, K.op(0x00000006));
        assertEquals(0x0ABCDEF, SdmaPacket.Trap.decode(K, new int[] {0x6, 0xF0ABCDEF}).intContext());
    }

    @Test
    void shouldDecodePollRegMemVectors() {
        var eq = SdmaPacket.PollRegMem.decode(K, new int[] {0xB0000008, 0x1003, 0, 7, 0xFF, 0x0FFF000A});
        assertTrue(eq.memory());
        assertEquals(3, eq.func());
        assertEquals(0x1000, eq.address(), "memory address is masked & ~3");
        assertEquals(0xFFF, eq.retryCount());
        assertEquals(10, eq.interval());
        assertTrue(eq.passes(0x107), "(value & mask) == reference");
        assertFalse(eq.passes(0x108));
        var ge = SdmaPacket.PollRegMem.decode(K, new int[] {0xD0000008, 0, 0, 5, -1, 0});
        assertEquals(5, ge.func());
        assertTrue(ge.passes(6));
        assertFalse(ge.passes(4));
        var hdp = SdmaPacket.PollRegMem.decode(K, new int[] {0x34000008, 0x54 << 2, 0x53 << 2, 1, 1, 0x0FFF000A});
        assertFalse(hdp.memory());
        assertTrue(hdp.hdpFlush());
        assertEquals(3, hdp.func());
        assertEquals(0x54, hdp.address(), "done register");
        assertEquals(0x53, hdp.requestReg(), "request register");
    }

    @Test
    void shouldDecodeTimestampGetGlobal() {
        var t = SdmaPacket.Timestamp.decode(K, new int[] {0x0000020D, 0x2008, 0x1});
        assertEquals(K.opTimestamp, K.op(0x0000020D));
        assertEquals(K.subopTimestampGetGlobal, t.subOp());
        assertEquals(0x1_00002008L, t.value());
    }

    @Test
    void shouldDecodeSrbmWriteWithAllBytesEnabled() {
        var s = SdmaPacket.SrbmWrite.decode(new int[] {0xF000000E, 0xFFF_12345, 0xCAFE});
        assertEquals(0xF, s.byteEnable());
        assertEquals(0x12345 & 0x3FFFF, s.register());
        assertEquals(0xFFFFFFFF, s.writeMask());
        assertEquals(0x00FF00FF, SdmaPacket.SrbmWrite.decode(new int[] {0x5000000E, 0, 0}).writeMask());
    }

    @Test
    void shouldDecodeBurstNopOfNDwords() {
        for (int n : new int[] {1, 2, 16, 256}) {
            int header = (n - 1) << 16;
            assertEquals(n, SdmaPacket.Nop.decode(K, new int[] {header}).dwords(), "NOP burst of " + n);
        }
    }

    @Test
    void shouldDecodeIndirectBufferSizeInDwordsNotMinusOne() {
        var ib = SdmaPacket.IndirectBuffer.decode(K, new int[] {0x80000004, 0x1000, 0x2, 64, 0x3000, 0x4});
        assertEquals(0x2_00001000L, ib.base());
        assertEquals(64, ib.sizeDwords());
        assertEquals(0, ib.vmid());
        assertTrue(ib.priv());
        assertEquals(0x4_00003000L, ib.csa());
    }

    @Test
    void shouldKeepPerVersionTraitsAsTheSpecStatesThem() {
        assertEquals(256, SdmaTraits.V4_0.alignDwords());
        assertEquals(16, SdmaTraits.V5_0.alignDwords());
        assertEquals(16, SdmaTraits.V5_2.alignDwords());
        assertEquals(16, SdmaTraits.V6_0.alignDwords());
        assertEquals(0x3fff00L, SdmaTraits.V4_0.copyMaxBytes());
        assertEquals(0x3fff00L, SdmaTraits.V5_0.copyMaxBytes());
        assertEquals(0x400000L, SdmaTraits.V5_2.copyMaxBytes(), "22-bit count (navi10 header); amdgpu copy_max_bytes");
        assertEquals(0x400000L, SdmaTraits.V5_2.fillMaxBytes(), "22-bit count; amdgpu fill_max_bytes");
        assertEquals(0x3fffff00L, SdmaTraits.V6_0.copyMaxBytes());
        assertEquals(16, SdmaTraits.V4_0.dummyTrapOpcode());
        assertEquals(32, SdmaTraits.V5_0.dummyTrapOpcode());
    }
}
