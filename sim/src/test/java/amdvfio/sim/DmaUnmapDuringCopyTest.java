package amdvfio.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.sdma.SdmaError;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import java.util.List;

/**
 * Host memory unmapped from the IOMMU and then munmap'd while an SDMA engine is copying from it:
 * on hardware an IOMMU fault, never a crash. The model used to keep reading the freed segment
 * (SIGSEGV in RingReader.linearDword); now the unmap waits for the packet in flight and the
 * next access faults.
 */
class DmaUnmapDuringCopyTest {

    static final List<SimProfile> PROFILES = SimProfile.ALL;

    @ParameterizedTest
    @FieldSource("PROFILES")
    @Timeout(20)
    void shouldFaultTheEngineInsteadOfCrashingWhenHostMemoryIsUnmappedMidCopy(SimProfile p) throws Exception {
        try (SimBus bus = new SimBus()) {
            PciAddress at = PciAddress.parse("0000:07:00.0");
            // unpaced: the engine spends nearly all its time inside MemorySegment.copy of the host
            // buffer, so the unmap+munmap lands in the middle of a copy
            SimControl card = bus.plug(at, p, SimConfig.warm());
            RawGpu gpu = new RawGpu(bus.open(at), p).busMaster().gart().ih(true, true).sdma(0);
            try {
                long src = gpu.gart(RawGpu.DATA);
                long vram = card.fbBase() + (32L << 20);
                for (int i = 0; i < 280; i++) {
                    gpu.emit(0x1, (2 << 20) - 1, 0, (int) src, (int) (src >>> 32), (int) vram, (int) (vram >>> 32));
                }
                gpu.commit();
                Thread.sleep(3);
                gpu.dev.dma().unmap(gpu.dma);  // VFIO_IOMMU_UNMAP_DMA …
                gpu.host.close();              // … then munmap: the engine must not touch it again
                assertTrue(RawGpu.await(() -> card.engine(0).error() == SdmaError.PAGE_FAULT, 5000),
                        "engine stops with a page fault: " + card.engine(0));
                assertTrue(card.faults().stream().anyMatch(f -> f.reason() == GpuFault.Reason.IOMMU),
                        "IOMMU fault recorded: " + card.faults());
            } finally {
                gpu.close();
            }
        }
    }
}
