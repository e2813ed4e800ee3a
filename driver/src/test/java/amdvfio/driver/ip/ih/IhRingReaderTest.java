package amdvfio.driver.ip.ih;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** amdgpu_ih_process semantics, with the registers faked: wptr writeback, byte rptr ack, overflow. */
class IhRingReaderTest {

    private static final int RING = 8 * 32; // 8 vectors
    private final MemorySegment ring = Arena.ofAuto().allocate(RING, 256);
    private final MemorySegment wb = Arena.ofAuto().allocate(4, 4);
    private final List<Integer> seen = new ArrayList<>();
    private final List<Integer> rptrAcks = new ArrayList<>();
    private int wptrRegister;
    private int overflowClears;

    private final IhRingReader reader = new IhRingReader(ring, wb, new IhRingReader.Registers() {
        @Override
        public int readWptr() {
            return wptrRegister;
        }

        @Override
        public void writeRptr(int rptrBytes) {
            rptrAcks.add(rptrBytes);
        }

        @Override
        public void clearOverflow() {
            overflowClears++;
            wptrRegister &= ~1;
        }
    }, (client, source, ringId, data) -> seen.add(data));

    private void post(int slot, int data) {
        ring.set(ValueLayout.JAVA_INT, slot * 32L, 0x08 | 224 << 8);
        ring.set(ValueLayout.JAVA_INT, slot * 32L + 16, data);
    }

    @Test
    void dispatchesEveryVectorUpToTheWrittenBackWptrAndAcksTheByteRptr() {
        for (int i = 0; i < 3; i++) {
            post(i, 100 + i);
        }
        wb.set(ValueLayout.JAVA_INT, 0, 3 * 32);
        assertEquals(3, reader.process());
        assertEquals(List.of(100, 101, 102), seen);
        assertEquals(List.of(96), rptrAcks, "rptr acknowledged in bytes");
    }

    @Test
    void wrapsAtTheEndOfTheRing() {
        wb.set(ValueLayout.JAVA_INT, 0, 6 * 32);
        reader.process();
        seen.clear();
        post(6, 6);
        post(7, 7);
        post(0, 8);
        wb.set(ValueLayout.JAVA_INT, 0, 32);
        assertEquals(3, reader.process());
        assertEquals(List.of(6, 7, 8), seen);
        assertEquals(32, reader.rptr());
    }

    @Test
    void overflowRestartsAtTheOldestVectorNotOverwrittenAndPulsesOverflowClear() {
        // The hardware wrote 10 vectors into an 8-slot ring: slots 0 and 1 were overwritten (8, 9)
        // and the wptr stands at slot 2 with RB_OVERFLOW set in the writeback and the register.
        for (int i = 0; i < 8; i++) {
            post(i, i < 2 ? 8 + i : i);
        }
        wb.set(ValueLayout.JAVA_INT, 0, 2 * 32 | 1);
        wptrRegister = 2 * 32 | 1;
        reader.process();
        assertEquals(1, overflowClears);
        assertEquals(1, reader.overflows());
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9), seen, "parsing restarts at wptr + 32");
    }

    @Test
    void aStaleOverflowBitInTheWritebackIsIgnoredWhenTheRegisterIsClear() {
        post(0, 42);
        wb.set(ValueLayout.JAVA_INT, 0, 32 | 1);
        wptrRegister = 32;
        reader.process();
        assertEquals(0, overflowClears);
        assertEquals(List.of(42), seen);
    }
}
