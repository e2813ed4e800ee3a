package amdvfio.driver.bo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.OutOfDeviceMemoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeAllocatorTest {

    @Test
    void allocationsHonourAlignmentAndNeverOverlap() {
        RangeAllocator a = new RangeAllocator("test", 0x10000, 1 << 20, 4096);
        long x = a.allocate(100, 4096);
        long y = a.allocate(5000, 64 << 10);
        assertEquals(0x10000, x);
        assertEquals(0, y % (64 << 10), "aligned to 64 KiB");
        assertTrue(y >= x + 4096, "rounded up to the granule, no overlap");
    }

    @Test
    void freeingEverythingCoalescesBackIntoOneRange() {
        RangeAllocator a = new RangeAllocator("test", 0, 1 << 20, 4096);
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            got.add(a.allocate(4096 * (1 + i % 3), 4096));
        }
        java.util.Collections.shuffle(got, new Random(7));
        for (long at : got) {
            a.free(at);
        }
        assertEquals(1, a.freeRanges());
        assertEquals(1 << 20, a.freeBytes());
        assertEquals(0, a.allocate(1 << 20, 4096), "the whole range is one block again");
    }

    @Test
    void exhaustionIsAClearOutOfMemoryError() {
        RangeAllocator a = new RangeAllocator("VRAM", 0, 1 << 20, 4096);
        a.allocate(1 << 19, 4096);
        long hole = a.allocate(4096, 4096);
        a.allocate((1 << 19) - 4096, 4096);
        a.free(hole);
        OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class, () -> a.allocate(8192, 4096));
        assertTrue(e.getMessage().contains("VRAM") && e.getMessage().contains("largest free range 4096"), e.getMessage());
    }

    @Test
    void freeingAnAddressThatWasNotAllocatedIsRefused() {
        RangeAllocator a = new RangeAllocator("test", 0, 1 << 20, 4096);
        a.allocate(4096, 4096);
        assertThrows(IllegalArgumentException.class, () -> a.free(8192));
        assertThrows(IllegalArgumentException.class, () -> a.allocate(0, 4096));
        assertThrows(IllegalArgumentException.class, () -> a.allocate(10, 3));
    }
}
