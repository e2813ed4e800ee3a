package amdvfio.sim.fault;

import amdvfio.sim.RawGpu;
import amdvfio.sim.RawGpuAccess;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.ih.IvEntry;
import amdvfio.sim.sdma.SdmaError;
import amdvfio.vfio.DeviceClosedException;
import amdvfio.vfio.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A driver that misbehaves meets the hardware's reaction — never a crash, a hang or a leaked thread. */
class MisbehavingDriverTest {

    static final PciAddress AT = PciAddress.parse("0000:05:00.0");
    static final List<SimProfile> PROFILES = SimProfile.ALL;
    private final SimBus bus = new SimBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private void awaitError(SimControl card, SdmaError e) {
        assertTrue(RawGpu.await(() -> card.engine(0).error() == e, 3000), "expected " + e + ", got " + card.engine(0));
    }

    @Test
    void shouldStopTheQueueOnAnUnknownOpcodeAndRecoverAfterAHalt() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            long before = gpu.wptr();
            gpu.emit(0x0000_0003).commit(); // opcode 3 is not defined
            awaitError(card, SdmaError.UNKNOWN_OPCODE);
            assertEquals(before, gpu.rptrRegister(), "rptr stays at the offending packet");
            assertEquals(0, gpu.statusIdle());
            // amdgpu-style recovery: gfx_stop (RB/IB disable), halt, then re-init the ring and unhalt
            gpu.raw().wreg(gpu.raw().sdmaReg(0, gpu.raw().sdmaRegs(0).rbCntl), 0);
            gpu.raw().wreg(gpu.raw().sdmaReg(0, gpu.raw().sdmaRegs(0).ibCntl), 0);
            gpu.raw().wreg(gpu.raw().f32Cntl(0), 1);
            gpu.raw().wptr = 0;
            gpu.raw().sdma(0);
            gpu.writeDeadbeef(0x100);
            assertEquals(SdmaError.NONE, card.engine(0).error());
        }
    }

    @Test
    void shouldSurviveGarbagePacketsAndGarbageRegisterWrites() {
        SimControl card = bus.plug(AT, SimProfile.NAVI21, SimConfig.warm());
        Random rnd = new Random(42);
        List<Thread> threads;
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI21)) {
            for (int i = 0; i < 200; i++) {
                gpu.emit(rnd.nextInt());
            }
            gpu.commit();
            assertTrue(RawGpu.await(() -> card.engine(0).error() != SdmaError.NONE || card.engine(0).idle(), 3000));
            var regs = gpu.dev().mmio(5);
            int sdma = SimProfile.NAVI21.sdmaRegister(1, SimProfile.NAVI21.sdmaRegs(1).rbCntl) - SimProfile.NAVI21.sdmaRegs(1).rbCntl.offset();
            for (int i = 0; i < 4000; i++) {
                int dword = sdma + rnd.nextInt(0x100);
                regs.write32(dword * 4L, rnd.nextInt());
                regs.write32((SimProfile.NAVI21.bases(amdvfio.amdgpu.HwIp.OSSSYS)[0] + rnd.nextInt(0x100)) * 4L, rnd.nextInt());
                gpu.dev().mmio(2).write64((rnd.nextInt(1 << 18)) * 8L, rnd.nextLong());
            }
            assertEquals(0x1002, gpu.dev().config().vendorId(), "the device still answers");
            threads = card.threads();
        }
        assertTrue(RawGpu.await(() -> threads.stream().noneMatch(Thread::isAlive), 5000), "threads gone: " + threads);
    }

    @Test
    void shouldFlagAnUnalignedWptrInStrictMode() {
        SimControl card = bus.plug(AT, SimProfile.VEGA10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.VEGA10)) {
            gpu.emit(0, 0, 0); // 3 NOPs, not padded to 256 dwords
            gpu.dev().mmio(2).write64(gpu.raw().sdmaDoorbell(0), gpu.wptr());
            awaitError(card, SdmaError.UNALIGNED_WPTR);
            assertEquals("wptr alignment", card.strictViolations().get(0).rule());
        }
    }

    @Test
    void shouldFlagAnUnalignedFenceAndAnOversizedCopy() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            long f = gpu.gart(RawGpu.FENCE) + 2;
            gpu.emit(0x00030005, (int) f, (int) (f >>> 32), 1).commit();
            awaitError(card, SdmaError.UNALIGNED_ADDRESS);
        }
        bus.close();
        SimBus bus2 = new SimBus();
        try {
            SimControl c2 = bus2.plug(AT, SimProfile.NAVI10, SimConfig.warm());
            try (var gpu = RawGpuAccess.up(bus2.open(AT), SimProfile.NAVI10)) {
                long vram = c2.fbBase();
                gpu.emit(0x1, 0x3fff00, 0, (int) vram, (int) (vram >>> 32), (int) vram, (int) (vram >>> 32)).commit();
                awaitError(c2, SdmaError.COUNT_TOO_LARGE);
            }
        } finally {
            bus2.close();
        }
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void shouldRecordAPageFaultAndRaiseTheProfilesFaultIv(SimProfile profile) {
        SimControl card = bus.plug(AT, profile, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), profile)) {
            long bad = 0x0000_7000_0000_1000L;
            gpu.emit(0x2, (int) bad, (int) (bad >>> 32), 0, 0x1).commit();
            awaitError(card, SdmaError.PAGE_FAULT);
            GpuFault f = card.faults().get(0);
            assertEquals(bad, f.address());
            assertTrue(f.write());
            assertEquals(GpuFault.Reason.UNMAPPED_ADDRESS, f.reason());
            assertTrue(gpu.awaitMsi());
            int[] dw = new int[8];
            for (int k = 0; k < 8; k++) {
                dw[k] = gpu.hostInt(RawGpu.IH_RING + k * 4L);
            }
            IvEntry iv = IvEntry.decode(dw);
            assertEquals(profile.sdma().pageFaultSrcId(), iv.srcId());
            assertEquals(profile.trapClientId(0), iv.clientId());
            assertEquals((int) (bad >>> 12), iv.srcData()[0]);
            assertEquals(0x20 | (int) ((bad >>> 44) & 0xF), iv.srcData()[1], "write flag and addr[47:44]");
        }
    }

    @Test
    void shouldRefuseDmaWithoutBusMaster() {
        SimControl card = bus.plug(AT, SimProfile.NAVI31, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI31)) {
            gpu.dev().config().setBusMaster(false);
            long dst = gpu.gart(RawGpu.DATA);
            gpu.emit(0x2, (int) dst, (int) (dst >>> 32), 0, 0xDEADBEEF).commit();
            awaitError(card, SdmaError.PAGE_FAULT);
            assertEquals(GpuFault.Reason.BUS_MASTER_DISABLED, card.faults().get(0).reason());
            assertEquals(0, gpu.hostInt(RawGpu.DATA));
        }
    }

    @Test
    void shouldOverflowAnUnackedIhRingAndRecoverAsAmdgpuDoes() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            int entries = RawGpu.IH_RING_BYTES / IvEntry.BYTES; // 128
            for (int i = 0; i < entries + 4; i++) {
                gpu.emit(0x6, i);
            }
            gpu.commit();
            assertTrue(gpu.awaitRptr(3000));
            RawGpu raw = gpu.raw();
            int wb = gpu.hostInt(RawGpu.IH_WPTR_WB);
            assertEquals(1, wb & 1, "RB_OVERFLOW in the written-back wptr");
            int reg = raw.rreg(raw.ihReg(raw.ihRegs().rbWptr));
            assertEquals(1, reg & 1, "RB_OVERFLOW in IH_RB_WPTR");
            assertTrue(card.ih().ivsOverwritten() > 0);
            // amdgpu *_ih_get_wptr: clear, rptr = wptr + 32, pulse WPTR_OVERFLOW_CLEAR
            int mask = RawGpu.IH_RING_BYTES - 1;
            int wptr = reg & ~1 & mask;
            int rptr = (wptr + 32) & mask;
            int cntl = raw.rreg(raw.ihReg(raw.ihRegs().rbCntl));
            raw.wreg(raw.ihReg(raw.ihRegs().rbCntl), raw.ihRegs().wptrOverflowClear.set(cntl, 1));
            raw.wreg(raw.ihReg(raw.ihRegs().rbCntl), raw.ihRegs().wptrOverflowClear.set(cntl, 0));
            assertEquals(0, raw.rreg(raw.ihReg(raw.ihRegs().rbWptr)) & 1, "overflow cleared");
            // the oldest not-overwritten entry is at rptr; entries run in order up to wptr
            int first = gpu.hostInt(RawGpu.IH_RING + rptr + 16);
            int last = gpu.hostInt(RawGpu.IH_RING + ((wptr - 32) & mask) + 16);
            assertEquals(entries + 3, last, "newest IV is the last trap");
            assertEquals(last - (entries - 2), first, "oldest surviving IV");
            raw.wreg(raw.ihReg(raw.ihRegs().rbRptr), wptr); // ack everything
            gpu.emit(0x6, 999).commit();
            assertTrue(RawGpu.await(() -> card.ih().ivsWritten() == entries + 5, 3000));
            assertFalse(card.ih().overflow(), "no new overflow after recovery");
        }
    }

    @Test
    void shouldNotHangWhenTheDriverClosesMidCopy() throws InterruptedException {
        SimConfig slow = SimConfig.warm().withLink(1_000_000_000L);
        SimControl card = bus.plug(AT, SimProfile.NAVI10, slow);
        List<Thread> threads;
        SimPciDevice dev = bus.open(AT);
        var gpu = RawGpuAccess.up(dev, SimProfile.NAVI10);
        long src = gpu.gart(RawGpu.DATA);
        long dst = card.fbBase() + (64L << 20);
        for (int i = 0; i < 16; i++) { // 16 × ~3 MiB host→VRAM at 1 GB/s ≈ 50 ms
            gpu.emit(0x1, 0x3fff00 - 1, 0, (int) src, (int) (src >>> 32), (int) dst, (int) (dst >>> 32));
        }
        gpu.commit();
        threads = card.threads();
        long t0 = System.nanoTime();
        gpu.close();
        assertTrue((System.nanoTime() - t0) < 2_000_000_000L, "close returned promptly");
        assertTrue(card.awaitThreadsEnded(java.time.Duration.ofSeconds(2)), "engine threads end after the release lets them go");
        assertTrue(threads.stream().noneMatch(Thread::isAlive), "engine threads ended");
        assertThrows(DeviceClosedException.class, () -> dev.mmio(2), "doorbells after close are refused, typed");
    }

    @Test
    void shouldFlagADoorbellToAHaltedEngine() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            gpu.raw().wreg(gpu.raw().f32Cntl(0), gpu.raw().sdmaRegs(0).halt.mask());
            gpu.emit(0x6, 0).commit();
            assertEquals("doorbell to a halted engine", card.strictViolations().get(0).rule());
        }
    }

    @Test
    void shouldRefuseABusAddressedIhRingOnNaviWhereOnlyMcSpace4Works() {
        SimControl card = bus.plug(AT, SimProfile.NAVI10, SimConfig.warm());
        try (var gpu = RawGpuAccess.up(bus.open(AT), SimProfile.NAVI10)) {
            RawGpu raw = gpu.raw();
            int cntl = raw.rreg(raw.ihReg(raw.ihRegs().rbCntl));
            long iova = raw.iova(RawGpu.IH_RING);
            raw.wreg(raw.ihReg(raw.ihRegs().rbBase), (int) (iova >>> 8));
            raw.wreg(raw.ihReg(raw.ihRegs().rbCntl), raw.ihRegs().mcSpace.set(cntl, 1));
            gpu.emit(0x6, 5).commit();
            assertTrue(RawGpu.await(() -> !card.faults().isEmpty(), 3000));
            assertEquals("IH", card.faults().get(0).client());
            assertEquals(0, card.ih().ivsWritten());
            assertEquals(0, gpu.msiCount());
        }
    }
}
