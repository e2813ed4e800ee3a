package amdvfio.driver.unplug;

import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.unplug.DeviceGuard;
import java.util.function.Supplier;

/**
 * A BAR whose every access is a guarded hardware section ({@code drm_dev_enter/exit} around
 * each load and store). Once the guard is unplugged, accesses from driver threads are skipped —
 * reads return all ones, as a PCIe read of a missing device does, stores vanish — like amdgpu's
 * MMIO accessors under {@code no_hw_access}. The one exception is the thread running early fini
 * (the {@code amdgpu_device_fini_hw} analogue), which still disables what it can while the
 * device is open; after the device is closed nothing touches it.
 *
 * <p>Threading: any thread. Cost per access: one guard enter/exit (~1.2 ns uncontended, no locked instruction: DeviceGuard).
 */
public final class GuardedMmio implements Mmio {

    private final Mmio bar;
    private final DeviceGuard guard;
    private final PciDevice device;
    private final Supplier<Thread> finiThread;

    public GuardedMmio(Mmio bar, DeviceGuard guard, PciDevice device, Supplier<Thread> finiThread) {
        this.bar = bar;
        this.guard = guard;
        this.device = device;
        this.finiThread = finiThread;
    }

    /** After the guard flipped: may the current thread still touch the hardware? */
    private boolean finiAccess() {
        return Thread.currentThread() == finiThread.get() && !device.isClosed();
    }

    @Override
    public long size() {
        return bar.size();
    }

    @Override
    public int read32(long offset) {
        if (guard.enter()) {
            try {
                return bar.read32(offset);
            } finally {
                guard.exit();
            }
        }
        return finiAccess() ? bar.read32(offset) : -1;
    }

    @Override
    public void write32(long offset, int value) {
        if (guard.enter()) {
            try {
                bar.write32(offset, value);
            } finally {
                guard.exit();
            }
        } else if (finiAccess()) {
            bar.write32(offset, value);
        }
    }

    @Override
    public long read64(long offset) {
        if (guard.enter()) {
            try {
                return bar.read64(offset);
            } finally {
                guard.exit();
            }
        }
        return finiAccess() ? bar.read64(offset) : -1L;
    }

    @Override
    public void write64(long offset, long value) {
        if (guard.enter()) {
            try {
                bar.write64(offset, value);
            } finally {
                guard.exit();
            }
        } else if (finiAccess()) {
            bar.write64(offset, value);
        }
    }
}
