package amdvfio.driver;

import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A removal at a chosen, repeatable point of probe — the n-th counted register access, no wall
 * clock involved. {@link #atStore} counts BAR5 stores; {@link #atAccess} counts every BAR0 and
 * BAR5 access (reads too), so a sweep reaches the discovery read and the window before it.
 */
final class RemovalDuringProbe {

    private final AtomicInteger accesses = new AtomicInteger();
    private final TappedDevice device;

    private RemovalDuringProbe(PciDevice d, int nth, boolean storesOnly, Runnable removal) {
        this.device = new TappedDevice(d, (bar, offset, write, value) -> {
            boolean counted = storesOnly ? bar == RegionInfo.BAR5 && write : true;
            if (counted && accesses.incrementAndGet() == nth) {
                removal.run();
            }
        });
    }

    /** The removal runs just before the {@code nth} BAR5 store. */
    static PciDevice atStore(PciDevice d, int nth, Runnable removal) {
        return new RemovalDuringProbe(d, nth, true, removal).device;
    }

    /** The removal runs just before the {@code nth} BAR0/BAR5 access, read or write. */
    static RemovalDuringProbe atAccess(PciDevice d, int nth, Runnable removal) {
        return new RemovalDuringProbe(d, nth, false, removal);
    }

    PciDevice device() {
        return device;
    }

    /** Counted accesses so far (an open without removal tells how long the probe is). */
    int accesses() {
        return accesses.get();
    }
}
