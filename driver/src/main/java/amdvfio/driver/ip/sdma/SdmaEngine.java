package amdvfio.driver.ip.sdma;

import static amdvfio.driver.ip.sdma.SdmaRegisters.*;

import amdvfio.driver.asic.SdmaGeneration;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.reg.Field;
import amdvfio.driver.reg.Reg;
import amdvfio.driver.ring.Ring;
import amdvfio.driver.sched.RingScheduler;

/**
 * One SDMA instance's queue 0: the per-instance ring programming of {@code sdma_v*_gfx_resume}
 * in the kernel's order (spec §3.4), halt, and the recovery re-initialisation. The differences
 * between generations are the three places marked by {@code generation}: where the wptr poll
 * address goes and how F32 polling is enabled (4.0 after the doorbell with polling off; 5.x
 * before it with {@code WPTR_POLL_CNTL.F32_POLL_ENABLE}; 6.0 in RB_CNTL, plus RB_PRIV), and
 * UTC_L1_ENABLE, which 6.0's CNTL no longer has.
 *
 * <p>Threading: called at probe, close, and by its ring's scheduler under the ring lock.
 */
public final class SdmaEngine implements RingScheduler.EngineControl {

    private final DeviceContext ctx;
    private final SdmaRegisters regs;
    private final SdmaGeneration generation;
    private final int instance;
    private final String name;
    private Ring ring;

    public SdmaEngine(DeviceContext ctx, int instance) {
        this.ctx = ctx;
        this.instance = instance;
        this.generation = ctx.profile().sdma().generation();
        this.regs = new SdmaRegisters(generation, ctx.bases(), instance);
        this.name = ctx.profile().sdma().blockName() + "." + instance;
    }

    void attach(Ring ring) {
        this.ring = ring;
    }

    /** Unhalts the F32 ({@code sdma_v*_enable(true)}) — the firmware is assumed loaded. */
    public void unhalt() {
        update(regs.f32Cntl(), HALT, 0);
    }

    /** Halts the F32 and disables the ring and IBs ({@code sdma_v*_gfx_stop} + {@code enable(false)}). */
    public void halt() {
        update(RB_CNTL, RB_ENABLE, 0);
        update(IB_CNTL, IB_ENABLE, 0);
        update(regs.f32Cntl(), HALT, 1);
    }

    /** Programs queue 0 for {@code ring}, steps a..j of spec §3.4. */
    public void resume() {
        write(regs.semWaitFailTimerCntl(), 0);                                  // a
        int rbCntl = RB_SIZE.encode(Integer.numberOfTrailingZeros((int) (ring.sizeBytes() / 4)));
        if (generation == SdmaGeneration.V6_0) {
            rbCntl = RB_PRIV.set(rbCntl, 1);
        }
        write(RB_CNTL, rbCntl);                                                  // b (disabled)
        write(RB_RPTR, 0);                                                       // c
        write(RB_RPTR_HI, 0);
        write(RB_WPTR, 0);
        write(RB_WPTR_HI, 0);
        long shadow = ring.writebackGpuAddress(Ring.WPTR_SHADOW);
        if (generation != SdmaGeneration.V4_0) {                                 // d (5.x / 6.0)
            write(RB_WPTR_POLL_ADDR_LO, (int) shadow & ~3);
            write(RB_WPTR_POLL_ADDR_HI, (int) (shadow >>> 32));
            if (generation != SdmaGeneration.V6_0) {
                update(RB_WPTR_POLL_CNTL, F32_POLL_ENABLE, 1);
            }
        }
        long rptrWb = ring.writebackGpuAddress(Ring.RPTR_WB);
        write(RB_RPTR_ADDR_HI, (int) (rptrWb >>> 32));
        write(RB_RPTR_ADDR_LO, (int) rptrWb & ~3);
        rbCntl = RPTR_WRITEBACK_ENABLE.set(rbCntl, 1);                           // e
        rbCntl = RPTR_WRITEBACK_TIMER.set(rbCntl, 4);
        if (generation == SdmaGeneration.V6_0) {
            rbCntl = F32_WPTR_POLL_ENABLE_V6.set(rbCntl, 1);
        }
        write(RB_BASE, (int) (ring.gpuAddress() >>> 8));                        // f
        write(RB_BASE_HI, (int) (ring.gpuAddress() >>> 40));
        write(MINOR_PTR_UPDATE, MINOR_PTR_ENABLE.encode(1));                     // g: before a smaller wptr
        write(RB_WPTR, 0);
        write(RB_WPTR_HI, 0);
        write(DOORBELL, DOORBELL_ENABLE.encode(1));                              // h: DOORBELL before its OFFSET
        write(DOORBELL_OFFSET, DOORBELL_OFFSET_FIELD.encode((int) (ring.doorbellOffset() / 4)));
        write(MINOR_PTR_UPDATE, 0);                                              // i
        if (generation == SdmaGeneration.V4_0) {
            write(RB_WPTR_POLL_ADDR_LO, (int) shadow & ~3);
            write(RB_WPTR_POLL_ADDR_HI, (int) (shadow >>> 32));
            update(RB_WPTR_POLL_CNTL, F32_POLL_ENABLE, 0);
        }
        int cntl = TRAP_ENABLE.set(read(CNTL), 1);
        if (generation != SdmaGeneration.V6_0) {
            cntl = UTC_L1_ENABLE.set(cntl, 1);
        }
        write(CNTL, cntl);
        unhalt();
        write(RB_CNTL, RB_ENABLE.set(rbCntl, 1));                                // j
        update(IB_CNTL, IB_ENABLE, 1);
    }

    /** Recovery: halt (which resets the F32), re-program the ring with pointers at 0, restart. */
    @Override
    public void reinitialize() {
        halt();
        ring.resetPointers();
        resume();
    }

    @Override
    public boolean recoveryAllowed() {
        return ctx.isPresent();
    }

    /** Disables the queue's doorbell and halts; only when the device is present (early fini). */
    public void stop() {
        if (ctx.isPresent()) {
            halt();
            write(DOORBELL, 0);
            update(CNTL, TRAP_ENABLE, 0);
        }
    }

    public String name() {
        return name;
    }

    public int instance() {
        return instance;
    }

    private int read(Reg reg) {
        return ctx.regs().read(regs.address(reg));
    }

    private void write(Reg reg, int value) {
        ctx.regs().write(regs.address(reg), value);
    }

    private void update(Reg reg, Field f, int v) {
        ctx.regs().update(regs.address(reg), f, v);
    }
}
