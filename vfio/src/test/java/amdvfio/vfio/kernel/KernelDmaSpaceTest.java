package amdvfio.vfio.kernel;

import amdvfio.os.Errno;
import amdvfio.os.SyscallException;
import amdvfio.vfio.DmaLimitException;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.IovaAllocator;
import amdvfio.vfio.VfioException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DMA book-keeping over a scripted kernel: the mapping limit, ENOSPC, the unmapped byte count, every IOVA window. */
class KernelDmaSpaceTest {

    /** Records the ioctls; answers ENOSPC or a short unmap when told to. */
    static final class ScriptedKernel implements KernelDmaSpace.DmaOps {
        final List<String> calls = new ArrayList<>();
        boolean enospc;
        long shortBy;

        @Override
        public void mapDma(long vaddr, long iova, long size) {
            if (enospc) {
                throw new SyscallException("ioctl(VFIO_IOMMU_MAP_DMA)", Errno.ENOSPC.number());
            }
            calls.add(String.format("map 0x%x", iova));
        }

        @Override
        public long unmapDma(long iova, long size) {
            calls.add(String.format("unmap 0x%x", iova));
            return size - shortBy;
        }
    }

    @Test
    void shouldRefuseTheMappingPastTheKernelsLimitWithATypedErrorBeforeAskingTheKernel() {
        ScriptedKernel k = new ScriptedKernel();
        KernelDmaSpace dma = new KernelDmaSpace(k, new IovaAllocator(0x1000, 1L << 30, 4096), 2);
        try (Arena arena = Arena.ofConfined()) {
            dma.map(page(arena));
            dma.map(page(arena));

            DmaLimitException e = assertThrows(DmaLimitException.class, () -> dma.map(page(arena)));

            assertEquals(2, k.calls.size(), "the third map never reached the kernel");
            assertEquals(2, dma.mappings().size(), "nothing recorded for the refused one");
            assertTrue(e.getMessage().contains("2 mappings of 2 allowed") && e.getMessage().contains("dma_entry_limit"),
                    e.getMessage());
        }
    }

    @Test
    void shouldTurnTheKernelsEnospcIntoTheSameTypedError() {
        ScriptedKernel k = new ScriptedKernel();
        KernelDmaSpace dma = new KernelDmaSpace(k, new IovaAllocator(0x1000, 1L << 30, 4096), -1);
        k.enospc = true;
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(DmaLimitException.class, () -> dma.map(page(arena)));
            assertEquals(List.of(), dma.mappings());
        }
    }

    @Test
    void shouldCheckTheBytesTheKernelUnmapped() {
        ScriptedKernel k = new ScriptedKernel();
        KernelDmaSpace dma = new KernelDmaSpace(k, new IovaAllocator(0x1000, 1L << 30, 4096), -1);
        try (Arena arena = Arena.ofConfined()) {
            DmaMapping ok = dma.map(page(arena));
            dma.unmap(ok);
            DmaMapping m = dma.map(page(arena));
            k.shortBy = 4096;

            VfioException e = assertThrows(VfioException.class, () -> dma.unmap(m));

            assertTrue(e.getMessage().contains("unmapped 0x0 bytes, not 0x1000"), e.getMessage());
        }
    }

    @Test
    void shouldUseEveryIovaWindowTheIommuReports() {
        IovaAllocator space = KernelVfioDevice.iovaSpace(new IommuInfo(0x1000, List.of(
                new IommuInfo.IovaRange(0, 0x2fff), new IommuInfo.IovaRange(0x10000, 0x7fffffffffL))));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0x1000, space.allocate(page(arena)).iova());
            assertEquals(0x2000, space.allocate(page(arena)).iova());
            assertEquals(0x10000, space.allocate(page(arena)).iova(), "the first window is full: the second one");
            assertEquals(0x7ffffff000L, space.place(page(arena), 0x7ffffff000L).iova(), "up to the top of 6.12's range");
            assertThrows(IllegalArgumentException.class, () -> space.place(page(arena), 0x4000), "the hole is not usable");
        }
    }

    private static MemorySegment page(Arena arena) {
        return arena.allocate(4096, 4096);
    }
}
