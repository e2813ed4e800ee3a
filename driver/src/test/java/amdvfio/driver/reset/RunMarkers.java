package amdvfio.driver.reset;

import amdvfio.driver.ip.DeviceContext;

/**
 * Leaves this driver's run marker on a card as a clean close does, for tests that boot a card's
 * PSP by hand and then open it: until the PSP block runs inside {@code Gpu.open}, the card-state
 * step would otherwise take that hand-booted card for one warm from another driver and reset it.
 */
public final class RunMarkers {

    private RunMarkers() {
    }

    public static void leaveClean(DeviceContext ctx) {
        RunMarker m = new RunMarker(ctx, CardRegisters.of(ctx.profile()));
        m.markRunning();
        m.markClean();
    }
}
