package amdvfio.driver.unplug;

import amdvfio.driver.bo.BufferObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The save's views of the shadow: few for packed buffers, never spanning a big gap or more than the cap. */
class VramSavePlanTest {

    static List<VramSavePlan.Item> at(long... offsetsAndSizes) {
        List<VramSavePlan.Item> out = new ArrayList<>();
        for (int i = 0; i < offsetsAndSizes.length; i += 2) {
            BufferObject bo = BufferObject.vram("client", offsetsAndSizes[i + 1], offsetsAndSizes[i], 0, off -> { }, () -> { });
            out.add(new VramSavePlan.Item("client", bo));
        }
        return out;
    }

    @Test
    void shouldServePackedBuffersWithOneView() {
        List<VramSavePlan.Item> packed = at(0, 64 << 10, 64 << 10, 64 << 10, 128 << 10, 4096);
        assertEquals(3, VramSavePlan.extentEnd(packed, 0));
    }

    @Test
    void shouldStartANewViewAfterAGapLargerThanAMebibyte() {
        List<VramSavePlan.Item> gap = at(0, 4096, 4096 + VramSavePlan.MAX_GAP + 4096, 4096);
        assertEquals(1, VramSavePlan.extentEnd(gap, 0));
        assertEquals(2, VramSavePlan.extentEnd(at(0, 4096, 4096 + VramSavePlan.MAX_GAP, 4096), 0), "a gap of exactly 1 MiB stays");
    }

    @Test
    void shouldCapAViewAtTheMaximumExtent() {
        long half = VramSavePlan.MAX_EXTENT / 2;
        List<VramSavePlan.Item> big = at(0, half, half, half, 2 * half, 4096);
        assertEquals(2, VramSavePlan.extentEnd(big, 0));
        assertEquals(3, VramSavePlan.extentEnd(big, 2));
    }
}
