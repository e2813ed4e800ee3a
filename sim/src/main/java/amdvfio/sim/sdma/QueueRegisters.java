package amdvfio.sim.sdma;

import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.regs.RegisterFile;
import amdvfio.sim.regs.SdmaRegs;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The register face of one SDMA queue: the hooks that give RB_RPTR/RB_WPTR, STATUS_REG and
 * F32_CNTL their behaviour, the 64-bit monotonic pointers behind them, and how work arrives
 * (doorbell, RB_WPTR while MINOR_PTR_UPDATE = 0, the F32 wptr poll). Ring geometry:
 * {@code base = RB_BASE_HI << 40 | RB_BASE << 8}, {@code size = 4 << RB_SIZE} bytes (spec §9.2–§9.3).
 *
 * <p>Guarded by the register lock. {@code rptr} is written only by the engine thread while it
 * runs (and by RB_RPTR writes while it does not); both pointers are volatile so the engine reads
 * them between packets without the lock.
 */
final class QueueRegisters {

    private final String name;
    private final SdmaTraits traits;
    private final RegisterFile regs;
    private final int seg0;
    private final int f32Cntl;
    private final boolean strict;
    private final Consumer<StrictViolation> violations;
    private final EngineErrorState errors;
    private final BooleanSupplier runnable;
    private final Runnable changed;

    volatile long rptr;
    volatile long wptr;
    /** The wptr at which the last packet was found incomplete: the engine waits for a newer one. */
    volatile long stalledAtWptr = -1;

    QueueRegisters(String name, SdmaTraits traits, RegisterFile regs, int seg0, int f32Cntl, boolean strict,
                   Consumer<StrictViolation> violations, EngineErrorState errors, BooleanSupplier runnable,
                   Runnable changed) {
        this.name = name;
        this.traits = traits;
        this.regs = regs;
        this.seg0 = seg0;
        this.f32Cntl = f32Cntl;
        this.strict = strict;
        this.violations = violations;
        this.errors = errors;
        this.runnable = runnable;
        this.changed = changed;
        installHooks();
    }

    int reg(int offset) {
        return seg0 + offset;
    }

    int f32Cntl() {
        return f32Cntl;
    }

    private void installHooks() {
        regs.hook(reg(SdmaRegs.RB_RPTR), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) rptr;
            }

