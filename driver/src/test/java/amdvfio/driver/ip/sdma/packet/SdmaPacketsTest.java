package amdvfio.driver.ip.sdma.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import amdvfio.amdgpu.SdmaPackets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Dwords against values hand-encoded from the pkt_open headers and spec §2.4's vectors. */
class SdmaPacketsTest {

    private final MemorySegment buf = Arena.ofAuto().allocate(4 * 64, 8);

    private int dw(int i) {
        return buf.get(ValueLayout.JAVA_INT, 4L * i);
    }

    @Test
    void writeLinearIsTheRingTestPacket() {
        new SdmaWrite(SdmaPackets.V5).wrap(buf, 0).dword(0x0000_0012_3456_7890L, 0xDEADBEEF);
        assertEquals(0x00000002, dw(0), "WRITE_LINEAR header");
        assertEquals(0x34567890, dw(1));
        assertEquals(0x00000012, dw(2));
        assertEquals(0, dw(3), "count = 1 dword - 1");
        assertEquals(0xDEADBEEF, dw(4));
    }

    @Test
    void copyLinearCountsBytesMinusOne() {
        new SdmaCopyLinear(SdmaPackets.V5).wrap(buf, 0).copy(0x1_0000_1000L, 0x2_0000_2000L, 0x3fff00);
        assertEquals(0x00000001, dw(0), "COPY_LINEAR header");
        assertEquals(0x3ffeff, dw(1));
        assertEquals(0, dw(2), "no swap");
        assertEquals(0x00001000, dw(3));
        assertEquals(0x1, dw(4));
        assertEquals(0x00002000, dw(5));
        assertEquals(0x2, dw(6));
    }

    @Test
    void constFillRepeatsTheByteAndCountsBytesMinusOne() {
        new SdmaConstFill(SdmaPackets.V5).wrap(buf, 0).fill(0x80_0000_0010L, (byte) 0xA5, 5);
        assertEquals(0x0000000B, dw(0), "CONST_FILL header, fillsize 0 as amdgpu");
        assertEquals(0x00000010, dw(1));
        assertEquals(0x80, dw(2));
        assertEquals(0xA5A5A5A5, dw(3));
        assertEquals(4, dw(4));
    }

    @Test
    void fenceCarriesTheProfileHeaderAndAnAlignedAddress() {
        new SdmaFence(SdmaPackets.V5).wrap(buf, 0).fence(0x00030005, 0x81_0000_0043L, 77);
        assertEquals(0x00030005, dw(0), "v5/v6 FENCE with MTYPE UC");
        assertEquals(0x00000040, dw(1), "addr & ~3");
        assertEquals(0x81, dw(2));
        assertEquals(77, dw(3));
        new SdmaFence(SdmaPackets.V5).wrap(buf, 0).fence(0x00000005, 0x40L, 1);
        assertEquals(0x00000005, dw(0), "v4 FENCE");
    }

    @Test
    void trapTimestampAndIndirectHeadersMatchTheVectors() {
        new SdmaTrap(SdmaPackets.V5).wrap(buf, 0).trap(0x1234);
        assertEquals(0x00000006, dw(0));
        assertEquals(0x1234, dw(1));
        new SdmaTimestamp(SdmaPackets.V5).wrap(buf, 0).getGlobal(0x1008L);
        assertEquals(0x0000020D, dw(0), "TIMESTAMP GET_GLOBAL");
        assertEquals(0x1008, dw(1));
        new SdmaIndirect(SdmaPackets.V5).wrap(buf, 0).ib(0, 0x81_0000_1234L, 16);
        assertEquals(0x00000004, dw(0));
        assertEquals(0x00001220, dw(1), "IB base 32-byte aligned");
        assertEquals(0x81, dw(2));
        assertEquals(16, dw(3), "ib_size in dwords, not minus one");
        assertEquals(0, dw(4));
        assertEquals(0, dw(5));
    }

    @Test
    void burstNopOfNDwordsHasCountNMinusOneAndZeroPayload() {
        buf.fill((byte) 0xFF);
        new SdmaNop(SdmaPackets.V5).wrap(buf, 0).pad(16);
        assertEquals(15 << 16, dw(0), "NOP burst of 16 dwords: (n-1) << 16");
        for (int i = 1; i < 16; i++) {
            assertEquals(0, dw(i));
        }
        assertEquals(-1, dw(16), "nothing written past the pad");
    }

    @Test
    void aNopPadThatWrapsTheRingZeroesBothPartsAndNothingElse() {
        buf.fill((byte) 0xFF);
        long mask = 31; // a 32-dword ring
        new SdmaNop(SdmaPackets.V5).wrap(buf, 28, mask).pad(10); // dwords 28..31, then 0..5
        assertEquals(9 << 16, dw(28));
        for (int i = 29; i < 32; i++) {
            assertEquals(0, dw(i), "dword " + i);
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(0, dw(i), "wrapped dword " + i);
        }
        assertEquals(-1, dw(6), "nothing written past the pad");
        assertEquals(-1, dw(27), "nothing written before it");
    }

    @Test
    void packetsWrapAroundTheEndOfTheRing() {
        long mask = 15; // a 16-dword ring
        new SdmaCopyLinear(SdmaPackets.V5).wrap(buf, 13, mask).copy(0xAAAA_0000L, 0xBBBB_0000L, 8);
        assertEquals(0x00000001, dw(13));
        assertEquals(7, dw(14));
        assertEquals(0, dw(15));
        assertEquals(0xAAAA0000, dw(0), "dword 3 wrapped to the ring start");
        assertEquals(0xBBBB0000, dw(2));
    }
}
