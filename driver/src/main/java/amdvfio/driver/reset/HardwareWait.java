package amdvfio.driver.reset;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.GpuException;
import amdvfio.driver.ip.DeviceContext;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls the card for a condition with a 1 ms period (amdgpu's {@code msleep}/{@code udelay} loops),
 * giving up after a budget. A removal meanwhile (REQ or ERR reported to the lifecycle) ends the
 * wait with {@link DeviceLostException} at once, so no removal ever waits on a reset.
 */
final class HardwareWait {

    private static final long PERIOD_NANOS = 1_000_000;

    private HardwareWait() {
    }

    /**
     * @param offBusIsLoss whether a card reading all ones counts as removed (not while a mode1 reset
     *                     legitimately has it off the bus)
     * @return whether {@code condition} came true within {@code budget}
     */
    static boolean until(DeviceContext ctx, Duration budget, String what, boolean offBusIsLoss,
                         BooleanSupplier condition) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (ctx.lost() || (offBusIsLoss && ctx.surpriseRemoved())) {
                throw new DeviceLostException(ctx.device().address() + ": the device was removed while waiting for "
                        + what);
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(PERIOD_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new GpuException(ctx.device().address() + ": interrupted while waiting for " + what);
            }
        }
    }

    /** Sleeps {@code d} (a settle time the hardware needs), still ending at once on a removal. */
    static void settle(DeviceContext ctx, Duration d, String what) {
        until(ctx, d, what, false, () -> false);
    }
}
