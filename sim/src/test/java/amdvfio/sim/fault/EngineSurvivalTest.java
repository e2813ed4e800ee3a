package amdvfio.sim.fault;

import amdvfio.sim.RawGpu;
import amdvfio.sim.RawGpuAccess;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.sdma.SdmaError;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packets that address past the end of what exists — a register index outside BAR5, the last
 * bytes of VRAM — stop the queue with a recorded reason the driver can see in the registers (the
 * rptr stays at the packet, STATUS_REG.IDLE = 0), and the engine comes back after amdgpu's
 * halt-and-reprogram recovery. The engine thread never dies.
 */
class EngineSurvivalTest {

    static final PciAddress AT = PciAddress.parse("0000:06:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldStopWithBadRegisterWhenAnHdpFlushPollNamesARegisterOutsideBar5(SimProfile profile) {
        SimControl card = bus.plug(AT, profile, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), profile)) {
            // POLL_REGMEM func ==, hdp_flush, register mode: done register = 0xFFFFFFFC >>> 2
            stopsAndRecovers(card, gpu, SdmaError.BAD_REGISTER, 0x30000008 | 1 << 26, 0xFFFFFFFC, 0, 0, 0, 0);
        }
    }

    @Test
    void shouldStopWithBadRegisterWhenAPollReadsARegisterOutsideBar5() {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10)) {
            // 0x30000 dwords is past Vega10's 512 KiB BAR5; func "always" would otherwise pass on a silent 0
            stopsAndRecovers(card, gpu, SdmaError.BAD_REGISTER, 0x00000008, 0x30000 << 2, 0, 0, 0, 0);
        }
    }

    @Test
    void shouldStopWithBadRegisterWhenSrbmWriteNamesARegisterOutsideBar5() {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10)) {
            stopsAndRecovers(card, gpu, SdmaError.BAD_REGISTER, 0xF000000E, 0x3FFFF, 0x1234);
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldFlagAWriteLinearToTheLastBytesOfVramInStrictMode(SimProfile profile) {
        SimControl card = bus.plug(AT, profile, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), profile)) {
            long dst = card.fbBase() + card.vram().byteSize() - 2;
            stopsAndRecovers(card, gpu, SdmaError.UNALIGNED_ADDRESS, 2, (int) dst, (int) (dst >>> 32), 0, 0x11223344);
        }
    }

    @Test
    void shouldMaskAWriteLinearToTheLastBytesOfVramWithoutStrictMode() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm().withStrict(false));
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            long end = card.vram().byteSize();
            long dst = card.fbBase() + end - 2;
            gpu.emit(2, (int) dst, (int) (dst >>> 32), 0, 0x11223344).commit();
            assertTrue(gpu.awaitRptr(3000), "ran: " + card.engine(0));
            assertEquals(0x11223344, card.vram().get(ValueLayout.JAVA_INT_UNALIGNED, end - 4),
                    "landed on the dword the address is in");
            assertEquals(SdmaError.NONE, card.engine(0).error());
        }
    }

    @Test
    void shouldFaultAWriteLinearThatRunsPastTheEndOfVram() {
        SimControl card = bus.plug(AT, SimProfile.NAVI21, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI21)) {
            long dst = card.fbBase() + card.vram().byteSize() - 4;
            stopsAndRecovers(card, gpu, SdmaError.PAGE_FAULT, 2, (int) dst, (int) (dst >>> 32), 1, 7, 8);
            assertEquals(card.fbBase() + card.vram().byteSize(), card.faults().get(0).address());
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldFlagACondExeOnTheLastBytesOfVramInStrictMode(SimProfile profile) {
        SimControl card = bus.plug(AT, profile, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), profile)) {
            long at = card.fbBase() + card.vram().byteSize() - 1;
            stopsAndRecovers(card, gpu, SdmaError.UNALIGNED_ADDRESS, 9, (int) at, (int) (at >>> 32), 1, 0);
        }
    }

    @Test
    void shouldReadTheDwordACondExeAddressIsInWithoutStrictMode() {
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.warm().withStrict(false));
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI31)) {
            long end = card.vram().byteSize();
            card.vram().set(ValueLayout.JAVA_INT_UNALIGNED, end - 4, 1);
            long at = card.fbBase() + end - 3;
            long dst = gpu.gart(RawGpu.DATA);
            // reference 1 matches: the WRITE_LINEAR after it runs
            gpu.emit(9, (int) at, (int) (at >>> 32), 1, 5, 2, (int) dst, (int) (dst >>> 32), 0, 0x5A5A).commit();
            assertTrue(gpu.awaitRptr(3000), "ran: " + card.engine(0));
            assertEquals(0x5A5A, gpu.hostInt(RawGpu.DATA));
        }
    }

    @Test
    void shouldClearAnErrorThatArrivedWhileTheF32WasAlreadyHalted() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            RawGpu raw = gpu.raw();
            raw.wreg(raw.f32Cntl(0), raw.sdmaRegs(0).halt.mask());
            raw.wreg(raw.sdmaReg(0, raw.sdmaRegs(0).rbWptr), 0x1234_5673); // not on the 16-dword fetch alignment
            assertEquals(SdmaError.UNALIGNED_WPTR, card.engine(0).error());
            gpu.recoverByHalt(); // writes HALT = 1 to an F32 that is already halted
            assertEquals(SdmaError.NONE, card.engine(0).error());
            gpu.writeDeadbeef(0x300);
        }
    }

    @Test
    void shouldAbortThePacketInFlightWhenTheDriverHaltsAndReprogramsTheQueue() {
        // host -> VRAM paced at 20 MB/s: 3 MiB take ~150 ms, then the source leaves the GART window and faults
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm().withLink(20_000_000L).withStrict(false));
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            long srcOffset = RawGpu.HOST_BYTES - (3L << 20);
            gpu.raw().mem().asSlice(srcOffset, 3L << 20).fill((byte) 0x77);
            long src = gpu.gart(srcOffset);
            long dstOffset = 32L << 20;
            long dst = card.fbBase() + dstOffset;
            gpu.emit(0x1, (4 << 20) - 1, 0, (int) src, (int) (src >>> 32), (int) dst, (int) (dst >>> 32)).commit();
            assertTrue(RawGpu.await(() -> card.vram().get(ValueLayout.JAVA_BYTE, dstOffset) == 0x77, 3000),
                    "the copy started");
            gpu.recoverByHalt(); // while the copy is still running
            gpu.writeDeadbeef(0x400);
            assertTrue(RawGpu.await(() -> !card.faults().isEmpty(), 5000), "the aborted copy faulted at the window's end");
            assertTrue(gpu.awaitRptr(3000), "the new ring drained: " + card.engine(0));
            assertEquals(SdmaError.NONE, card.engine(0).error(), "the old packet's fault did not stop the new ring");
            assertEquals(gpu.wptr(), gpu.rptrRegister(), "the rptr follows the new ring only");
        }
    }

    @Test
    void shouldRecordNoFaultForThePacketInFlightWhenTheCardIsPulled() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm().withLink(20_000_000L));
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            long srcOffset = RawGpu.DATA;
            gpu.raw().mem().asSlice(srcOffset, 2L << 20).fill((byte) 0x66);
            long src = gpu.gart(srcOffset);
            long dstOffset = 32L << 20;
            long dst = card.fbBase() + dstOffset;
            gpu.emit(0x1, (2 << 20) - 1, 0, (int) src, (int) (src >>> 32), (int) dst, (int) (dst >>> 32)).commit();
            assertTrue(RawGpu.await(() -> card.vram().get(ValueLayout.JAVA_BYTE, dstOffset) == 0x66, 3000),
                    "the copy started");
            card.surpriseRemove(); // the copy's next host read finds no bus master
            assertTrue(RawGpu.await(() -> card.engine(0).error() != SdmaError.NONE, 5000), "the copy ended");
            assertEquals(List.of(), card.faults(), "a card that left its slot raises no faults");
        }
    }

    /**
     * Submits {@code packet}; the queue must stop with {@code expected}, visibly through the
     * registers, with the engine thread alive, and then run again after a halt and re-program.
     */
    static void stopsAndRecovers(SimControl card, RawGpuAccess gpu, SdmaError expected, int... packet) {
        long at = gpu.wptr();
        gpu.emit(packet).commit();
        assertTrue(RawGpu.await(() -> card.engine(0).error() != SdmaError.NONE, 3000),
                "the queue stopped: " + card.engine(0) + ", threads " + card.threads());
        assertEquals(expected, card.engine(0).error(), card.engine(0).toString());
        assertEquals(at, gpu.rptrRegister(), "RB_RPTR stays at the offending packet");
        assertEquals(0, gpu.statusIdle(), "STATUS_REG.IDLE = 0 while stopped");
        assertTrue(engineThreadAlive(card), "the engine thread is alive: " + card.threads());
        gpu.recoverByHalt();
        assertEquals(SdmaError.NONE, card.engine(0).error(), "the halt edge cleared the error");
        gpu.writeDeadbeef(0x200);
        assertTrue(gpu.awaitRptr(3000), "the ring drained: " + card.engine(0));
        assertTrue(RawGpu.await(() -> gpu.statusIdle() == 1, 3000), "idle again");
    }

    static boolean engineThreadAlive(SimControl card) {
        return card.threads().stream().anyMatch(t -> t.getName().startsWith("amdvfio-sim-sdma0@") && t.isAlive());
    }
}
