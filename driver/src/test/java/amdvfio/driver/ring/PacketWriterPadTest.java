package amdvfio.driver.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import amdvfio.driver.asic.AsicProfiles;
import amdvfio.driver.asic.SdmaTraits;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * A small submission (WRITE + FENCE + TRAP, then NOPs to the fetch alignment) at every dword
 * position of a ring: the ring holds the same dwords as the submission encoded into a linear
 * buffer, placed at {@code (wptr + k) & mask}, and nothing outside the submission changes. With
 * SDMA 4.0's 256-dword alignment the pad is up to 255 dwords, cleared in 64-byte blocks plus a
 * tail of 32/16/8/4 bytes, split where the ring wraps; every start position exercises every
 * block-and-tail combination and every split.
 */
class PacketWriterPadTest {

    private static final int UNTOUCHED = 0xA5A5A5A5;

    @Test
    void sdma40SubmissionPaddedTo256DwordsMatchesItsLinearEncodingAtEveryRingPosition() {
        checkEveryPosition(AsicProfiles.VEGA10.sdma(), 1024);
    }

    @Test
    void sdma50SubmissionPaddedTo16DwordsMatchesItsLinearEncodingAtEveryRingPosition() {
        checkEveryPosition(AsicProfiles.NAVI10.sdma(), 64);
    }

    private static void checkEveryPosition(SdmaTraits traits, int ringDwords) {
        PacketWriter writer = new PacketWriter(traits);
        long mask = ringDwords - 1;
        MemorySegment ring = Arena.ofAuto().allocate(4L * ringDwords, 8);
        MemorySegment linear = Arena.ofAuto().allocate(4L * (ringDwords + traits.alignDwords() + 16), 8);
        for (long wptr = 0; wptr < ringDwords; wptr++) {
            long base = 5L * ringDwords + wptr; // a monotonic wptr some laps on
            ring.fill((byte) 0xA5);
            long end = submit(writer, traits, ring, base, mask);
            linear.fill((byte) 0xA5);
            long linearEnd = submit(writer, traits, linear, wptr, -1L);
            assertEquals(linearEnd - wptr, end - base, "same length at dword " + wptr);
            assertIsBurstNopPad(linear, wptr + 11, linearEnd, traits);
            long length = end - base;
            for (int i = 0; i < ringDwords; i++) {
                long k = (i - wptr) & mask; // the submission's dword k sits at ring dword i
                int expected = k < length ? linear.get(ValueLayout.JAVA_INT, 4 * (wptr + k)) : UNTOUCHED;
                assertEquals(expected, ring.get(ValueLayout.JAVA_INT, 4L * i),
                        traits.blockName() + " submission at dword " + wptr + ": ring dword " + i);
            }
        }
    }

    /** A burst NOP whose count [29:16] is the pad length − 1, then zeros, up to the alignment. */
    private static void assertIsBurstNopPad(MemorySegment linear, long from, long end, SdmaTraits traits) {
        assertEquals(0, end % traits.alignDwords(), "padded to the fetch alignment");
        if (end == from) {
            return; // already aligned: no pad
        }
        assertEquals((int) (end - from - 1) << 16, linear.get(ValueLayout.JAVA_INT, 4 * from), "NOP header at " + from);
        for (long i = from + 1; i < end; i++) {
            assertEquals(0, linear.get(ValueLayout.JAVA_INT, 4 * i), "pad dword " + i + " of the pad from " + from);
        }
    }

    /** WRITE + FENCE + TRAP at {@code pos}, padded to the fetch alignment; returns the end. */
    private static long submit(PacketWriter writer, SdmaTraits traits, MemorySegment buf, long pos, long mask) {
        writer.write().wrap(buf, pos, mask).dword(0x12_3456_7890L, 0xDEADBEEF);
        long p = writer.encodeFence(buf, pos + 5, mask, 0x81_0000_0040L, 0x5EED);
        return writer.padTo(buf, p, mask, traits.alignDwords());
    }
}
