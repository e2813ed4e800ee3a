package amdvfio.hwtests.edu;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import amdvfio.vfio.unplug.MappingTable;

/**
 * A small driver for QEMU's {@code edu} PCI device (hw/misc/edu.c) on top of the {@code vfio}
 * module, used by the VM tier: BAR0 registers through {@link PciDevice#mmio}, the DMA engine
 * through VFIO_IOMMU_MAP_DMA'd host memory, MSI through the {@link DeviceEventLoop}, and the
 * hot-unplug half (device guard, client mapping table, lifecycle with REQ as the loss signal).
 *
 * <p>Early fini (reverse registration order, like the GPU driver): guard unplug (no thread inside
 * a hardware section), reroute every client mapping (skipped when {@code skipReroute}: the
 * negative test's broken build), close the event loop and the device (every fd: the kernel's
 * removal can complete). Late fini: close the mapping table.
 */
public final class EduDevice implements AutoCloseable {

    public static final int IDENT = 0x00;
    public static final int LIVENESS = 0x04;
    public static final int IRQ_STATUS = 0x24;
    public static final int IRQ_RAISE = 0x60;
    public static final int IRQ_ACK = 0x64;
    public static final int DMA_SRC = 0x80;
    public static final int DMA_DST = 0x88;
    public static final int DMA_COUNT = 0x90;
    public static final int DMA_CMD = 0x98;
    public static final int DMA_RUN = 1;
    public static final int DMA_TO_RAM = 2;
    public static final int DMA_IRQ = 4;
    public static final int DMA_IRQ_STATUS = 0x100;
    public static final long DEVICE_BUFFER = 0x40000;
    /** QEMU 7.2 aborts on a transfer ending exactly at 0x41000: stay below a full page. */
    public static final int MAX_TRANSFER = 4095;
    /** edu's DMA mask is 28 bits. */
    public static final long DMA_LIMIT = 1L << 28;
    public static final int EDU_IDENT = 0x010000ed;

    /** The test-only switch of the negative test: early fini skips {@link MappingTable#rerouteAll()}. */
    public static final String SKIP_REROUTE = "amdvfio.test.skipReroute";

    public final PciDevice dev;
    public final Mmio bar0;
    public final DeviceGuard guard = new DeviceGuard();
    public final Lifecycle lifecycle;
    public final MappingTable mappings;
    public final AtomicLong msiCount = new AtomicLong();
    public final AtomicLong reqSignals = new AtomicLong();
    private volatile long firstReqNanos = -1;
    private volatile long lastReqNanos = -1;
    private volatile long releasedNanos = -1;
    private volatile boolean ignoreReq;
    private DeviceEventLoop loop;

    private EduDevice(PciDevice dev) {
        this.dev = dev;
        this.bar0 = dev.mmio(0);
        this.lifecycle = new Lifecycle(dev.address().toString());
        this.mappings = new MappingTable(dev.mappable(0)); // each client's window: all of BAR0
    }

    /** Opens through kernel VFIO, turns bus mastering on, starts the event loop (1 MSI vector + REQ/ERR as offered). */
    public static EduDevice open(String bdf) {
        PciDevice d = KernelVfio.open(PciAddress.parse(bdf));
        EduDevice e;
        try {
            e = new EduDevice(d);
            d.config().setBusMaster(true);
        } catch (RuntimeException ex) {
            d.close();
            throw ex;
        }
        e.start();
        return e;
    }

