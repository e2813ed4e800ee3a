package amdvfio.sim.gmc;

import amdvfio.sim.SimDmaSpace;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.sim.regs.RegisterFile;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * 4-byte accesses whose last bytes fall past the end of a region (VRAM, a DMA mapping) fault on
 * the missing bytes, as the hub would — never an IndexOutOfBoundsException in the engine thread.
 */
class GmcEdgeTest {

    static final long FB = 0x80_0000_0000L;
    static final long VRAM = 64 << 10;

    private final List<GpuFault> faults = new ArrayList<>();
    private final MemorySegment vram = Arena.ofAuto().allocate(VRAM);
    private final VmHub hub = new VmHub(VmHubRegs.GFXHUB_10_1, new int[] {0x1260, 0xA000}, new RegisterFile(1 << 20), false, v -> { });
    private final Gmc gmc = new Gmc(vram, FB, hub, new SimDmaSpace(), () -> true, faults::add, new LinkPacer(0));

    GmcEdgeTest() {
        hub.asLeftWarm(FB, FB + VRAM - 1);
    }

    @Test
    void shouldFaultADwordReadThatRunsPastTheEndOfVram() {
        for (int over = 1; over <= 3; over++) {
            long at = FB + VRAM - 4 + over;
            GpuFaultException e = assertThrows(GpuFaultException.class, () -> gmc.readInt(at, "SDMA0"));
            assertEquals(FB + VRAM, e.fault().address(), "the first byte past the end faults");
            assertEquals(GpuFault.Reason.UNMAPPED_ADDRESS, e.fault().reason());
        }
    }

    @Test
    void shouldFaultADwordWriteThatRunsPastTheEndOfVramWithoutWritingAnyByte() {
        vram.set(ValueLayout.JAVA_INT_UNALIGNED, VRAM - 4, 0x11223344);
        assertThrows(GpuFaultException.class, () -> gmc.writeInt(FB + VRAM - 2, 0xAABBCCDD, "SDMA0"));
        assertEquals(0x11223344, vram.get(ValueLayout.JAVA_INT_UNALIGNED, VRAM - 4), "nothing written");
        assertEquals(1, faults.size());
    }

    @Test
    void shouldStillReadAndWriteTheLastDwordOfVram() throws GpuFaultException {
        gmc.writeInt(FB + VRAM - 4, 0x5A5A5A5A, "SDMA0");
        assertEquals(0x5A5A5A5A, gmc.readInt(FB + VRAM - 4, "SDMA0"));
        assertEquals(List.of(), faults);
    }
}
