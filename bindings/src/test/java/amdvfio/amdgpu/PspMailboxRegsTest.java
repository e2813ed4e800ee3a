package amdvfio.amdgpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MP0 mailbox set read from each generated header agrees with spec amd-cold-boot.md §2.1:
 * {@code MP0_SMN_C2PMSG_n = 0x40 + n} in segment 0 on MP 9.0, 11.0 and 13.0.0, so the absolute
 * C2PMSG_33 is amdgpu's fixed 0x16061. A cross-check from a second source, since the driver and
 * the simulator share these offsets and a shared misreading would pass both.
 */
class PspMailboxRegsTest {

    @Test
    void everyVersionPlacesC2pmsgNAt0x40PlusN() {
        for (PspMailboxRegs m : List.of(PspMailboxRegs.MP_9_0, PspMailboxRegs.MP_11_0, PspMailboxRegs.MP_13_0_0)) {
            int[] n = {33, 35, 36, 58, 64, 67, 69, 70, 71, 81};
            Reg[] r = {m.c2pmsg33, m.c2pmsg35, m.c2pmsg36, m.c2pmsg58, m.c2pmsg64, m.c2pmsg67, m.c2pmsg69, m.c2pmsg70,
                    m.c2pmsg71, m.c2pmsg81};
            for (int i = 0; i < n.length; i++) {
                assertEquals(0x40 + n[i], r[i].offset(), m + " " + r[i]);
                assertEquals(0, r[i].segment(), m + " " + r[i]);
            }
            assertEquals(FixedRegs.MP0_C2PMSG_33, AsicBases.VEGA10.of(HwIp.MP0)[0] + m.c2pmsg33.offset());
        }
    }

    @Test
    void rlcBootloadCompleteIsBit31InGcSegment1() {
        assertEquals(31, PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.shift());
        assertEquals(1, PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.width());
        assertEquals(1, PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS.segment(), "spec §4.3: 0x4E82, seg 1");
        assertEquals(0x4E82, PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS.offset());
        assertEquals(0xF40, PspMailboxRegs.GC11_CP_STAT.offset(), "spec §4.3: CP_STAT 0xF40, seg 0");
    }
}
