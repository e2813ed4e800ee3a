package amdvfio.sim.gmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import amdvfio.amdgpu.VmHubRegs;
import amdvfio.sim.SimDmaSpace;
import amdvfio.sim.regs.RegisterFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A hub at reset (a cold card) refuses VMID 0 until its L1 TLB and L2 are on, and serves the
 * frame buffer only inside its system aperture in system access mode 3; every hub generation.
 * The PSP's path is not gated.
 */
class HubGateTest {

    static final long FB = 0x80_0000_0000L;
    static final long VRAM = 1 << 20;
    static final List<VmHubRegs> HUBS = List.of(VmHubRegs.MMHUB_1_0, VmHubRegs.MMHUB_2_0, VmHubRegs.MMHUB_3_0,
            VmHubRegs.GFXHUB_10_1, VmHubRegs.GFXHUB_10_3, VmHubRegs.GFXHUB_11_0);
    private static final int[] BASES = {0x1260, 0xA000, 0x1A000};

    private final List<GpuFault> faults = new ArrayList<>();
    private final MemorySegment vram = Arena.ofAuto().allocate(VRAM);
    private final RegisterFile regs = new RegisterFile(1 << 20);

    private Gmc gmc(VmHubRegs r) {
        return new Gmc(vram, FB, new VmHub(r, BASES, regs, false, v -> { }), new SimDmaSpace(), () -> true, faults::add,
                new LinkPacer(0));
    }

    private GpuFault.Reason refusal(Gmc gmc, long mc) {
        return assertThrows(GpuFaultException.class, () -> gmc.readInt(mc, "SDMA0")).fault().reason();
    }

    @ParameterizedTest
    @FieldSource("HUBS")
    void aHubAtResetRefusesEvenVramUntilItsL1TlbAndL2AreOn(VmHubRegs r) throws GpuFaultException {
        Gmc gmc = gmc(r);
        assertEquals(GpuFault.Reason.HUB_NOT_ENABLED, refusal(gmc, FB));
        regs.write(r.l1TlbCntl.address(BASES), r.enableL1Tlb.encode(1) | r.systemAccessMode.encode(3));
        assertEquals(GpuFault.Reason.HUB_NOT_ENABLED, refusal(gmc, FB), "the L1 TLB alone is not enough");
        regs.write(r.l2Cntl.address(BASES), r.enableL2Cache.encode(1));
        assertEquals(GpuFault.Reason.OUTSIDE_SYSTEM_APERTURE, refusal(gmc, FB), "the aperture is still empty");
        regs.write(r.apertureLow.address(BASES), (int) (FB >>> VmHubRegs.APERTURE_SHIFT));
        regs.write(r.apertureHigh.address(BASES), (int) ((FB + VRAM - 1) >>> VmHubRegs.APERTURE_SHIFT));
        gmc.writeInt(FB + 8, 0x1234, "SDMA0");
        assertEquals(0x1234, gmc.readInt(FB + 8, "SDMA0"));
        regs.write(r.l1TlbCntl.address(BASES), r.enableL1Tlb.encode(1) | r.systemAccessMode.encode(0));
        assertEquals(GpuFault.Reason.OUTSIDE_SYSTEM_APERTURE, refusal(gmc, FB), "only access mode 3 is served");
    }

    @ParameterizedTest
    @FieldSource("HUBS")
    void aWarmHubServesTheFrameBufferAndThePspNeverWaitsForTheHub(VmHubRegs r) throws GpuFaultException {
        Gmc gmc = gmc(r);
        gmc.beforeTheHub().writeInt(FB + 16, 7, "PSP");
        assertEquals(GpuFault.Reason.HUB_NOT_ENABLED, refusal(gmc, FB + 16));
        gmc.hub().asLeftWarm(FB, FB + VRAM - 1);
        assertEquals(7, gmc.readInt(FB + 16, "SDMA0"));
        assertEquals(GpuFault.Reason.UNMAPPED_ADDRESS, refusal(gmc, FB + VRAM), "past VRAM, no GART: unmapped");
    }
}
