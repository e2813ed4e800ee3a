package amdvfio.driver;

import amdvfio.os.EventFd;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IrqInfo;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import java.util.List;

/**
 * A device whose BAR0 and BAR5 accesses pass a {@link Tap} first — to see which registers and
 * windows the driver used, or to act at a counted access (a removal mid-probe). Everything else
 * is the wrapped device.
 */
final class TappedDevice implements PciDevice {

    /** Sees every BAR0/BAR5 access before it happens. */
    @FunctionalInterface
    interface Tap {
        void access(int bar, long offset, boolean write, long value);
    }

    private final PciDevice d;
    private final Mmio bar5;
    private final Mmio bar0;

    TappedDevice(PciDevice d, Tap tap) {
        this.d = d;
        this.bar5 = new Tapped(d.mmio(RegionInfo.BAR5), RegionInfo.BAR5, tap);
        this.bar0 = new Tapped(d.mmio(RegionInfo.BAR0), RegionInfo.BAR0, tap);
    }

    private record Tapped(Mmio real, int bar, Tap tap) implements Mmio {
        @Override
        public long size() {
            return real.size();
        }

        @Override
        public int read32(long offset) {
            tap.access(bar, offset, false, 0);
            return real.read32(offset);
        }

        @Override
        public void write32(long offset, int value) {
            tap.access(bar, offset, true, Integer.toUnsignedLong(value));
            real.write32(offset, value);
        }

        @Override
        public long read64(long offset) {
            tap.access(bar, offset, false, 0);
            return real.read64(offset);
        }

        @Override
        public void write64(long offset, long value) {
            tap.access(bar, offset, true, value);
            real.write64(offset, value);
        }
    }

    @Override public PciAddress address() { return d.address(); }
    @Override public int vendorId() { return d.vendorId(); }
    @Override public int deviceId() { return d.deviceId(); }
    @Override public String backend() { return d.backend(); }
    @Override public int regionCount() { return d.regionCount(); }
    @Override public RegionInfo region(int index) { return d.region(index); }
    @Override public Mmio mmio(int bar) { return bar == RegionInfo.BAR5 ? bar5 : bar == RegionInfo.BAR0 ? bar0 : d.mmio(bar); }
    @Override public MappableRange mappable(int bar) { return d.mappable(bar); }
    @Override public ConfigSpace config() { return d.config(); }
    @Override public IrqInfo irqInfo(IrqType type) { return d.irqInfo(type); }
    @Override public void enableIrq(IrqType type, List<EventFd> triggers) { d.enableIrq(type, triggers); }
    @Override public void disableIrq(IrqType type) { d.disableIrq(type); }
    @Override public DmaSpace dma() { return d.dma(); }
    @Override public void reset() { d.reset(); }
    @Override public boolean isClosed() { return d.isClosed(); }
    @Override public void close() { d.close(); }
}
