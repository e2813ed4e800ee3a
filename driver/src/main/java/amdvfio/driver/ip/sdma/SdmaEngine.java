package amdvfio.driver.ip.sdma;

import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ring.Ring;
import amdvfio.driver.sched.RingScheduler;

/**
 * One SDMA instance's queue 0: the per-instance ring programming of {@code sdma_v*_gfx_resume}
 * in the kernel's order (spec §3.4), halt, and the recovery re-initialisation. Every register is
 * this instance's own from the generated header ({@link SdmaRegs}); what differs between versions
 * is read from the set, not from a version number: a version without RB_WPTR_POLL_CNTL (6.0)
 * enables F32 polling with RB_CNTL.F32_WPTR_POLL_ENABLE and runs a privileged ring (RB_PRIV,
 * {@code sdma_v6_0_gfx_resume}); one whose F32_CNTL has TH1_RESET (6.0) clears it with HALT when
 * it unhalts; CNTL.UTC_L1_ENABLE is set where it exists. The wptr poll address goes before the
 * doorbell where amdgpu's 5.x/6.0 resume writes it there (with RB_WPTR_POLL_CNTL on 5.x), after
 * it with polling off on 4.0 ({@code sdma_v4_0_gfx_resume}).
 *
 * <p>Threading: called at probe, close, and by its ring's scheduler under the ring lock.
 */
public final class SdmaEngine implements RingScheduler.EngineControl {

    private final DeviceContext ctx;
    private final SdmaRegs regs;
    private final int[] bases;
    private final boolean pollAddressFirst;
    private final int instance;
    private final String name;
    private Ring ring;

    public SdmaEngine(DeviceContext ctx, int instance) {
        this.ctx = ctx;
        this.instance = instance;
        this.regs = ctx.profile().sdma().ip().regs(instance);
        this.bases = ctx.bases().of(regs.baseIp);
        this.pollAddressFirst = ctx.profile().sdma().ip().pollAddressBeforeDoorbell();
        this.name = ctx.profile().sdma().blockName() + "." + instance;
    }

    void attach(Ring ring) {
        this.ring = ring;
    }

    /** Unhalts the F32 ({@code sdma_v*_enable(true)}), and on 6.0 releases thread 1 from reset. */
    public void unhalt() {
        int v = regs.halt.set(read(regs.f32Cntl), 0);
        if (regs.th1Reset != null) {
            v = regs.th1Reset.set(v, 0); // sdma_v6_0_gfx_resume: "unhalt engine" clears HALT and TH1_RESET
        }
        write(regs.f32Cntl, v);
    }

    /** Halts the F32 and disables the ring and IBs ({@code sdma_v*_gfx_stop} + {@code enable(false)}). */
    public void halt() {
        update(regs.rbCntl, regs.rbEnable, 0);
        update(regs.ibCntl, regs.ibEnable, 0);
        update(regs.f32Cntl, regs.halt, 1);
    }

    /** Programs queue 0 for {@code ring}, steps a..j of spec §3.4. */
    public void resume() {
        write(regs.semWaitFailTimerCntl, 0);                                     // a
        int rbCntl = regs.rbSize.encode(Integer.numberOfTrailingZeros((int) (ring.sizeBytes() / 4)));
        if (regs.rbWptrPollCntl == null) {
            rbCntl = regs.rbPriv.set(rbCntl, 1);
        }
        write(regs.rbCntl, rbCntl);                                              // b (disabled)
        write(regs.rbRptr, 0);                                                   // c
        write(regs.rbRptrHi, 0);
        write(regs.rbWptr, 0);
        write(regs.rbWptrHi, 0);
        long shadow = ring.writebackGpuAddress(Ring.WPTR_SHADOW);
        if (pollAddressFirst) {                                                  // d (5.x / 6.0)
            writePollAddress(shadow);
            if (regs.rbWptrPollCntl != null) {
                update(regs.rbWptrPollCntl, regs.f32PollEnable, 1);
            }
        }
        long rptrWb = ring.writebackGpuAddress(Ring.RPTR_WB);
        write(regs.rbRptrAddrHi, (int) (rptrWb >>> 32));
        write(regs.rbRptrAddrLo, (int) rptrWb & ~3);
        rbCntl = regs.rptrWritebackEnable.set(rbCntl, 1);                        // e
        rbCntl = regs.rptrWritebackTimer.set(rbCntl, 4);
        if (regs.f32WptrPollEnable != null) {
            rbCntl = regs.f32WptrPollEnable.set(rbCntl, 1);
        }
        write(regs.rbBase, (int) (ring.gpuAddress() >>> 8));                    // f
        write(regs.rbBaseHi, (int) (ring.gpuAddress() >>> 40));
        write(regs.minorPtrUpdate, regs.minorPtrEnable.encode(1));               // g: before a smaller wptr
        write(regs.rbWptr, 0);
        write(regs.rbWptrHi, 0);
        write(regs.doorbell, regs.doorbellEnable.encode(1));                     // h: DOORBELL before its OFFSET
        write(regs.doorbellOffset, regs.doorbellOffsetField.encode((int) (ring.doorbellOffset() / 4)));
        write(regs.minorPtrUpdate, 0);                                           // i
        if (!pollAddressFirst) {
            writePollAddress(shadow);
            update(regs.rbWptrPollCntl, regs.f32PollEnable, 0);
        }
        int cntl = regs.trapEnable.set(read(regs.cntl), 1);
        if (regs.utcL1Enable != null) {
            cntl = regs.utcL1Enable.set(cntl, 1);
        }
        write(regs.cntl, cntl);
        unhalt();
        write(regs.rbCntl, regs.rbEnable.set(rbCntl, 1));                        // j
        update(regs.ibCntl, regs.ibEnable, 1);
    }

    private void writePollAddress(long shadow) {
        write(regs.rbWptrPollAddrLo, (int) shadow & ~3);
        write(regs.rbWptrPollAddrHi, (int) (shadow >>> 32));
    }

    /** Recovery: halt (which resets the F32), re-program the ring with pointers at 0, restart. */
    @Override
    public void reinitialize() {
        halt();
        ring.resetPointers();
        resume();
    }

    /** Never after a loss; a timeout that finds the device gone reports a surprise removal (DeviceContext). */
    @Override
    public boolean recoveryAllowed() {
        return ctx.recoveryAllowed();
    }

    /** Disables the queue's doorbell and halts; only when the device is present (early fini). */
    public void stop() {
        if (ctx.isPresent()) {
            halt();
            write(regs.doorbell, 0);
            update(regs.cntl, regs.trapEnable, 0);
        }
    }

    public String name() {
        return name;
    }

    public int instance() {
        return instance;
    }

    private int read(Reg reg) {
        return ctx.regs().read(reg.address(bases));
    }

    private void write(Reg reg, int value) {
        ctx.regs().write(reg.address(bases), value);
    }

    private void update(Reg reg, Field f, int v) {
        ctx.regs().update(reg.address(bases), f, v);
    }
}
