package amdvfio.sim;

import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.amdgpu.Pte;
import amdvfio.sim.sdma.SdmaError;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the model does so that a driver's hardware-fact mistakes show (MODEL.md §6–§8): doorbells
 * reach an engine only through an NBIO route, a hub serves a stale GART translation until
 * invalidated through engine 17, the Navi IH translates through MMHUB, count bits above a packet
 * field are dropped (strict mode stops on them), and SDMA 6.0's F32 waits for TH1_RESET = 0.
 * Each by raw register writes, independent of the driver.
 */
class HardwareModelTest {

    static final List<SimProfile> PROFILES = SimProfile.ALL;
    static final List<SimProfile> NAVI = List.of(SimProfile.NAVI10, SimProfile.NAVI21, SimProfile.NAVI31);
    static final List<SimProfile> COUNT_22_BITS = List.of(SimProfile.VEGA10, SimProfile.NAVI10, SimProfile.NAVI21);
    static final PciAddress AT = PciAddress.parse("0000:03:00.0");

    private final SimBus bus = new SimBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldDropADoorbellOutsideEveryNbioRouteAndDeliverItOnceRouted(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            gpu.busMaster().gart().ih(true, true).sdma(0);
            var route = p.nbio().sdmaRouteShared ? p.nbio().sdmaRoutes.get(0) : p.nbio().sdmaRoute(0);
            int routeDword = route.reg().address(gpu.bases.get(HwIp.NBIF));
            int programmed = gpu.rreg(routeDword);
            gpu.wreg(routeDword, route.disable(programmed));
            long dst = gpu.gart(RawGpu.DATA);
            gpu.emit(0x2, (int) dst, (int) (dst >>> 32), 0, 0xD00DB311).commit();
            assertEquals(0, card.engine(0).wptr(), "the doorbell never reached SDMA0");
            assertTrue(card.strictViolations().stream().anyMatch(v -> v.rule().equals("unrouted doorbell")));

            gpu.wreg(routeDword, programmed);
            gpu.doorbells.write64(gpu.sdmaDoorbell(0), gpu.wptr);
            assertTrue(RawGpu.await(() -> gpu.hostInt(RawGpu.DATA) == 0xD00DB311, 5000), card.engine(0).toString());
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldServeAStaleGartTranslationUntilInvalidatedThroughEngine17(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            gpu.busMaster().gart().ih(true, true).sdma(0);
            long moved = RawGpu.DATA + 8192;
            write(gpu, 0x11111111, RawGpu.DATA);   // the hub walks and caches the page
            long pteAt = RawGpu.PT_VRAM_OFFSET + (RawGpu.DATA / Pte.PAGE) * 8;
            gpu.dev.mmio(0).write64(pteAt, Pte.system(gpu.iova(moved)));
            write(gpu, 0x22222222, RawGpu.DATA);   // served from the TLB: the old page
            assertEquals(0, gpu.hostInt(moved));
            assertTrue(card.strictViolations().stream().anyMatch(v -> v.rule().equals("stale TLB")));

            gpu.flushTlb(p.hub());
            write(gpu, 0x33333333, moved);         // now through the new PTE
            assertEquals(0x22222222, gpu.hostInt(RawGpu.DATA));
        }
    }

    /** WRITE_LINEAR of {@code value} to the GART page of host offset DATA; waits for it at {@code landsAt}. */
    private static void write(RawGpu gpu, int value, long landsAt) {
        long dst = gpu.gart(RawGpu.DATA);
        gpu.emit(0x2, (int) dst, (int) (dst >>> 32), 0, value).commit();
        assertTrue(RawGpu.await(() -> gpu.hostInt(landsAt) == value, 5000), String.format("0x%08x did not land", value));
    }

    @ParameterizedTest
    @FieldSource("NAVI")
    void shouldTranslateTheIhRingThroughMmhubOnNavi(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            gpu.busMaster().gart(false).ih(true, true).sdma(0);
            long fence = gpu.gart(RawGpu.FENCE);
            gpu.emit(gpu.fenceHeader(), (int) fence, (int) (fence >>> 32), 7).emit(0x6, 0).commit();
            assertTrue(RawGpu.await(() -> !card.faults().isEmpty(), 5000), "the IH write must fault");
            GpuFault f = card.faults().get(0);
            assertEquals(GpuFault.Reason.UNMAPPED_ADDRESS, f.reason());
            assertEquals(gpu.gart(RawGpu.IH_RING), f.address(), "the IH ring, through MMHUB's (unprogrammed) VMID 0");
            assertEquals(0, card.ih().ivsWritten());
        }
    }

    @ParameterizedTest
    @FieldSource("COUNT_22_BITS")
    void shouldDropCountBitsAboveTheFieldWithoutStrictMode(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm().withStrict(false));
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            gpu.busMaster().gart().ih(true, true).sdma(0);
            fill(gpu, (1 << 22) + 4095); // the hardware keeps count [21:0] = 4095: 4096 bytes
            assertTrue(RawGpu.await(() -> card.engine(0).idle(), 5000));
            assertEquals(0x5A5A5A5A, gpu.hostInt(RawGpu.DATA + 4092));
            assertEquals(0, gpu.hostInt(RawGpu.DATA + 4096), "bits above the 22-bit count are dropped");
        }
    }

    @ParameterizedTest
    @FieldSource("COUNT_22_BITS")
    void shouldStopOnCountBitsAboveTheFieldInStrictMode(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            gpu.busMaster().gart().ih(true, true).sdma(0);
            fill(gpu, (1 << 22) + 4095);
            assertTrue(RawGpu.await(() -> card.engine(0).error() == SdmaError.COUNT_TOO_LARGE, 5000), card.engine(0).toString());
            assertTrue(card.strictViolations().stream().anyMatch(v -> v.rule().equals("count width")));
            assertEquals(0, gpu.hostInt(RawGpu.DATA), "nothing filled");
        }
    }

    private static void fill(RawGpu gpu, int count) {
        long dst = gpu.gart(RawGpu.DATA);
        var k = gpu.profile.sdma().packets();
        gpu.emit(k.header(k.opConstFill, 0), (int) dst, (int) (dst >>> 32), 0x5A5A5A5A, count).commit();
    }

    @Test
    void shouldHoldSdma6UntilThread1LeavesReset() {
        SimProfile p = SimProfile.NAVI31;
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), p)) {
            SdmaRegs r = gpu.sdmaRegs(0);
            assertTrue(r.th1Reset.isSet(gpu.rreg(gpu.f32Cntl(0))), "reset value holds thread 1");
            gpu.busMaster().gart().ih(true, true).sdma(0);
            gpu.wreg(gpu.f32Cntl(0), r.th1Reset.mask()); // HALT = 0, TH1_RESET = 1
            assertTrue(card.engine(0).halted(), "TH1_RESET alone keeps the F32 stopped");
            gpu.wreg(gpu.f32Cntl(0), 0);
            assertFalse(card.engine(0).halted());
            write(gpu, 0x7E57, RawGpu.DATA);
        }
    }
}
