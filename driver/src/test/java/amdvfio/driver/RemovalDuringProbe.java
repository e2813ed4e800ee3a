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

/**
 * A device that runs a removal at the n-th counted register access: a removal at a chosen,
 * repeatable point of probe — no wall clock involved. {@link #atStore} counts BAR5 stores;
 * {@link #atAccess} counts every BAR0 and BAR5 access (reads too), so a sweep reaches the
 * discovery read and the window between identification and it.
 */
final class RemovalDuringProbe implements PciDevice {

    private final PciDevice d;
    private final Mmio bar5;
    private final Mmio bar0;
    private final AtomicInteger accesses = new AtomicInteger();

    private RemovalDuringProbe(PciDevice d, int nth, boolean readsCount, Runnable removal) {
        this.d = d;
        this.bar5 = new Counting(d.mmio(RegionInfo.BAR5), nth, readsCount, removal);
        this.bar0 = readsCount ? new Counting(d.mmio(RegionInfo.BAR0), nth, true, removal) : d.mmio(RegionInfo.BAR0);
    }

    /** The removal runs just before the {@code nth} BAR5 store. */
    static RemovalDuringProbe atStore(PciDevice d, int nth, Runnable removal) {
        return new RemovalDuringProbe(d, nth, false, removal);
    }

    /** The removal runs just before the {@code nth} BAR0/BAR5 access, read or write. */
    static RemovalDuringProbe atAccess(PciDevice d, int nth, Runnable removal) {
        return new RemovalDuringProbe(d, nth, true, removal);
    }

    /** Counted accesses so far (an open without removal tells how long the probe is). */
    int accesses() {
        return accesses.get();
    }

    private final class Counting implements Mmio {
        private final Mmio real;
        private final int nth;
        private final boolean readsCount;
        private final Runnable removal;

        Counting(Mmio real, int nth, boolean readsCount, Runnable removal) {
            this.real = real;
            this.nth = nth;
            this.readsCount = readsCount;
            this.removal = removal;
        }

        private void count() {
            if (accesses.incrementAndGet() == nth) {
                removal.run();
            }
        }

        @Override
        public long size() {
            return real.size();
        }

        @Override
        public int read32(long offset) {
            if (readsCount) {
                count();
            }
            return real.read32(offset);
        }

        @Override
        public void write32(long offset, int value) {
            count();
            real.write32(offset, value);
        }

        @Override
        public long read64(long offset) {
            if (readsCount) {
                count();
            }
            return real.read64(offset);
        }

        @Override
        public void write64(long offset, long value) {
            if (readsCount) {
                count();
            }
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
