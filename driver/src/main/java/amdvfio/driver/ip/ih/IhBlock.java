package amdvfio.driver.ip.ih;

import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.IhIp;
import amdvfio.amdgpu.IhRegs;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.os.Epoll;
import amdvfio.os.EventFd;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MessageInterrupts;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The interrupt handler: ring 0 in host memory with wptr writeback, a byte rptr acknowledged by
 * doorbell, and the interrupt thread. The thread waits on the MSI eventfd with epoll; every
 * {@code fallbackPeriod} it also runs the fallback hook, the analogue of amdgpu's HZ/2 fence
 * fallback timer, so a lost interrupt delays a fence but never loses it.
 *
 * <p>Threading: handlers are registered before {@link #hwInit} and called on the interrupt
 * thread. Vectors are dispatched by (client id, source id) like {@code amdgpu_irq_dispatch}.
 */
public final class IhBlock implements IpBlock {

    /** IH_RING_SIZE (amdgpu_ih.h): 256 KiB, RB_SIZE = 16. */
    public static final int RING_BYTES = 256 << 10;

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final IhIp traits;
    private final IhRegs r;
    private final long fallbackNanos;
    private final ConcurrentHashMap<Integer, IvHandler> handlers = new ConcurrentHashMap<>();
    private volatile Runnable fallback = () -> { };
    private HostBuffer ring;
    private HostBuffer writeback;
    private EventFd msi;
    private EventFd stop;
    private Epoll epoll;
    private IhRingReader reader;
    private volatile Thread thread;
    private IrqType msiType; // MSI, or MSI-X where the function has no MSI; null when polling

    public IhBlock(DeviceContext ctx, GmcBlock gmc, long fallbackPeriod, TimeUnit unit) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.traits = ctx.profile().ih();
        this.r = traits.regs();
        this.fallbackNanos = unit.toNanos(fallbackPeriod);
    }

    @Override
    public String name() {
        return traits.blockName();
    }

    /** Routes vectors with {@code clientId}/{@code sourceId} to {@code handler}. */
    public void register(int clientId, int sourceId, IvHandler handler) {
        handlers.put(clientId << 8 | sourceId, handler);
    }

    /** The hook run every fallback period on the interrupt thread (fence fallback poll, job timeouts). */
    public void onFallbackTick(Runnable hook) {
        this.fallback = hook;
    }

    @Override
    public void swInit() {
        ring = HostBuffer.allocate("ih-ring", RING_BYTES, ctx.dma(), gmc.gart());
        writeback = HostBuffer.allocate("ih-wptr", 4096, ctx.dma(), gmc.gart());
        msi = EventFd.create("msi");
        stop = EventFd.create("ih-stop");
        epoll = Epoll.create(4);
        epoll.add(msi, 1);
        epoll.add(stop, 2);
        reader = new IhRingReader(ring.segment(), writeback.segment().asSlice(0, 4), new Regs(), this::dispatch);
    }

    /** {@code vega10_ih_irq_init} / {@code navi10_ih_irq_init}: disable, program ring 0, doorbell, enable. */
    @Override
    public void hwInit() {
        int cntl = ctx.read(HwIp.OSSSYS, r.rbCntl);
        ctx.write(HwIp.OSSSYS, r.rbCntl, r.enableIntr.set(r.rbEnable.set(cntl, 0), 0));
        ctx.write(HwIp.OSSSYS, r.rbRptr, 0);
        ctx.write(HwIp.OSSSYS, r.rbWptr, 0);
        long base = traits.useBusAddress() ? ring.iova() : ring.gpuAddress();
        long wb = traits.useBusAddress() ? writeback.iova() : writeback.gpuAddress();
        ctx.write(HwIp.OSSSYS, r.rbBase, (int) (base >>> 8));
        ctx.write(HwIp.OSSSYS, r.rbBaseHi, r.rbBaseHiAddr.encode((int) (base >>> 40)));
        cntl = r.mcSpace.encode(traits.useBusAddress() ? traits.mcSpaceBus() : IhIp.MC_SPACE_MC)
                | r.wptrOverflowClear.encode(1) | r.wptrOverflowEnable.encode(1)
                | r.rbSize.encode(Integer.numberOfTrailingZeros(RING_BYTES / 4))
                | r.wptrWritebackEnable.encode(1) | r.mcSnoop.encode(1) | r.rptrRearm.encode(1);
        ctx.write(HwIp.OSSSYS, r.rbCntl, cntl);
        ctx.write(HwIp.OSSSYS, r.rbWptrAddrLo, (int) wb & ~3);
        ctx.write(HwIp.OSSSYS, r.rbWptrAddrHi, r.wptrAddrHiAddr.encode((int) (wb >>> 32)));
        ctx.write(HwIp.OSSSYS, r.rbWptr, 0);
        ctx.write(HwIp.OSSSYS, r.rbRptr, 0);
        ctx.write(HwIp.OSSSYS, r.doorbellRptr, r.doorbellEnable.encode(1) | r.doorbellOffset.encode(ctx.profile().doorbells().ihDword()));
        msiType = MessageInterrupts.choose(ctx.device()).orElse(null);
        if (msiType != null) {
            ctx.device().enableIrq(msiType, List.of(msi));
        } else {
            ctx.log().log(Level.WARNING, "{0}: no MSI or MSI-X; fences complete by polling only", name());
        }
        cntl = r.rbEnable.set(cntl, 1);
        if (r.rbGpuTsEnable != null) {
            cntl = r.rbGpuTsEnable.set(cntl, 1);
        }
        ctx.write(HwIp.OSSSYS, r.rbCntl, r.enableIntr.set(r.wptrOverflowClear.set(cntl, 0), 1));
        thread = Thread.ofPlatform().daemon().name("amdvfio-irq-" + ctx.device().address()).start(this::run);
    }

    /**
     * Disables the ring (if the device is present) and MSI. The interrupt thread keeps waiting:
     * it needs no device (past the guard's drain its register accesses are skipped, and no MSI
     * comes any more), so it is stopped after the device is closed ({@link #stopThread}), off the
     * removal's critical path.
     */
    @Override
    public void earlyFini() {
        if (ctx.isPresent()) {
            int cntl = ctx.read(HwIp.OSSSYS, r.rbCntl);
            ctx.write(HwIp.OSSSYS, r.rbCntl, r.enableIntr.set(r.rbEnable.set(cntl, 0), 0));
        }
        if (msiType != null) {
            ctx.device().disableIrq(msiType);
            msiType = null;
        }
    }

    /** Stops the interrupt thread and waits for it (bounded). Idempotent. */
    public void stopThread() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stop.signal();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        thread = null;
    }

    @Override
    public void lateFini() {
        stopThread(); // normally done at the release; an init that failed after hwInit ends here
        if (epoll != null) {
            epoll.close();
            msi.close();
            stop.close();
            ring.close();
            writeback.close();
            epoll = null;
        }
    }

    /** Vectors that overflowed the ring so far (tests). */
    public long overflows() {
        return reader.overflows();
    }

    private void run() {
        long nextTick = System.nanoTime() + fallbackNanos;
        while (true) {
            long waitMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()));
            int n = epoll.await((int) Math.min(waitMs, Integer.MAX_VALUE));
            boolean irq = false;
            for (int i = 0; i < n; i++) {
                if (epoll.token(i) == 2) {
                    return;
                }
                irq = true;
            }
            try {
                if (irq) {
                    msi.drain();
                    reader.process();
                }
                if (System.nanoTime() - nextTick >= 0) {
                    reader.process();
                    fallback.run();
                    nextTick = System.nanoTime() + fallbackNanos;
                }
            } catch (RuntimeException e) {
                ctx.log().log(Level.ERROR, name() + ": interrupt processing failed", e);
            }
        }
    }

    private void dispatch(int client, int source, int ringId, int srcData0) {
        IvHandler h = handlers.get(client << 8 | source);
        if (h != null) {
            h.handle(client, source, ringId, srcData0);
        }
    }

    /** The registers {@link IhRingReader} needs, on the device. */
    private final class Regs implements IhRingReader.Registers {
        @Override
        public int readWptr() {
            return ctx.read(HwIp.OSSSYS, r.rbWptr);
        }

        @Override
        public void writeRptr(int rptrBytes) {
            // 32-bit doorbell at dword index (ih << 1): WDOORBELL32 in *_ih_set_rptr.
            ctx.doorbells().write32((long) (ctx.profile().doorbells().ihDword()) * 4, rptrBytes);
        }

        @Override
        public void clearOverflow() {
            int cntl = ctx.read(HwIp.OSSSYS, r.rbCntl);
            ctx.write(HwIp.OSSSYS, r.rbCntl, r.wptrOverflowClear.set(cntl, 1));
            ctx.write(HwIp.OSSSYS, r.rbCntl, r.wptrOverflowClear.set(cntl, 0));
        }
    }
}
