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
import java.util.concurrent.atomic.AtomicInteger;

/** A device that runs a removal at the n-th register store: a removal in the middle of probe. */
final class RemovalDuringProbe implements PciDevice {

    private final PciDevice d;
    private final Mmio bar5;

    RemovalDuringProbe(PciDevice d, int nthStore, Runnable removal) {
        this.d = d;
        Mmio real = d.mmio(RegionInfo.BAR5);
        AtomicInteger stores = new AtomicInteger();
        this.bar5 = new Mmio() {
            @Override
            public long size() {
                return real.size();
            }

            @Override
            public int read32(long offset) {
                return real.read32(offset);
            }

            @Override
            public void write32(long offset, int value) {
                if (stores.incrementAndGet() == nthStore) {
                    removal.run();
                }
                real.write32(offset, value);
            }

            @Override
            public long read64(long offset) {
                return real.read64(offset);
            }

            @Override
            public void write64(long offset, long value) {
                real.write64(offset, value);
            }
        };
    }

    @Override public PciAddress address() { return d.address(); }
    @Override public int vendorId() { return d.vendorId(); }
    @Override public int deviceId() { return d.deviceId(); }
    @Override public String backend() { return d.backend(); }
    @Override public int regionCount() { return d.regionCount(); }
    @Override public RegionInfo region(int index) { return d.region(index); }
    @Override public Mmio mmio(int bar) { return bar == RegionInfo.BAR5 ? bar5 : d.mmio(bar); }
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
