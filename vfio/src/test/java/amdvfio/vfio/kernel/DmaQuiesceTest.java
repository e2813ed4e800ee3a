package amdvfio.vfio.kernel;

import amdvfio.vfio.ConfigSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The close path's DMA stop, on a config space built by hand: a PCIe capability at 0x60 behind a PM one at 0x50. */
class DmaQuiesceTest {

    /** 256 bytes of config; Device Status reports Transactions Pending for {@code pendingLooks} reads. */
    static final class FakeConfig implements ConfigSpace {
        final byte[] b = new byte[256];
        int pendingLooks;
        final List<String> log = new ArrayList<>();

        FakeConfig(boolean pcie) {
            put16(VENDOR_ID, 0x1002);
            put16(COMMAND, COMMAND_MEMORY | COMMAND_BUS_MASTER);
            put16(STATUS, DmaQuiesce.STATUS_CAP_LIST);
            b[DmaQuiesce.CAP_POINTER] = 0x50;
            put16(0x50, (pcie ? 0x60 : 0x00) << 8 | 0x01); // PM, next 0x60
            put16(0x60, 0x00 << 8 | DmaQuiesce.CAP_ID_EXP);
        }

        void put16(int at, int v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
        }

        @Override
        public int read8(int offset) {
            return b[offset] & 0xFF;
        }

        @Override
        public int read16(int offset) {
            if (offset == 0x60 + DmaQuiesce.EXP_DEVSTA) {
                log.add("devsta");
                return pendingLooks-- > 0 ? DmaQuiesce.EXP_DEVSTA_TRPND : 0;
            }
            return read8(offset) | read8(offset + 1) << 8;
        }

        @Override
        public int read32(int offset) {
            return read16(offset) | read16(offset + 2) << 16;
        }

        @Override
        public void write16(int offset, int value) {
            log.add(String.format("write16 0x%x=0x%x", offset, value));
            put16(offset, value);
        }

        @Override
        public void write32(int offset, int value) {
            write16(offset, value & 0xFFFF);
            write16(offset + 2, value >>> 16);
        }
    }

    @Test
    void shouldClearBusMasterFirstThenWaitForPendingTransactionsLikeTheKernel() {
        FakeConfig c = new FakeConfig(true);
        c.pendingLooks = 2;
        List<Long> sleeps = new ArrayList<>();

        DmaQuiesce.Outcome o = DmaQuiesce.quiesce(c, sleeps::add);

        assertEquals(DmaQuiesce.Outcome.DRAINED, o);
        assertEquals("write16 0x4=0x2", c.log.get(0), "bus master cleared before the first status look");
        assertFalse(c.isBusMaster());
        assertEquals(List.of(100L, 200L), sleeps, "pci_wait_for_pending's 100, 200, 400 ms steps");
    }

    @Test
    void shouldGiveUpAfterTheKernelsThreeWaits() {
        FakeConfig c = new FakeConfig(true);
        c.pendingLooks = 99;
        List<Long> sleeps = new ArrayList<>();

        assertEquals(DmaQuiesce.Outcome.STILL_PENDING, DmaQuiesce.quiesce(c, sleeps::add));
        assertEquals(List.of(100L, 200L, 400L), sleeps);
    }

    @Test
    void shouldNotWaitOnAFunctionWithoutPcieOrOneThatIsGone() {
        FakeConfig conventional = new FakeConfig(false);
        List<Long> sleeps = new ArrayList<>();
        assertEquals(DmaQuiesce.Outcome.IDLE, DmaQuiesce.quiesce(conventional, sleeps::add));
        assertFalse(conventional.isBusMaster());

        FakeConfig gone = new FakeConfig(true);
        gone.put16(ConfigSpace.VENDOR_ID, 0xFFFF);
        assertEquals(DmaQuiesce.Outcome.GONE, DmaQuiesce.quiesce(gone, sleeps::add));
        assertEquals(List.of(), gone.log, "nothing is written to a function that is gone");
        assertEquals(List.of(), sleeps);
    }
}
