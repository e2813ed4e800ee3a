package amdvfio.amdgpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.bindings.amdgpu.gc_11_0_0_h;
import org.junit.jupiter.api.Test;

/**
 * The typed layer over the generated constants: every per-version set builds (a name missing from
 * a header fails here, not on a card), and the facts that amdgpu itself spells out elsewhere agree
 * with what the sets compute from the headers.
 */
class TypedLayerTest {

    @Test
    void everyRegisterSetBuildsFromItsGeneratedHeader() {
        for (SdmaIp v : SdmaIp.values()) {
            for (int i = 0; i < v.maxInstances(); i++) {
                assertNotNull(v.regs(i).rbCntl, v + " instance " + i);
            }
        }
        assertEquals(2, SdmaIp.V4_0.maxInstances());
        assertEquals(4, SdmaIp.V5_2.maxInstances());
        assertNotNull(IhIp.IH_V6_0.regs().doorbellRptr);
        assertNotNull(VmHubRegs.MMHUB_3_0.invSem);
        assertNotNull(NbioRegs.NBIO_4_3.ihRoute.enable());
    }

    @Test
    void navi31FrameBufferLocationIsReadFromGc11NotDerived() {
        assertEquals(0x1678, VmHubRegs.GFXHUB_11_0.fbLocationBase.offset());
        assertEquals(0x1679, VmHubRegs.GFXHUB_11_0.fbLocationTop.offset());
        assertEquals(gc_11_0_0_h.regGCMC_VM_FB_LOCATION_BASE(), VmHubRegs.GFXHUB_11_0.fbLocationBase.offset());
    }

    @Test
    void fixedRegistersMatchTheAddressesAmdgpuDiscoveryHardCodes() {
        // amdgpu_discovery.c: mmRCC_CONFIG_MEMSIZE 0xde3, mmMP0_SMN_C2PMSG_33 0x16061, mmMM_INDEX 0x0 / _HI 0x6
        assertEquals(0xde3, FixedRegs.RCC_CONFIG_MEMSIZE);
        assertEquals(0x16061, FixedRegs.MP0_C2PMSG_33);
        assertEquals(0x0, FixedRegs.MM_INDEX);
        assertEquals(0x1, FixedRegs.MM_DATA);
        assertEquals(0x6, FixedRegs.MM_INDEX_HI);
    }

    @Test
    void sdmaInstancesUseTheirOwnGeneratedOffsets() {
        // sdma_v5_2.c: SDMA1_REG_OFFSET 0x600, SDMA2 in segment 2, SDMA3_REG_OFFSET 0x400
        SdmaRegs s0 = SdmaIp.V5_2.regs(0);
        assertEquals(s0.rbCntl.offset() + 0x600, SdmaIp.V5_2.regs(1).rbCntl.offset());
        assertEquals(2, SdmaIp.V5_2.regs(2).rbCntl.segment());
        assertEquals(SdmaIp.V5_2.regs(2).rbCntl.offset() + 0x400, SdmaIp.V5_2.regs(3).rbCntl.offset());
        // sdma_v6_0.c: HYP registers (F32_CNTL 0x589a, segment 1) at + 0x20 per instance
        assertEquals(1, SdmaIp.V6_0.regs(0).f32Cntl.segment());
        assertEquals(SdmaIp.V6_0.regs(0).f32Cntl.offset() + 0x20, SdmaIp.V6_0.regs(1).f32Cntl.offset());
        assertEquals(HwIp.SDMA1, SdmaIp.V4_0.regs(1).baseIp);
    }

    @Test
    void versionDifferencesAreAbsentFieldsNotVersionChecks() {
        assertNull(SdmaIp.V6_0.regs(0).rbWptrPollCntl);
        assertNotNull(SdmaIp.V6_0.regs(0).f32WptrPollEnable);
        assertNotNull(SdmaIp.V6_0.regs(1).th1Reset);
        assertNull(SdmaIp.V5_0.regs(0).th1Reset);
        assertNull(SdmaIp.V6_0.regs(0).utcL1Enable);
        assertNotNull(SdmaIp.V4_0.regs(0).utcL1Enable);
    }

    @Test
    void packetMaximaFitTheCountFieldsOfEachHeader() {
        assertEquals(22, SdmaPackets.V5.fillCount.width());
        assertEquals(22, SdmaPackets.V5.copyCount.width());
        assertEquals(30, SdmaPackets.V6_0.fillCount.width());
        assertEquals(0x400000L, SdmaIp.V5_2.fillMaxBytes());
        assertEquals(0x400000L, SdmaIp.V5_2.copyMaxBytes());
        for (SdmaIp v : SdmaIp.values()) {
            assertTrue(v.copyMaxBytes() - 1 <= v.packets().copyCount.max(), v.toString());
            assertTrue(v.fillMaxBytes() - 1 <= v.packets().fillCount.max(), v.toString());
        }
    }

    @Test
    void fenceHeadersAreThoseAmdgpuEmits() {
        assertEquals(0x00000005, SdmaIp.V4_0.fenceHeader());
        assertEquals(0x00030005, SdmaIp.V5_2.fenceHeader());
        assertEquals(0x00030005, SdmaIp.V6_0.fenceHeader());
    }

    @Test
    void doorbellRoutesEncodeAsNbioV43ProgramsThem() {
        DoorbellRange sdma = NbioRegs.NBIO_4_3.sdmaRoute(0);
        int v = sdma.encode(0, 0x200, 40);
        assertTrue(sdma.routes(v, 0x200));
        assertTrue(sdma.routes(v, 0x227));
        assertTrue(!sdma.routes(v, 0x228));
        assertEquals(0xe, sdma.awid().get(v));
        assertEquals(0x3, sdma.awaddr().get(v));
        assertTrue(!sdma.routes(sdma.disable(v), 0x200));
    }

    @Test
    void anUnknownNameFailsWithTheWantFileHint() {
        var e = assertThrows(IllegalArgumentException.class, () -> HeaderFacts.of(gc_11_0_0_h.class).reg("NO_SUCH_REG"));
        assertTrue(e.getMessage().contains(".want"), e.getMessage());
    }
}
