package amdvfio.sim;

import amdvfio.os.EventFd;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.DeviceClosedException;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IrqInfo;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.VfioException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle on a simulated card, the {@link PciDevice} the driver codes against: what an open
 * vfio device fd is in the kernel backend. BAR0 is the VRAM aperture (mappable: the VRAM memfd),
 * BAR2 the doorbells and BAR5 the registers (both reached through {@link #mmio}: the model must
 * see every store). After the card is removed, every read answers all ones and writes vanish;
 * after {@link #close()}, calls throw {@link DeviceClosedException}.
 */
public final class SimPciDevice implements PciDevice {

    /** vfio-pci's VFIO_PCI_INDEX_TO_OFFSET: region index << 40. */
    private static final int REGION_SHIFT = 40;
    private static final long BAR2_BYTES = 2 << 20;
    private static final long BAR4_BYTES = 256;

    private final SimGpu gpu;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Mmio bar0 = new VramMmio();
    private final Mmio bar2 = new DoorbellMmio();
    private final Mmio bar5 = new RegisterMmio();
    private final ConfigSpace config = new HandleConfig();
    private final DmaSpace dma = new HandleDma();
    /** Where this handle was opened: what a leak report names. */
    private final Throwable openedAt = new Throwable("opened here");
    private volatile Runnable onClose = () -> { };

    SimPciDevice(SimGpu gpu) {
        this.gpu = gpu;
        gpu.opened();
    }

    /** Run once after {@link #close()} (the bus's record of open handles); at once if already closed. */
    void onClose(Runnable r) {
        onClose = r;
        if (closed.get()) {
            r.run();
        }
    }

    /** This handle and the first frames of the code that opened it, for a leak report. */
    String describeWithOpener() {
        StringBuilder b = new StringBuilder(toString()).append(" opened at");
        StackTraceElement[] st = openedAt.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 12); i++) {
            b.append("\n    ").append(st[i]);
        }
        return b.toString();
    }

    private void checkOpen(String what) {
        if (closed.get()) {
            throw new DeviceClosedException(gpu.address(), what);
        }
    }

    @Override
    public PciAddress address() {
        return gpu.address();
    }

    @Override
    public int vendorId() {
        return 0x1002;
    }

    @Override
    public int deviceId() {
        return gpu.profile().deviceId();
    }

    @Override
    public String backend() {
        return "simulated " + gpu.profile();
    }

    @Override
    public int regionCount() {
        return 9;
    }

    @Override
    public RegionInfo region(int index) {
        checkOpen("region info");
        long off = (long) index << REGION_SHIFT;
        return switch (index) {
            case RegionInfo.BAR0 -> new RegionInfo(0, gpu.config().bar0Bytes(), 0, true, true, true, List.of());
            case RegionInfo.BAR2 -> new RegionInfo(2, BAR2_BYTES, off, true, true, false, List.of());
            case 4 -> new RegionInfo(4, BAR4_BYTES, off, true, true, false, List.of());
            case RegionInfo.BAR5 -> new RegionInfo(5, gpu.profile().bar5Bytes(), off, true, true, false, List.of());
            case RegionInfo.CONFIG -> new RegionInfo(7, 256, off, true, true, false, List.of());
            default -> {
                if (index < 0 || index >= regionCount()) {
                    throw new VfioException("region index " + index + " is outside 0.." + (regionCount() - 1));
                }
                yield new RegionInfo(index, 0, off, false, false, false, List.of());
            }
        };
    }

    @Override
    public Mmio mmio(int bar) {
        checkOpen("mmio");
        return switch (bar) {
            case 0 -> bar0;
            case 2 -> bar2;
            case 5 -> bar5;
            default -> throw new VfioException("BAR" + bar + " of the simulated " + gpu.profile().name()
                    + " has no memory registers (BAR0 VRAM, BAR2 doorbells, BAR5 registers)");
        };
    }

    @Override
    public MappableRange mappable(int bar) {
        checkOpen("mappable");
        if (bar != 0) {
            throw new VfioException("BAR" + bar + " of the simulated device is not mappable: doorbells and registers "
                    + "must be reached through mmio(" + bar + ") so the model sees every store");
        }
        return new MappableRange(gpu.vramFd(), 0, Math.min(gpu.config().bar0Bytes(), gpu.config().vramBytes()));
    }

    @Override
    public ConfigSpace config() {
        checkOpen("config");
        return config;
    }

    @Override
    public IrqInfo irqInfo(IrqType type) {
        checkOpen("irq info");
        return switch (type) {
            case INTX -> new IrqInfo(type, 1, true, true, true, false);
            case MSI -> new IrqInfo(type, 1, true, false, false, false);
            case MSIX -> new IrqInfo(type, 0, true, false, false, false);
            case ERR, REQ -> new IrqInfo(type, 1, true, false, false, true);
        };
    }

    @Override
    public void enableIrq(IrqType type, List<EventFd> triggers) {
        checkOpen("enableIrq(" + type + ")");
        IrqInfo info = irqInfo(type);
        if (!info.available()) {
            throw new VfioException("the simulated device has no " + type + " vectors; use MSI");
        }
        if (triggers.size() > info.count()) {
            throw new VfioException(type + " has " + info.count() + " vector(s), " + triggers.size() + " eventfds given");
        }
        if ((type == IrqType.MSI && hasIrq(IrqType.INTX)) || (type == IrqType.INTX && hasIrq(IrqType.MSI))) {
            throw new VfioException("ioctl(VFIO_DEVICE_SET_IRQS) failed: EINVAL: disable "
                    + (type == IrqType.MSI ? "INTx" : "MSI") + " first (one interrupt mode at a time, as vfio-pci)");
        }
        gpu.setIrq(type, triggers);
    }

    private boolean hasIrq(IrqType t) {
        return gpu.hasIrq(t);
    }

    @Override
    public void disableIrq(IrqType type) {
        checkOpen("disableIrq(" + type + ")");
        gpu.setIrq(type, List.of());
    }

    @Override
    public DmaSpace dma() {
        checkOpen("dma");
        return dma;
    }

    @Override
    public void reset() {
        checkOpen("reset");
        if (gpu.present()) {
            gpu.reset().pciReset();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            gpu.closed();
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "SimPciDevice[" + gpu.address() + " " + gpu.profile() + (closed.get() ? " closed" : "") + "]";
    }

    // ------------------------------------------------------------------ BARs

    private static void checkAligned(long offset, int width, long size, String bar) {
        if (offset < 0 || offset + width > size || offset % width != 0) {
            throw new IllegalArgumentException(String.format("%s access of %d bytes at 0x%x: outside the BAR (0x%x) "
                    + "or not naturally aligned", bar, width, offset, size));
        }
    }

    /** BAR0: the VRAM aperture (the first bar0Bytes of VRAM). */
    private final class VramMmio implements Mmio {
        @Override
        public long size() {
            return gpu.config().bar0Bytes();
        }

        private boolean live(long offset, int width) {
            checkOpen("BAR0 access");
            checkAligned(offset, width, size(), "BAR0");
            return gpu.memoryDecode() && offset + width <= gpu.config().vramBytes();
        }

        @Override
        public int read32(long offset) {
            return live(offset, 4) ? gpu.vram().get(ValueLayout.JAVA_INT_UNALIGNED, offset) : -1;
        }

        @Override
        public void write32(long offset, int value) {
            if (live(offset, 4)) {
                gpu.countHostWrite();
                gpu.vram().set(ValueLayout.JAVA_INT_UNALIGNED, offset, value);
            }
        }

        @Override
        public long read64(long offset) {
            return live(offset, 8) ? gpu.vram().get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : -1L;
        }

        @Override
        public void write64(long offset, long value) {
            if (live(offset, 8)) {
                gpu.countHostWrite();
                gpu.vram().set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
            }
        }
    }

    /** BAR2: doorbells. Stores are routed to the engine (or IH) programmed for that offset. */
    private final class DoorbellMmio implements Mmio {
        @Override
        public long size() {
            return BAR2_BYTES;
        }

        private boolean live(long offset, int width) {
            checkOpen("BAR2 access");
            checkAligned(offset, width, size(), "BAR2");
            return gpu.memoryDecode();
        }

        @Override
        public int read32(long offset) {
            if (!live(offset, 4)) {
                return -1;
            }
            long v = gpu.readDoorbell(offset & ~7L);
            return (int) ((offset & 4) == 0 ? v : v >>> 32);
        }

        @Override
        public void write32(long offset, int value) {
            if (live(offset, 4)) {
                gpu.writeDoorbell(offset, Integer.toUnsignedLong(value), false);
            }
        }

        @Override
        public long read64(long offset) {
            return live(offset, 8) ? gpu.readDoorbell(offset) : -1L;
        }

        @Override
        public void write64(long offset, long value) {
            if (live(offset, 8)) {
                gpu.writeDoorbell(offset, value, true);
            }
        }
    }

    /** BAR5: the register file. */
    private final class RegisterMmio implements Mmio {
        @Override
        public long size() {
            return gpu.profile().bar5Bytes();
        }

        private boolean live(long offset, int width) {
            checkOpen("BAR5 access");
            checkAligned(offset, width, size(), "BAR5");
            return gpu.memoryDecode();
        }

        @Override
        public int read32(long offset) {
            return live(offset, 4) ? gpu.readRegister((int) (offset >>> 2)) : -1;
        }

        @Override
        public void write32(long offset, int value) {
            if (live(offset, 4)) {
                gpu.writeRegister((int) (offset >>> 2), value);
            }
        }

        @Override
        public long read64(long offset) {
            if (!live(offset, 8)) {
                return -1L;
            }
            int lo = gpu.readRegister((int) (offset >>> 2));
            int hi = gpu.readRegister((int) (offset >>> 2) + 1);
            return Integer.toUnsignedLong(lo) | ((long) hi << 32);
        }

        @Override
        public void write64(long offset, long value) {
            if (live(offset, 8)) {
                gpu.writeRegister((int) (offset >>> 2), (int) value);
                gpu.writeRegister((int) (offset >>> 2) + 1, (int) (value >>> 32));
            }
        }
    }

    private final class HandleConfig implements ConfigSpace {
        @Override
        public int read8(int offset) {
            checkOpen("config read");
            return gpu.configSpace().read8(offset);
        }

        @Override
        public int read16(int offset) {
            checkOpen("config read");
            return gpu.configSpace().read16(offset);
        }

        @Override
        public int read32(int offset) {
            checkOpen("config read");
            return gpu.configSpace().read32(offset);
        }

        @Override
        public void write16(int offset, int value) {
            checkOpen("config write");
            gpu.configSpace().write16(offset, value);
        }

        @Override
        public void write32(int offset, int value) {
            checkOpen("config write");
            gpu.configSpace().write32(offset, value);
        }
    }

    private final class HandleDma implements DmaSpace {
        @Override
        public DmaMapping map(MemorySegment host) {
            checkOpen("DMA map");
            return gpu.dma().map(host);
        }

        @Override
        public DmaMapping mapAt(MemorySegment host, long iova) {
            checkOpen("DMA map");
            return gpu.dma().mapAt(host, iova);
        }

        @Override
        public void unmap(DmaMapping mapping) {
            checkOpen("DMA unmap");
            gpu.dma().unmap(mapping);
        }

        @Override
        public List<DmaMapping> mappings() {
            checkOpen("DMA mappings");
            return gpu.dma().mappings();
        }
    }
}