            @Override
            public void written(int value, int old) {
                rptr = (rptr & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value);
                stalledAtWptr = -1;
            }
        });
        regs.hook(reg(SdmaRegs.RB_RPTR_HI), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) (rptr >>> 32);
            }

            @Override
            public void written(int value, int old) {
                rptr = ((long) value << 32) | (rptr & 0xFFFF_FFFFL);
            }
        });
        regs.hook(reg(SdmaRegs.RB_WPTR), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) wptr;
            }

            @Override
            public void written(int value, int old) {
                updateWptr((wptr & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value), "RB_WPTR");
            }
        });
        regs.hook(reg(SdmaRegs.RB_WPTR_HI), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) (wptr >>> 32);
            }

            @Override
            public void written(int value, int old) {
                updateWptr(((long) value << 32) | (wptr & 0xFFFF_FFFFL), "RB_WPTR_HI");
            }
        });
        regs.hook(reg(SdmaRegs.STATUS_REG), new RegisterFile.ReadOnly() {
            @Override
            public int value() {
                boolean idle = errors.ok() && (rptr == wptr || !runnable.getAsBoolean());
                return idle ? SdmaRegs.STATUS_IDLE.mask() : 0;
            }
        });
        regs.hook(f32Cntl, (value, old) -> {
            if (SdmaRegs.HALT.isSet(value) && !SdmaRegs.HALT.isSet(old)) {
                // halting resets the F32: a stopped queue can be re-initialised (amdgpu's recovery path)
                errors.clear();
                stalledAtWptr = -1;
            }
            changed.run();
        });
        regs.hook(reg(SdmaRegs.RB_CNTL), (value, old) -> changed.run());
        regs.hook(reg(SdmaRegs.RB_WPTR_POLL_CNTL), (value, old) -> changed.run());
    }

    /** Reset values: everything 0 except F32_CNTL.HALT = 1 (the F32 waits for its firmware to be started). Caller holds regs. */
    void reset() {
        regs.setRaw(f32Cntl, SdmaRegs.HALT.mask());
        rptr = 0;
        wptr = 0;
        stalledAtWptr = -1;
    }

    boolean halted() {
        return SdmaRegs.HALT.isSet(regs.raw(f32Cntl));
    }

    boolean ringEnabled() {
        return SdmaRegs.RB_ENABLE.isSet(regs.raw(reg(SdmaRegs.RB_CNTL)));
    }

    private boolean minorPtrUpdate() {
        return SdmaRegs.MINOR_PTR_ENABLE.isSet(regs.raw(reg(SdmaRegs.MINOR_PTR_UPDATE)));
    }

    boolean pollingEnabled() {
        if (traits.hasWptrPollCntl()) {
            return SdmaRegs.F32_POLL_ENABLE.isSet(regs.raw(reg(SdmaRegs.RB_WPTR_POLL_CNTL)));
        }
        return SdmaRegs.F32_WPTR_POLL_ENABLE_V6.isSet(regs.raw(reg(SdmaRegs.RB_CNTL)));
    }

    /** The ring's MC base address. Caller holds regs. */
    long ringBase() {
        return (Integer.toUnsignedLong(regs.raw(reg(SdmaRegs.RB_BASE))) << 8)
                | ((long) (regs.raw(reg(SdmaRegs.RB_BASE_HI)) & 0xFF_FFFF) << 40);
    }

    /** Ring size − 1 in bytes. Caller holds regs. */
    long ringMask() {
        return (4L << SdmaRegs.RB_SIZE.get(regs.raw(reg(SdmaRegs.RB_CNTL)))) - 1;
    }

    boolean rptrWriteback() {
        return SdmaRegs.RPTR_WRITEBACK_ENABLE.isSet(regs.read(reg(SdmaRegs.RB_CNTL)));
    }

    long rptrWritebackAddress() {
        return shadowAddress(SdmaRegs.RB_RPTR_ADDR_LO, SdmaRegs.RB_RPTR_ADDR_HI);
    }

    long wptrPollAddress() {
        return shadowAddress(SdmaRegs.RB_WPTR_POLL_ADDR_LO, SdmaRegs.RB_WPTR_POLL_ADDR_HI);
    }

    private long shadowAddress(int lo, int hi) {
        return (Integer.toUnsignedLong(regs.read(reg(lo))) & ~3L) | ((long) regs.read(reg(hi)) << 32);
    }

    /** Caller holds regs. */
    void updateWptr(long value, String how) {
        if (how.startsWith("RB_WPTR") && minorPtrUpdate()) {
            wptr = value; // a pointer reset during setup, not a submission
            return;
        }
        if (strict && (value / 4) % traits.alignDwords() != 0 && value != wptr) {
            violation("wptr alignment", String.format("%s = 0x%x bytes is not a multiple of %d dwords",
                    how, value, traits.alignDwords()));
            errors.stop(SdmaError.UNALIGNED_WPTR, String.format("wptr 0x%x", value));
        }
        wptr = value;
        regs.notifyAll();
    }

    /** A 64-bit doorbell store that the routing matched to this queue. */
    void doorbell(long value) {
        synchronized (regs) {
            // amdgpu's v4 resume rings the doorbell once before RB_ENABLE (set_wptr at step h):
            // only new work for a halted F32 is flagged
            if (strict && halted() && value != wptr) {
                violation("doorbell to a halted engine", String.format("wptr 0x%x while F32_CNTL.HALT = 1", value));
            }
            int db = regs.raw(reg(SdmaRegs.DOORBELL));
            regs.setRaw(reg(SdmaRegs.DOORBELL), SdmaRegs.DOORBELL_CAPTURED.set(db, 1));
            updateWptr(value, "doorbell");
        }
    }

    /** The BAR2 byte offset this queue's doorbell listens on, or -1 when DOORBELL.ENABLE = 0. */
    long doorbellOffset() {
        int db = regs.read(reg(SdmaRegs.DOORBELL));
        if (!SdmaRegs.DOORBELL_ENABLE.isSet(db)) {
            return -1;
        }
        return regs.read(reg(SdmaRegs.DOORBELL_OFFSET)) & SdmaRegs.DOORBELL_OFFSET_FIELD.mask();
    }

    boolean trapEnabled() {
        return SdmaRegs.TRAP_ENABLE.isSet(regs.read(reg(SdmaRegs.CNTL)));
    }

    boolean ibEnabled() {
        return SdmaRegs.IB_ENABLE.isSet(regs.read(reg(SdmaRegs.IB_CNTL)));
    }

    void violation(String rule, String detail) {
        violations.accept(new StrictViolation(name, rule, detail));
    }
}