    private void start() {
        boolean skipReroute = Boolean.getBoolean(SKIP_REROUTE);
        lifecycle.addLateFini("close mapping table", mappings::close);
        lifecycle.addEarlyFini("close event loop and device", () -> {
            try {
                loop.close();
            } finally {
                dev.close();
                releasedNanos = System.nanoTime();
            }
        });
        lifecycle.addEarlyFini("reroute client mappings", () -> {
            if (skipReroute) {
                System.out.println("EDU " + dev.address() + ": -D" + SKIP_REROUTE + "=true: NOT rerouting client mappings (broken build)");
                return;
            }
            mappings.rerouteAll();
        });
        lifecycle.addEarlyFini("guard unplug", () -> guard.unplug(Duration.ofSeconds(5)));
        loop = DeviceEventLoop.start(dev, IrqType.MSI, 1, new DeviceEventHandler() {
            @Override
            public void onIrq(int vector, long count) {
                msiCount.addAndGet(count);
            }

            @Override
            public void onRequest(long count) {
                long now = System.nanoTime();
                if (firstReqNanos < 0) {
                    firstReqNanos = now;
                }
                lastReqNanos = now;
                long n = reqSignals.addAndGet(count);
                System.out.println("EDU " + dev.address() + ": REQ #" + n + (ignoreReq ? " (ignored)" : " -> lifecycle"));
                if (!ignoreReq) {
                    lifecycle.trigger(LossReason.REQ);
                }
            }
        });
        lifecycle.activate();
    }

    public DeviceEventLoop eventLoop() {
        return loop;
    }

    /** A driver that ignores REQ (scenario 7): the handler only counts. */
    public void ignoreRequests(boolean ignore) {
        this.ignoreReq = ignore;
    }

    public long firstReqNanos() {
        return firstReqNanos;
    }

    public long lastReqNanos() {
        return lastReqNanos;
    }

    /** When early fini finished closing the device (every fd), or -1. */
    public long releasedNanos() {
        return releasedNanos;
    }

    public int ident() {
        return bar0.read32(IDENT);
    }

    /** Writes {@code v} to the liveness register and returns what it reads back (edu: ~v). */
    public int liveness(int v) {
        bar0.write32(LIVENESS, v);
        return bar0.read32(LIVENESS);
    }

    /** Raises edu interrupt {@code status} (MSI when enabled). */
    public void raiseIrq(int status) {
        bar0.write32(IRQ_RAISE, status);
    }

    public void ackIrq(int status) {
        bar0.write32(IRQ_ACK, status);
    }

    public int irqStatus() {
        return bar0.read32(IRQ_STATUS);
    }

    /** RAM (IOVA {@code iova}) → device buffer at {@code devOffset}. */
    public void dmaToDevice(long iova, long devOffset, int count, boolean irq) {
        dma(iova, DEVICE_BUFFER + devOffset, count, irq ? DMA_IRQ : 0);
    }

    /** Device buffer at {@code devOffset} → RAM (IOVA {@code iova}). */
    public void dmaToRam(long devOffset, long iova, int count, boolean irq) {
        dma(DEVICE_BUFFER + devOffset, iova, count, DMA_TO_RAM | (irq ? DMA_IRQ : 0));
    }

    private void dma(long src, long dst, int count, int flags) {
        if (count <= 0 || count > MAX_TRANSFER) {
            throw new IllegalArgumentException("edu transfer of " + count + " bytes: keep 1.." + MAX_TRANSFER);
        }
        awaitDmaIdle(Duration.ofSeconds(5));
        bar0.write64(DMA_SRC, src);
        bar0.write64(DMA_DST, dst);
        bar0.write64(DMA_COUNT, count);
        bar0.write64(DMA_CMD, DMA_RUN | flags);
        awaitDmaIdle(Duration.ofSeconds(5));
    }

    /** Polls the command register until the engine's RUN bit clears (one transfer is a ~100 ms timer). */
    public void awaitDmaIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((bar0.read32(DMA_CMD) & DMA_RUN) != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("edu DMA still running after " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for DMA", e);
            }
        }
    }

    /** Maps {@code host} for the device (must be below edu's 28-bit DMA mask). */
    public DmaMapping mapDma(MemorySegment host) {
        DmaMapping m = dev.dma().map(host);
        if (m.iova() + m.size() > DMA_LIMIT) {
            dev.dma().unmap(m);
            throw new IllegalStateException("IOVA 0x" + Long.toHexString(m.iova()) + " is beyond edu's 28-bit DMA mask");
        }
        return m;
    }

    /** Orderly close (no loss): runs early fini through the lifecycle and waits for it. */
    @Override
    public void close() {
        lifecycle.trigger(LossReason.CLOSE);
        try {
            if (!lifecycle.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(20))) {
                throw new IllegalStateException("early fini of " + dev.address() + " did not finish in 20 s: " + lifecycle.report());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
