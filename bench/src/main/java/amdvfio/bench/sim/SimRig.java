package amdvfio.bench.sim;

import amdvfio.os.Epoll;
import amdvfio.os.EventFd;
import amdvfio.os.Mapping;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.Pte;
import amdvfio.amdgpu.DoorbellLayout;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.IhRegs;
import amdvfio.amdgpu.NbioRegs;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A simulated Navi10 brought up by raw register writes (GART over one host buffer, SDMA0 with a
 * 1 MiB ring in host memory), for benchmarks of the model itself. No driver code.
 */
final class SimRig implements AutoCloseable {

    static final long GART = 0x0000_0010_0000_0000L;
    static final long RING_BYTES = 1 << 20;
    static final long WB = RING_BYTES;              // rptr writeback, fence, shadow
    static final long FENCE = WB + 64;
    static final long SCRATCH = WB + 128;           // target of benchmark packets
    static final long IH_RING = WB + 4096;
    static final int IH_RING_BYTES = 4096;
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
    final EventFd msi = EventFd.create("sim-bench-msi");
    /** {@link #fenceAndWait} sleeps here until an interrupt arrives. */
    final Epoll interrupt = Epoll.create(1);
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
        interrupts();
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
        context0(profile.hub(), pt, bytes);
        if (profile.ihHub() != profile.hub()) {
            context0(profile.ihHub(), pt, bytes); // the IH is an MMHUB client on Navi: its ring is in the GART too
        }
    }

    private void context0(VmHubRegs h, long pt, long bytes) {
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

    /**
     * IH ring 0 in the GART with its interrupt on, raising MSI on {@link #msi}: the rig sleeps in
     * the kernel until the engine's TRAP arrives instead of spinning on the one core the engine
     * needs. WPTR_OVERFLOW_ENABLE lets the IH overwrite old IVs, which the rig never reads.
     */
    private void interrupts() {
        IhRegs r = profile.ih().regs();
        int[] b = profile.bases(HwIp.OSSSYS);
        long ring = GART + IH_RING;
        w(r.rbCntl.address(b), 0);
        w(r.rbRptr.address(b), 0);
        w(r.rbWptr.address(b), 0);
        w(r.rbBase.address(b), (int) (ring >>> 8));
        w(r.rbBaseHi.address(b), r.rbBaseHiAddr.encode((int) (ring >>> 40)));
        int cntl = r.mcSpace.set(0, IhIp.MC_SPACE_MC);
        cntl = r.wptrOverflowEnable.set(cntl, 1);
        cntl = r.rbSize.set(cntl, Integer.numberOfTrailingZeros(IH_RING_BYTES / 4));
        dev.enableIrq(IrqType.MSI, List.of(msi));
        interrupt.add(msi, 0);
        w(r.rbCntl.address(b), r.enableIntr.set(r.rbEnable.set(cntl, 1), 1));
        w(at(sdma.cntl), sdma.trapEnable.mask());
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

    /**
     * Appends {@code n} 1-dword NOPs (the header from the bindings) in at most two contiguous runs,
     * as a driver pads a ring: the emission stays small beside what the engine does with them.
     */
    void nops(int n) {
        int nop = profile.sdma().packets().header(profile.sdma().packets().opNop, 0);
        long ringDwords = RING_BYTES / 4;
        while (n > 0) {
            long at = wptr / 4 % ringDwords;
            int run = (int) Math.min(n, ringDwords - at);
            MemorySegment s = mem();
            for (long i = at; i < at + run; i++) {
                s.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, nop);
            }
            wptr += run * 4L;
            n -= run;
        }
    }

    /** Appends {@code n} FENCE packets writing their index to MC address {@code addr}. */
    void fences(int n, long addr) {
        int header = profile.sdma().ip().fenceHeader();
        for (int i = 0; i < n; i++) {
            emit(header);
            emit((int) addr);
            emit((int) (addr >>> 32));
            emit(i);
        }
    }

    /**
     * Appends a FENCE with the next sequence number and a TRAP (as sdma_v5_0_ring_emit_fence
     * does), pads to 16 dwords, rings, and sleeps until the fence lands (each wake-up is a TRAP's
     * or a page fault's interrupt).
     */
    void fenceAndWait() {
        long f = GART + FENCE;
        int s = ++seq;
        var k = profile.sdma().packets();
        emit(profile.sdma().ip().fenceHeader());
        emit((int) f);
        emit((int) (f >>> 32));
        emit(s);
        emit(k.header(k.opTrap, 0));
        emit(k.trapIntContext.encode(0));
        while ((wptr / 4) % 16 != 0) {
            emit(0);
        }
        doorbells.write64(4L * DOORBELL_DWORD, wptr);
        while (mem().get(ValueLayout.JAVA_INT_UNALIGNED, FENCE) != s) {
            if (card.engine(0).error() != amdvfio.sim.sdma.SdmaError.NONE) {
                throw new IllegalStateException(card.engine(0).toString());
            }
            if (interrupt.await(1000) > 0) { // bounded: an engine error posts no IV, and is caught above
                msi.drain();
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
        interrupt.close();
        msi.close();
        host.close();
        bus.close();
    }
}
