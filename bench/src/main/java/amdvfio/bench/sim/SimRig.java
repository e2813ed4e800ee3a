package amdvfio.bench.sim;

import amdvfio.os.Mapping;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.Pte;
import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.amdgpu.VmHubRegs;
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
    final SdmaRegs sdma;
    /** SDMA0's doorbell, as nv.c assigns it. */
    static final int DOORBELL_DWORD = DoorbellLayout.NAVI10.sdmaDword(0);
    long wptr;
    int seq;

    SimRig(long hostBytes, long linkBytesPerSecond) {
        PciAddress at = PciAddress.parse("0000:03:00.0");
        card = bus.plug(at, profile, SimConfig.warm().withVram(1L << 30).withLink(linkBytesPerSecond)); // raw register access: no boot
        dev = bus.open(at);
        regs = dev.mmio(5);
        doorbells = dev.mmio(2);
        host = Mapping.anonymous(hostBytes);
        dma = dev.dma().map(host.segment());
        dev.config().setBusMaster(true);
        sdma = profile.sdmaRegs(0);
        routeDoorbell();
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
        VmHubRegs h = profile.hub();
        int[] b = profile.bases(h.baseIp);
        w(h.ptBaseLo.address(b), (int) (pt | Pte.VALID));
        w(h.ptBaseHi.address(b), 0);
        w(h.ptStartLo.address(b), (int) (GART >>> 12));
        w(h.ptStartHi.address(b), (int) (GART >>> 44));
        long end = GART + bytes - 1;
        w(h.ptEndLo.address(b), (int) (end >>> 12));
        w(h.ptEndHi.address(b), (int) (end >>> 44));
        w(h.context0Cntl.address(b), h.enableContext.encode(1));
    }

    /** The NBIO aperture and SDMA0's doorbell route, without which the doorbell never arrives. */
    private void routeDoorbell() {
        NbioRegs n = profile.nbio();
        int[] b = profile.bases(HwIp.NBIF);
        w(n.doorbellAperEn.address(b), n.doorbellAperEnable.encode(1));
        var r = n.sdmaRoute(0);
        w(r.reg().address(b), r.encode(0, DOORBELL_DWORD, r.sizeValue()));
    }

    private int at(amdvfio.amdgpu.Reg r) {
        return profile.sdmaRegister(0, r);
    }

    private void ring() {
        w(at(sdma.f32Cntl), 0);
        int cntl = sdma.rbSize.set(0, Integer.numberOfTrailingZeros((int) (RING_BYTES / 4)));
        w(at(sdma.rbCntl), cntl);
        long rptrWb = GART + WB;
        w(at(sdma.rbRptrAddrLo), (int) rptrWb);
        w(at(sdma.rbRptrAddrHi), (int) (rptrWb >>> 32));
        w(at(sdma.rbBase), (int) (GART >>> 8));
        w(at(sdma.rbBaseHi), (int) (GART >>> 40));
        w(at(sdma.doorbell), sdma.doorbellEnable.mask());
        w(at(sdma.doorbellOffset), sdma.doorbellOffsetField.encode(DOORBELL_DWORD));
        w(at(sdma.rbCntl), sdma.rbEnable.set(sdma.rptrWritebackEnable.set(cntl, 1), 1));
        w(at(sdma.ibCntl), sdma.ibEnable.mask());
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
        emit(profile.sdma().ip().fenceHeader());
        emit((int) f);
        emit((int) (f >>> 32));
        emit(s);
        while ((wptr / 4) % 16 != 0) {
            emit(0);
        }
        doorbells.write64(4L * DOORBELL_DWORD, wptr);
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
            emit(profile.sdma().packets().header(profile.sdma().packets().opCopy, profile.sdma().packets().subopCopyLinear));
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
