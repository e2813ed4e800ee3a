package amdvfio.bench.sim;

import amdvfio.os.Mapping;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.gmc.Pte;
import amdvfio.sim.regs.GmcRegs;
import amdvfio.sim.regs.SdmaRegs;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A simulated Navi10 brought up by raw register writes (GART over one host buffer, SDMA0 with a
 * 1 MiB ring in host memory), for benchmarks of the model itself. No driver code.
 */
final class SimRig implements AutoCloseable {

    static final long GART = 0x0000_0010_0000_0000L;
    static final long RING_BYTES = 1 << 20;
    static final long WB = RING_BYTES;              // rptr writeback, fence, shadow
    static final long FENCE = WB + 64;
    static final long DATA = 2L << 20;              // host data for host<->VRAM copies

    final SimBus bus = new SimBus();
    final SimControl card;
    final PciDevice dev;
    final Mmio regs;
    final Mmio doorbells;
    final Mapping host;
    final DmaMapping dma;
    final SimProfile profile = SimProfile.NAVI10;
    final int sdma;
    long wptr;
    int seq;

    SimRig(long hostBytes, long linkBytesPerSecond) {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        card = bus.plug(at, profile, SimConfig.defaults().withVram(1L << 30).withLink(linkBytesPerSecond));
        dev = bus.open(at);
        regs = dev.mmio(5);
        doorbells = dev.mmio(2);
        host = Mapping.anonymous(hostBytes);
        dma = dev.dma().map(host.segment());
        dev.config().setBusMaster(true);
        sdma = profile.sdmaSeg0Base(0);
        gart(hostBytes);
        ring();
    }

    private void w(int dword, int v) {
        regs.write32(dword * 4L, v);
    }

    private void gart(long bytes) {
        Mmio vram = dev.mmio(0);
        long pt = 1 << 20;
        for (long i = 0; i < bytes / 4096; i++) {
            vram.write64(pt + i * 8, Pte.system(dma.iova() + i * 4096));
        }
        GmcRegs h = profile.hub();
        int b = profile.hubBase();
        w(b + h.ptBaseLo(), (int) (pt | 1));
        w(b + h.ptBaseLo() + 1, 0);
        w(b + h.ptStartLo(), (int) (GART >>> 12));
        w(b + h.ptStartLo() + 1, (int) (GART >>> 44));
        long end = GART + bytes - 1;
        w(b + h.ptEndLo(), (int) (end >>> 12));
        w(b + h.ptEndLo() + 1, (int) (end >>> 44));
        w(b + h.context0Cntl(), 1);
    }

    private void ring() {
        w(profile.sdmaSeg0Base(0) + SdmaRegs.F32_CNTL_V4_V5, 0);
        int cntl = SdmaRegs.RB_SIZE.set(0, Integer.numberOfTrailingZeros((int) (RING_BYTES / 4)));
        w(sdma + SdmaRegs.RB_CNTL, cntl);
        long rptrWb = GART + WB;
        w(sdma + SdmaRegs.RB_RPTR_ADDR_LO, (int) rptrWb);
        w(sdma + SdmaRegs.RB_RPTR_ADDR_HI, (int) (rptrWb >>> 32));
        w(sdma + SdmaRegs.RB_BASE, (int) (GART >>> 8));
        w(sdma + SdmaRegs.RB_BASE_HI, (int) (GART >>> 40));
        w(sdma + SdmaRegs.DOORBELL, SdmaRegs.DOORBELL_ENABLE.mask());
        w(sdma + SdmaRegs.DOORBELL_OFFSET, 0x800);
        w(sdma + SdmaRegs.RB_CNTL, SdmaRegs.RB_ENABLE.set(SdmaRegs.RPTR_WRITEBACK_ENABLE.set(cntl, 1), 1));
        w(sdma + SdmaRegs.IB_CNTL, 1);
    }

    MemorySegment mem() {
        return host.segment();
    }

    void emit(int d) {
        mem().set(ValueLayout.JAVA_INT_UNALIGNED, (wptr / 4 % (RING_BYTES / 4)) * 4, d);
        wptr += 4;
    }

    /** Appends a FENCE with the next sequence number, pads to 16 dwords, rings, and waits for it. */
    void fenceAndWait() {
        long f = GART + FENCE;
        int s = ++seq;
        emit(0x00030005);
        emit((int) f);
        emit((int) (f >>> 32));
        emit(s);
        while ((wptr / 4) % 16 != 0) {
            emit(0);
        }
        doorbells.write64(0x800, wptr);
        while (mem().get(ValueLayout.JAVA_INT_UNALIGNED, FENCE) != s) {
            Thread.onSpinWait();
            if (card.engine(0).error() != amdvfio.sim.sdma.SdmaError.NONE) {
                throw new IllegalStateException(card.engine(0).toString());
            }
        }
    }

    void copy(long src, long dst, long bytes) {
        long max = profile.sdma().copyMaxBytes();
        while (bytes > 0) {
            long n = Math.min(bytes, max);
            emit(0x1);
            emit((int) (n - 1));
            emit(0);
            emit((int) src);
            emit((int) (src >>> 32));
            emit((int) dst);
            emit((int) (dst >>> 32));
            src += n;
            dst += n;
            bytes -= n;
        }
    }

    @Override
    public void close() {
        dev.close();
        host.close();
        bus.close();
    }
}
