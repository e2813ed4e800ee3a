package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.amdgpu.DoorbellRange;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.fence.Fence;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six defects that typed-twice hardware facts hid (issue 11), each as the behaviour a user of
 * a real card would notice, on every profile it concerns. The simulator models what makes each
 * observable (sim/MODEL.md): the FB location registers at their header offsets, count bits above
 * a packet field dropped (strict: flagged), NBIO doorbell routing, F32 thread 1 held in reset on
 * SDMA 6.0, a TLB per hub, and the IH translated through MMHUB on Navi.
 */
class HardwareFactsTest {

    static Stream<Arguments> profiles() {
        return SimFixture.profiles().map(Arguments::of);
    }

    /** Each profile's own per-packet maxima, not the fixture's lowered split. */
    static final Gpu.Options OWN_MAXIMA = new Gpu.Options(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2), 0);

    /** Defect 1: Navi31's GCMC_VM_FB_LOCATION_BASE/TOP are 0x1678/0x1679 (gc_11_0_0_offset.h), not CNTL + 0x100. */
    @ParameterizedTest
    @MethodSource("profiles")
    void shouldPlaceVramWhereTheVbiosProgrammedTheFrameBuffer(SimProfile profile) {
        try (SimFixture f = new SimFixture(profile)) {
            BufferObject bo = f.client.allocate(Domain.VRAM, 4096);
            long fb = f.card.fbBase();
            assertTrue(bo.gpuAddress() >= fb && bo.gpuAddress() < fb + f.card.vram().byteSize(),
                    String.format("VRAM buffer at MC 0x%x, FB at 0x%x", bo.gpuAddress(), fb));
        }
    }

    /**
     * Defect 2: CONSTANT_FILL's count is 22 bits on 4.0 and 5.x (5.2 included: navi10_sdma_pkt_open.h),
     * so a 9 MiB fill takes three packets; one packet would fill 1 MiB and still signal.
     */
    @ParameterizedTest
    @MethodSource("profiles")
    void shouldFillEveryByteOfAFillLargerThanOnePacket(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(new SimBus(), true, "0000:03:00.0", profile, SimConfig.defaults(), OWN_MAXIMA)) {
            long size = 9L << 20;
            BufferObject bo = f.client.allocate(Domain.VRAM, size);
            MemorySegment cpu = f.client.map(bo);
            cpu.fill((byte) 0x11);
            Fence fence = f.client.submit(Job.builder().fill(bo, 0, size, (byte) 0x5A).build());
            assertTrue(f.client.await(fence, Duration.ofSeconds(20)));
            assertNull(fence.error());
            byte[] want = new byte[(int) size];
            java.util.Arrays.fill(want, (byte) 0x5A);
            assertEquals(-1, cpu.mismatch(MemorySegment.ofArray(want)), "first byte not filled");
        }
    }

    /**
     * Defects 3 and 4: every SDMA engine's doorbell and the IH's are routed by the NBIO — Navi21's
     * BIF_SDMA2/3_DOORBELL_RANGE too (nbio_v2_3_sdma_doorbell_range), and on Navi31's NBIO 4.3 the
     * S2A entries 2 (SDMA) and 1 (IH) rather than BIF ranges (nbio_v4_3.c).
     */
    @ParameterizedTest
    @MethodSource("profiles")
    void shouldRouteEveryEnginesDoorbellThroughTheNbio(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            var p = f.gpu.profile();
            NbioRegs nbio = p.nbio();
            int[] nbif = profile.bases(HwIp.NBIF);
            assertEquals(1, nbio.doorbellAperEnable.get(f.card.peekRegister(nbio.doorbellAperEn.address(nbif))));
            for (int i = 0; i < p.sdma().instances(); i++) {
                DoorbellRange r = nbio.sdmaRouteShared ? nbio.sdmaRoutes.get(0) : nbio.sdmaRoute(i);
                int v = f.card.peekRegister(r.reg().address(nbif));
                assertTrue(r.routes(v, p.doorbells().sdmaDword(i)), "SDMA" + i + " doorbell routed by " + r.reg());
            }
            int ih = f.card.peekRegister(nbio.ihRoute.reg().address(nbif));
            assertTrue(nbio.ihRoute.routes(ih, p.doorbells().ihDword()), "IH doorbell routed by " + nbio.ihRoute.reg());
            roundTrip(f);
            assertTrue(f.card.strictViolations().stream().noneMatch(v -> v.rule().equals("unrouted doorbell")),
                    () -> f.card.strictViolations().toString());
        }
    }

    /** Defect 5: sdma_v6_0_gfx_resume clears F32_CNTL.TH1_RESET with HALT; a 6.0 engine runs only then. */
    @Test
    void shouldReleaseF32Thread1OnSdma6() {
        try (SimFixture f = new SimFixture(SimProfile.NAVI31)) {
            for (int i = 0; i < SimProfile.NAVI31.sdmaCount(); i++) {
                SdmaRegs r = SimProfile.NAVI31.sdmaRegs(i);
                int v = f.card.peekRegister(SimProfile.NAVI31.sdmaRegister(i, r.f32Cntl));
                assertEquals(0, r.th1Reset.get(v), "SDMA" + i + " TH1_RESET");
                assertEquals(0, r.halt.get(v), "SDMA" + i + " HALT");
            }
        }
    }

    /**
     * Defect 6: a GART range reused for a new buffer must not be served from the hub's TLB: the
     * driver invalidates VMID 0 through VM_INVALIDATE_ENG17 after every GART update
     * (amdgpu_gart_invalidate_tlb). Without it the engine writes the old buffer's pages.
     */
    @ParameterizedTest
    @MethodSource("profiles")
    void shouldNeverServeAReusedGartRangeFromAStaleTlb(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            long size = 64 << 10;
            BufferObject a = f.client.allocate(Domain.GTT, size);
            long at = a.gpuAddress();
            fill(f, a, size, (byte) 0x11);
            f.client.free(a);
            // another DMA user takes the freed IOVA range, so the next buffer gets new host pages
            MemorySegment other = java.lang.foreign.Arena.ofAuto().allocate(size, 4096);
            var stolen = f.gpu.device().dma().map(other);
            BufferObject b = f.client.allocate(Domain.GTT, size);
            assertEquals(at, b.gpuAddress(), "the GART range is reused (first fit)");
            fill(f, b, size, (byte) 0x22);
            byte[] want = new byte[(int) size];
            java.util.Arrays.fill(want, (byte) 0x22);
            assertEquals(-1, f.client.map(b).mismatch(MemorySegment.ofArray(want)), "the new buffer holds the fill");
            assertEquals(-1, other.mismatch(MemorySegment.ofArray(new byte[(int) size])), "the other DMA user's memory is untouched");
            f.gpu.device().dma().unmap(stolen);
        }
    }

    /** Defect 6, second half: on Navi the IH is an MMHUB client, so its ring is reached only through MMHUB's VMID 0. */
    @ParameterizedTest
    @MethodSource("profiles")
    void shouldDeliverInterruptsThroughTheIhsOwnHub(SimProfile profile) throws Exception {
        try (SimFixture f = new SimFixture(profile)) {
            roundTrip(f);
            assertTrue(f.card.ih().ivsWritten() > 0, () -> "no IV written: " + f.card.ih() + ", faults " + f.card.faults());
            assertTrue(f.card.faults().isEmpty(), () -> f.card.faults().toString());
        }
    }

    private static void roundTrip(SimFixture f) throws InterruptedException {
        BufferObject bo = f.client.allocate(Domain.GTT, 4096);
        for (int i = 0; i < 2 * f.gpu.ringCount(); i++) {
            Fence fence = f.client.submit(Job.builder().writeDword(bo, 0, i).build());
            assertTrue(f.client.await(fence, Duration.ofSeconds(5)));
            assertNull(fence.error());
        }
    }

    private static void fill(SimFixture f, BufferObject bo, long size, byte value) throws InterruptedException {
        Fence fence = f.client.submit(Job.builder().fill(bo, 0, size, value).build());
        assertTrue(f.client.await(fence, Duration.ofSeconds(5)));
        assertNull(fence.error(), () -> "fill failed; faults " + f.card.faults());
    }
}
