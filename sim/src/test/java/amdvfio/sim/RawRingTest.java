package amdvfio.sim;

import amdvfio.sim.ih.IvEntry;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * amdgpu's ring test, by raw register writes only: GART, SDMA ring, IH ring, a WRITE_LINEAR of
 * 0xDEADBEEF that must land in host memory with the rptr written back, then FENCE + TRAP that must
 * produce the profile's trap IV in the IH ring and an MSI. For every profile and every SDMA instance.
 */
class RawRingTest {

    static final List<SimProfile> PROFILES = SimProfile.ALL;
    static final PciAddress AT = PciAddress.parse("0000:03:00.0");

    private final SimBus bus = new SimBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldLandDeadbeefAndRaiseTheTrapIvThroughRawRegisterWrites(SimProfile profile) {
        SimControl card = bus.plug(AT, profile, SimConfig.warm());
        try (RawGpu gpu = new RawGpu(bus.open(AT), profile)) {
            gpu.busMaster().gart().ih(true, true);
            for (int i = 0; i < profile.sdmaCount(); i++) {
                gpu.sdma(i);
                gpu.wptr = 0;
                long dst = RawGpu.DATA + i * 64L;
                gpu.emitTo(i, 0x00000002, (int) gpu.gart(dst), (int) (gpu.gart(dst) >>> 32), 0, 0xDEADBEEF).commit(i);
                long expectedRptr = gpu.wptr;
                int inst = i;
                assertTrue(RawGpu.await(() -> gpu.hostInt(dst) == 0xDEADBEEF, 5000),
                        profile.name() + " SDMA" + i + ": WRITE_LINEAR did not land; " + card.engine(inst));
                assertTrue(RawGpu.await(() -> gpu.rptrWriteback(inst) == expectedRptr, 5000),
                        "rptr writeback " + gpu.rptrWriteback(i) + " != " + expectedRptr);

                long fence = RawGpu.FENCE + i * 4L;
                gpu.emitTo(i, gpu.fenceHeader(), (int) gpu.gart(fence), (int) (gpu.gart(fence) >>> 32), 0x1234 + i)
                        .emitTo(i, 0x00000006, 0x0000ABC + i).commit(i);
                assertTrue(RawGpu.await(() -> gpu.hostInt(fence) == 0x1234 + inst, 5000), "fence did not land");
                assertTrue(gpu.awaitMsi(5000) >= 1, "no MSI for the trap");

                int ivOffset = i * IvEntry.BYTES;
                int[] dw = new int[8];
                for (int k = 0; k < 8; k++) {
                    dw[k] = gpu.hostInt(RawGpu.IH_RING + ivOffset + k * 4L);
                }
                IvEntry iv = IvEntry.decode(dw);
                assertEquals(profile.trapClientId(i), iv.clientId(), "client id");
                assertEquals(profile.sdma().trapSrcId(), iv.srcId(), "src id");
                int ringId = profile.sdma().ip().trapRingId(i);
                assertEquals(ringId, iv.ringId(), "ring id");
                assertEquals(0x0000ABC + i, iv.srcData()[0], "src_data[0] = int_context");
                assertEquals(ivOffset + IvEntry.BYTES, gpu.hostInt(RawGpu.IH_WPTR_WB), "IH wptr writeback");
                // ack by doorbell (WDOORBELL32 of the byte rptr)
                gpu.doorbells.write32(gpu.ihDoorbellIndex() * 4, ivOffset + IvEntry.BYTES);
                assertEquals(ivOffset + IvEntry.BYTES, card.ih().rptr());
            }
            assertEquals(List.of(), card.strictViolations());
            assertEquals(List.of(), card.faults());
            assertEquals(0xDEADBEEF, gpu.mem().get(ValueLayout.JAVA_INT_UNALIGNED, RawGpu.DATA));
        }
    }
}
