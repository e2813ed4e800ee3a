package amdvfio.driver.ip.ih;

import amdvfio.driver.asic.HwIp;
import amdvfio.driver.asic.IhTraits;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.reg.Field;
import amdvfio.driver.reg.Reg;
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

    static final Reg RB_CNTL = Reg.of("IH_RB_CNTL", 0x080);
    static final Reg RB_BASE = Reg.of("IH_RB_BASE", 0x081);
    static final Reg RB_BASE_HI = Reg.of("IH_RB_BASE_HI", 0x082);
    static final Reg RB_RPTR = Reg.of("IH_RB_RPTR", 0x083);
    static final Reg RB_WPTR = Reg.of("IH_RB_WPTR", 0x084);
    static final Reg RB_WPTR_ADDR_HI = Reg.of("IH_RB_WPTR_ADDR_HI", 0x085);
    static final Reg RB_WPTR_ADDR_LO = Reg.of("IH_RB_WPTR_ADDR_LO", 0x086);
    static final Reg DOORBELL_RPTR = Reg.of("IH_DOORBELL_RPTR", 0x087);

    static final Field RB_ENABLE = Field.bit("RB_ENABLE", 0);
    static final Field RB_SIZE = new Field("RB_SIZE", 1, 5);
    static final Field RB_GPU_TS_ENABLE = Field.bit("RB_GPU_TS_ENABLE", 7);
    static final Field WPTR_WRITEBACK_ENABLE = Field.bit("WPTR_WRITEBACK_ENABLE", 8);
    static final Field WPTR_OVERFLOW_ENABLE = Field.bit("WPTR_OVERFLOW_ENABLE", 16);
    static final Field ENABLE_INTR = Field.bit("ENABLE_INTR", 17);
    static final Field MC_SNOOP = Field.bit("MC_SNOOP", 20);
    static final Field RPTR_REARM = Field.bit("RPTR_REARM", 21);
    static final Field MC_SPACE = new Field("MC_SPACE", 28, 30);
    static final Field WPTR_OVERFLOW_CLEAR = Field.bit("WPTR_OVERFLOW_CLEAR", 31);
    static final Field DB_OFFSET = new Field("OFFSET", 0, 25);
    static final Field DB_ENABLE = Field.bit("ENABLE", 28);
    static final int MC_SPACE_MC = 4;

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final IhTraits traits;
    private final long fallbackNanos;
    private final ConcurrentHashMap<Integer, IvHandler> handlers = new ConcurrentHashMap<>();
    private volatile Runnable fallback = () -> { };
    private HostBuffer ring;
    private HostBuffer writeback;
    private EventFd msi;
    private EventFd stop;
    private Epoll epoll;
    private IhRingReader reader;
    private Thread thread;
    private IrqType msiType; // MSI, or MSI-X where the function has no MSI; null when polling

    public IhBlock(DeviceContext ctx, GmcBlock gmc, long fallbackPeriod, TimeUnit unit) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.traits = ctx.profile().ih();
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
        int cntl = ctx.read(HwIp.OSSSYS, RB_CNTL);
        ctx.write(HwIp.OSSSYS, RB_CNTL, ENABLE_INTR.set(RB_ENABLE.set(cntl, 0), 0));
        ctx.write(HwIp.OSSSYS, RB_RPTR, 0);
        ctx.write(HwIp.OSSSYS, RB_WPTR, 0);
        long base = traits.useBusAddress() ? ring.iova() : ring.gpuAddress();
        long wb = traits.useBusAddress() ? writeback.iova() : writeback.gpuAddress();
        ctx.write(HwIp.OSSSYS, RB_BASE, (int) (base >>> 8));
        ctx.write(HwIp.OSSSYS, RB_BASE_HI, (int) ((base >>> 40) & 0xFF));
        cntl = MC_SPACE.encode(traits.useBusAddress() ? traits.mcSpaceBus() : MC_SPACE_MC)
                | WPTR_OVERFLOW_CLEAR.encode(1) | WPTR_OVERFLOW_ENABLE.encode(1)
                | RB_SIZE.encode(Integer.numberOfTrailingZeros(RING_BYTES / 4))
                | WPTR_WRITEBACK_ENABLE.encode(1) | MC_SNOOP.encode(1) | RPTR_REARM.encode(1);
        ctx.write(HwIp.OSSSYS, RB_CNTL, cntl);
        ctx.write(HwIp.OSSSYS, RB_WPTR_ADDR_LO, (int) wb & ~3);
        ctx.write(HwIp.OSSSYS, RB_WPTR_ADDR_HI, (int) (wb >>> 32) & 0xFFFF);
        ctx.write(HwIp.OSSSYS, RB_WPTR, 0);
        ctx.write(HwIp.OSSSYS, RB_RPTR, 0);
        ctx.write(HwIp.OSSSYS, DOORBELL_RPTR, DB_ENABLE.encode(1) | DB_OFFSET.encode(ctx.profile().ihDoorbell() << 1));
        msiType = MessageInterrupts.choose(ctx.device()).orElse(null);
        if (msiType != null) {
            ctx.device().enableIrq(msiType, List.of(msi));
        } else {
            ctx.log().log(Level.WARNING, "{0}: no MSI or MSI-X; fences complete by polling only", name());
        }
        cntl = RB_ENABLE.set(cntl, 1);
        if (traits.gpuTimestamp()) {
            cntl = RB_GPU_TS_ENABLE.set(cntl, 1);
        }
        ctx.write(HwIp.OSSSYS, RB_CNTL, ENABLE_INTR.set(WPTR_OVERFLOW_CLEAR.set(cntl, 0), 1));
        thread = Thread.ofPlatform().daemon().name("amdvfio-irq-" + ctx.device().address()).start(this::run);
    }

    /** Stops the interrupt thread, then disables the ring (if the device is present) and MSI. */
    @Override
    public void earlyFini() {
        if (thread != null) {
            stop.signal();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        if (ctx.isPresent()) {
            int cntl = ctx.read(HwIp.OSSSYS, RB_CNTL);
            ctx.write(HwIp.OSSSYS, RB_CNTL, ENABLE_INTR.set(RB_ENABLE.set(cntl, 0), 0));
        }
        if (msiType != null) {
            ctx.device().disableIrq(msiType);
            msiType = null;
        }
    }

    @Override
    public void lateFini() {
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
            return ctx.read(HwIp.OSSSYS, RB_WPTR);
        }

        @Override
        public void writeRptr(int rptrBytes) {
            // 32-bit doorbell at dword index (ih << 1): WDOORBELL32 in *_ih_set_rptr.
            ctx.doorbells().write32((long) (ctx.profile().ihDoorbell() << 1) * 4, rptrBytes);
        }

        @Override
        public void clearOverflow() {
            int cntl = ctx.read(HwIp.OSSSYS, RB_CNTL);
            ctx.write(HwIp.OSSSYS, RB_CNTL, WPTR_OVERFLOW_CLEAR.set(cntl, 1));
            ctx.write(HwIp.OSSSYS, RB_CNTL, WPTR_OVERFLOW_CLEAR.set(cntl, 0));
        }
    }
}
