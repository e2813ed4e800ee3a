package amdvfio.sim.ih;

import amdvfio.sim.SimProfile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** IV encoding bit for bit against the layout of spec §4.3 and the trap ids of §4.4. */
class IvEntryGoldenTest {

    @Test
    void shouldPlaceEveryFieldAtItsBits() {
        IvEntry iv = new IvEntry(0x0a, 49, 0x10, 0x3, true, 0x0000_BEEF_1234_5678L, true, 0x8000, 0x5, true,
                new int[] {0xC0FFEE, 1, 2, 3});
        int[] dw = iv.encode();
        assertArrayEquals(new int[] {
                0x0a | 49 << 8 | 0x10 << 16 | 0x3 << 24 | 1 << 31,
                0x12345678,
                0xBEEF | 1 << 31,
                0x8000 | 0x5 << 16 | 1 << 31,
                0xC0FFEE, 1, 2, 3}, dw);
        assertEquals(iv, IvEntry.decode(dw));
    }

    @Test
    void shouldEncodeTheVega10Sdma1TrapAsAmdgpuDecodesIt() {
        int[] dw = IvEntry.of(0x09, 224, 0, 0x1_0000_0002L, 7).encode();
        assertEquals(0x0000E009, dw[0], "client SDMA1 = 9, src SDMA_TRAP = 224, ring 0");
        assertEquals(2, dw[1]);
        assertEquals(1, dw[2]);
        assertEquals(7, dw[4]);
    }

    @Test
    void shouldUseTheTrapIdsOfSpecSection44PerProfile() {
        assertEquals(0x08, SimProfile.VEGA10.trapClientId(0));
        assertEquals(0x09, SimProfile.VEGA10.trapClientId(1));
        assertEquals(224, SimProfile.VEGA10.sdma().trapSrcId());
        assertEquals(221, SimProfile.VEGA10.sdma().pageFaultSrcId());
        assertEquals(0x08, SimProfile.NAVI10.trapClientId(0));
        assertEquals(0x09, SimProfile.NAVI10.trapClientId(1));
        assertEquals(224, SimProfile.NAVI10.sdma().trapSrcId());
        assertEquals(0x01, SimProfile.NAVI21.trapClientId(2), "SDMA2 aliases ACP");
        assertEquals(0x05, SimProfile.NAVI21.trapClientId(3), "SDMA3_Sienna_Cichlid aliases ISP");
        assertEquals(224, SimProfile.NAVI21.sdma().trapSrcId());
        assertEquals(0x0a, SimProfile.NAVI31.trapClientId(0));
        assertEquals(0x0a, SimProfile.NAVI31.trapClientId(1));
        assertEquals(49, SimProfile.NAVI31.sdma().trapSrcId());
        assertEquals(60, SimProfile.NAVI31.sdma().pageFaultSrcId());
        int[] dw = IvEntry.of(0x0a, 49, 1 << 4, 0).encode();
        assertEquals(0x0010310a, dw[0], "GC 11: client 0x0a, src 49, ring_id = instance 1 << 4");
    }
}
