package amdvfio.sim.sdma;

import amdvfio.sim.RawGpu;
import amdvfio.sim.RawGpuAccess;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each implemented packet does what the spec says, on every profile. */
class PacketExecutionTest {

    static final PciAddress AT = PciAddress.parse("0000:07:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private static int lo(long a) {
        return (int) a;
    }

    private static int hi(long a) {
        return (int) (a >>> 32);
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldCopyFillTimestampAndRunAnIndirectBuffer(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), p)) {
            var mem = gpu.raw().mem();
            for (int i = 0; i < 1024; i++) {
                mem.set(ValueLayout.JAVA_INT_UNALIGNED, RawGpu.DATA + i * 4L, i * 7);
            }
            long src = gpu.gart(RawGpu.DATA);
            long vram = card.fbBase() + (32L << 20);
            long back = gpu.gart(RawGpu.DATA + 0x10000);
            // host -> VRAM -> host
            gpu.emit(0x1, 4095, 0, lo(src), hi(src), lo(vram), hi(vram));
            gpu.emit(0x1, 4095, 0, lo(vram), hi(vram), lo(back), hi(back));
            // CONST_FILL of 64 bytes with a dword pattern (fillsize 2)
            long fill = gpu.gart(RawGpu.DATA + 0x20000);
            gpu.emit(0x8000000B, lo(fill), hi(fill), 0xA1B2C3D4, 63);
            // TIMESTAMP GET_GLOBAL
            long ts = gpu.gart(RawGpu.DATA + 0x30000);
            gpu.emit(0x0000020D, lo(ts), hi(ts));
            // an IB: WRITE_LINEAR + FENCE, padded to 8 dwords
            long ibHost = RawGpu.DATA + 0x40000;
            long ibDst = gpu.gart(RawGpu.DATA + 0x50000);
            long fence = gpu.gart(RawGpu.FENCE);
            int[] ib = {0x2, lo(ibDst), hi(ibDst), 0, 0xFEEDF00D, gpu.raw().fenceHeader(), lo(fence), hi(fence), 77, 0, 0, 0, 0, 0, 0, 0};
            for (int i = 0; i < ib.length; i++) {
                mem.set(ValueLayout.JAVA_INT_UNALIGNED, ibHost + i * 4L, ib[i]);
            }
            while ((gpu.wptr() / 4) % 8 != 2) { // sdma_v*_ring_emit_ib: (2 - wptr) & 7 NOPs
                gpu.emit(0);
            }
            long ibAddr = gpu.gart(ibHost);
            gpu.emit(0x4, lo(ibAddr), hi(ibAddr), ib.length, 0, 0);
            gpu.commit();
            assertTrue(RawGpu.await(() -> gpu.hostInt(RawGpu.FENCE) == 77, 3000), card.engine(0).toString());
            for (int i = 0; i < 1024; i++) {
                assertEquals(i * 7, gpu.hostInt(RawGpu.DATA + 0x10000 + i * 4L));
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(0xA1B2C3D4, gpu.hostInt(RawGpu.DATA + 0x20000 + i * 4L));
            }
            assertEquals(0, gpu.hostInt(RawGpu.DATA + 0x20000 + 64));
            assertTrue(mem.get(ValueLayout.JAVA_LONG_UNALIGNED, RawGpu.DATA + 0x30000) > 0, "timestamp written");
            assertEquals(0xFEEDF00D, gpu.hostInt(RawGpu.DATA + 0x50000));
            assertEquals(List.of(), card.strictViolations());
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldBlockOnPollRegMemUntilMemoryMatchesThenWriteARegisterBySrbm(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), p)) {
            long flag = gpu.gart(RawGpu.DATA + 0x100);
            long fence = gpu.gart(RawGpu.FENCE);
            int scratch = gpu.raw().sdmaReg(0, gpu.raw().sdmaRegs(0).rbWptrPollAddrHi); // a plain register
            gpu.emit(0xB0000008, lo(flag), hi(flag), 5, 0xFFFFFFFF, 0x0FFF0004);
            gpu.emit(0xF000000E, scratch, 0x1234);
            gpu.emit(gpu.raw().fenceHeader(), lo(fence), hi(fence), 9).commit();
            RawGpu.await(() -> false, 50);
            assertEquals(0, gpu.hostInt(RawGpu.FENCE), "waiting on the poll");
            var st = card.engine(0);
            assertTrue(!st.idle() && st.error() == SdmaError.NONE, st.toString());
            gpu.raw().mem().set(ValueLayout.JAVA_INT_UNALIGNED, RawGpu.DATA + 0x100, 5);
            assertTrue(RawGpu.await(() -> gpu.hostInt(RawGpu.FENCE) == 9, 3000));
            assertEquals(0x1234, gpu.raw().rreg(scratch));
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldPickUpWorkFromTheWptrShadowWhenF32PollingIsOn(SimProfile p) {
        SimControl card = bus.plug(AT, p, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), p)) {
            RawGpu raw = gpu.raw();
            var r = raw.sdmaRegs(0);
            if (r.rbWptrPollCntl != null) {
                raw.wreg(raw.sdmaReg(0, r.rbWptrPollCntl), r.f32PollEnable.mask());
            } else {
                int c = raw.rreg(raw.sdmaReg(0, r.rbCntl));
                raw.wreg(raw.sdmaReg(0, r.rbCntl), r.f32WptrPollEnable.set(c, 1));
            }
            long dst = gpu.gart(RawGpu.DATA);
            gpu.emit(0x2, lo(dst), hi(dst), 0, 0xC0DE).raw().pad(0);
            raw.mem().set(ValueLayout.JAVA_LONG_UNALIGNED, RawGpu.WPTR_SHADOW, raw.wptr); // no doorbell
            assertTrue(RawGpu.await(() -> gpu.hostInt(RawGpu.DATA) == 0xC0DE, 3000), card.engine(0).toString());
            Thread t = card.threads().get(0);
            assertTrue(RawGpu.await(() -> t.getState() == Thread.State.TIMED_WAITING, 2000), "polls: " + t.getState());
        }
    }
}
