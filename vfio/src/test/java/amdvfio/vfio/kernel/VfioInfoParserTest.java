package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_h;
import amdvfio.vfio.IovaAllocator;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.VfioException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Capability chains built by hand from linux/vfio.h, as the kernel would fill them. */
class VfioInfoParserTest {

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;

    /** struct vfio_region_info (32 bytes) + an unknown cap at 32 + sparse mmap cap at 48 with two areas. */
    static MemorySegment regionWithSparseMmap(Arena arena) {
        MemorySegment b = arena.allocate(48 + 16 + 2 * 16, 8);
        b.set(U32, 0, (int) b.byteSize());                 // argsz
        b.set(U32, 4, vfio_h.VFIO_REGION_INFO_FLAG_READ() | vfio_h.VFIO_REGION_INFO_FLAG_WRITE()
                | vfio_h.VFIO_REGION_INFO_FLAG_MMAP() | vfio_h.VFIO_REGION_INFO_FLAG_CAPS());
        b.set(U32, 8, 0);                                  // index: BAR0
        b.set(U32, 12, 32);                                // cap_offset
        b.set(U64, 16, 0x100000);                          // size
        b.set(U64, 24, 0x0);                               // offset in the device fd
        b.set(U16, 32, (short) 99);                        // an id we do not know: skipped
        b.set(U16, 34, (short) 1);
        b.set(U32, 36, 48);                                // next
        b.set(U16, 48, (short) vfio_h.VFIO_REGION_INFO_CAP_SPARSE_MMAP());
        b.set(U16, 50, (short) 1);
        b.set(U32, 52, 0);                                 // end of chain
        b.set(U32, 56, 2);                                 // nr_areas
        b.set(U64, 64, 0x0);
        b.set(U64, 72, 0x2000);
        b.set(U64, 80, 0x4000);
        b.set(U64, 88, 0xFC000);
        return b;
    }

    @Test
    void shouldReadSparseMmapAreasFromTheCapabilityChain() {
        try (Arena arena = Arena.ofConfined()) {
            RegionInfo r = VfioInfoParser.regionInfo(regionWithSparseMmap(arena));

            assertEquals(0, r.index());
            assertEquals(0x100000, r.size());
            assertTrue(r.readable() && r.writable() && r.mappable());
            assertEquals(List.of(new RegionInfo.SparseArea(0, 0x2000), new RegionInfo.SparseArea(0x4000, 0xFC000)),
                    r.sparseAreas());
            assertFalse(r.canMap(0, r.size()), "the hole at 0x2000 (an MSI-X table) is not mappable");
            assertTrue(r.canMap(0x4000, 0x1000));
        }
    }

    @Test
    void shouldIgnoreCapsWhenTheFlagSaysThereAreNone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = regionWithSparseMmap(arena);
            b.set(U32, 4, vfio_h.VFIO_REGION_INFO_FLAG_READ());

            assertEquals(List.of(), VfioInfoParser.regionInfo(b).sparseAreas());
        }
    }

    @Test
    void shouldRejectAChainPointingOutsideTheBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = regionWithSparseMmap(arena);
            b.set(U32, 36, 4096);

            VfioException e = assertThrows(VfioException.class, () -> VfioInfoParser.regionInfo(b));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }
    }

    @Test
    void shouldRejectAChainThatLoops() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = regionWithSparseMmap(arena);
            b.set(U32, 36, 32); // points at itself

            assertThrows(VfioException.class, () -> VfioInfoParser.regionInfo(b));
        }
    }

    /**
     * Linux 6.1 as measured in the VM tier: capabilities are not padded, so after the 12-byte
     * DMA_AVAIL capability the IOVA-range capability starts at a 4-mod-8 offset.
     */
    @Test
    void shouldReadAnIovaRangeCapabilityAtAMisalignedOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(24 + 12 + 16 + 16, 8);
            b.set(U32, 0, (int) b.byteSize());
            b.set(U32, 4, vfio_h.VFIO_IOMMU_INFO_PGSIZES() | vfio_h.VFIO_IOMMU_INFO_CAPS());
            b.set(U64, 8, 0x1000L);
            b.set(U32, 16, 24);                            // cap_offset
            b.set(U16, 24, (short) 3);                     // VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL
            b.set(U16, 26, (short) 1);
            b.set(U32, 28, 36);                            // next: 24 + 12, not 8-aligned
            b.set(U32, 32, 65535);                         // avail
            b.set(U16, 36, (short) vfio_h.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE());
            b.set(U16, 38, (short) 1);
            b.set(U32, 40, 0);
            b.set(U32, 44, 1);                             // nr_iovas
            b.set(ValueLayout.JAVA_LONG_UNALIGNED, 52, 0x0L);
            b.set(ValueLayout.JAVA_LONG_UNALIGNED, 60, 0xfedfffffL);

            IommuInfo info = VfioInfoParser.iommuInfo(b);

            assertEquals(List.of(new IommuInfo.IovaRange(0, 0xfedfffffL)), info.iovaRanges());
            assertEquals(65535, info.dmaAvail(), "the DMA_AVAIL capability gives the mapping limit");
        }
    }

    /** struct vfio_iommu_type1_info (24 bytes) + iova range cap with two ranges (Intel: hole at the MSI window). */
    @Test
    void shouldReadPageSizesAndIovaRangesOfTheIommu() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(24 + 16 + 2 * 16, 8);
            b.set(U32, 0, (int) b.byteSize());
            b.set(U32, 4, vfio_h.VFIO_IOMMU_INFO_PGSIZES() | vfio_h.VFIO_IOMMU_INFO_CAPS());
            b.set(U64, 8, 0x40201000L);                    // 4K | 2M | 1G
            b.set(U32, 16, 24);                            // cap_offset
            b.set(U16, 24, (short) vfio_h.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE());
            b.set(U16, 26, (short) 1);
            b.set(U32, 28, 0);
            b.set(U32, 32, 2);                             // nr_iovas
            b.set(U64, 40, 0x0);
            b.set(U64, 48, 0xfedfffffL);
            b.set(U64, 56, 0xfef00000L);
            b.set(U64, 64, 0x7fffffffffL);

            IommuInfo info = VfioInfoParser.iommuInfo(b);

            assertEquals(0x1000, info.minPageSize(0));
            assertEquals(List.of(new IommuInfo.IovaRange(0, 0xfedfffffL), new IommuInfo.IovaRange(0xfef00000L, 0x7fffffffffL)),
                    info.iovaRanges());
            IovaAllocator space = KernelVfioDevice.iovaSpace(info);
            MemorySegment page = arena.allocate(4096, 4096);
            assertEquals(0x1000, space.allocate(page).iova(), "IOVA 0 stays unused so a null device address faults");
            assertEquals(-1, info.dmaAvail(), "no DMA_AVAIL capability: unknown");
        }
    }

    @Test
    void shouldFallBackToA39BitSpaceWhenTheKernelReportsNoRanges() {
        IovaAllocator space = KernelVfioDevice.iovaSpace(new IommuInfo(0, List.of()));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0x1000, space.allocate(arena.allocate(4096, 4096)).iova());
            assertThrows(IllegalArgumentException.class, () -> space.place(arena.allocate(4096, 4096), 1L << 39));
        }
    }
}
