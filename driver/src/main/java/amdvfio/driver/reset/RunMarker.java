package amdvfio.driver.reset;

import amdvfio.driver.ip.DeviceContext;

/**
 * This driver's mark on the card, so the next run can tell "warm from our own clean shutdown"
 * from "warm from something else": SCRATCH_REG7 = {@link #MARKER} while the driver owns the card,
 * SCRATCH_REG6 = {@link #RUNNING}, then {@link #CLEAN} once it stopped every engine and interrupt
 * on a close. tinygrad's AM does the same with its own value ({@code amdev.py:146-196}). Both
 * registers survive between runs and are cleared by any reset.
 */
final class RunMarker {

    /** "AMV" and marker version 1. Not tinygrad's 0xA0000008: its state is not ours to reuse. */
    static final int MARKER = 0x414D5601;
    static final int RUNNING = 1;
    static final int CLEAN = 0;

    private final DeviceContext ctx;
    private final CardRegisters regs;

    RunMarker(DeviceContext ctx, CardRegisters regs) {
        this.ctx = ctx;
        this.regs = regs;
    }

    void markRunning() {
        ctx.regs().write(regs.gcAddress(ctx, regs.scratch7()), MARKER);
        ctx.regs().write(regs.gcAddress(ctx, regs.scratch6()), RUNNING);
    }

    void markClean() {
        ctx.regs().write(regs.gcAddress(ctx, regs.scratch6()), CLEAN);
    }

    int marker() {
        return ctx.regs().read(regs.gcAddress(ctx, regs.scratch7()));
    }

    int state() {
        return ctx.regs().read(regs.gcAddress(ctx, regs.scratch6()));
    }
}
