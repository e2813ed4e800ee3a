package amdvfio.sim.sdma;

import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.regs.RegisterFile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    private static final VarHandle RPTR;

    static {
        try {
            RPTR = MethodHandles.lookup().findVarHandle(QueueRegisters.class, "rptr", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final SdmaTraits traits;
    private final RegisterFile regs;
    private final SdmaRegs r;
    private final int[] bases;
    private final int f32Cntl;
    private final boolean strict;
    private final Consumer<StrictViolation> violations;
    private final EngineErrorState errors;
    private final BooleanSupplier runnable;
    private final BooleanSupplier inPacket;
    private final Runnable changed;

    volatile long rptr;
    volatile long wptr;
    /** The wptr at which the last packet was found incomplete: the engine waits for a newer one. */
    volatile long stalledAtWptr = -1;

    QueueRegisters(String name, SdmaTraits traits, RegisterFile regs, SdmaRegs r, int[] bases, boolean strict,
                   Consumer<StrictViolation> violations, EngineErrorState errors, BooleanSupplier runnable,
                   BooleanSupplier inPacket, Runnable changed) {
        this.name = name;
        this.traits = traits;
        this.regs = regs;
        this.r = r;
        this.bases = bases.clone();
        this.f32Cntl = r.f32Cntl.address(bases);
        this.strict = strict;
        this.violations = violations;
        this.errors = errors;
        this.runnable = runnable;
        this.inPacket = inPacket;
        this.changed = changed;
        installHooks();
    }

    /** Absolute dword of this instance's register {@code reg}. */
    int at(Reg reg) {
        return reg.address(bases);
    }

    int f32Cntl() {
        return f32Cntl;
    }

    private void installHooks() {
        regs.hook(at(r.rbRptr), new RegisterFile.Hook() {
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
        regs.hook(at(r.rbRptrHi), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) (rptr >>> 32);
            }

            @Override
            public void written(int value, int old) {
                rptr = ((long) value << 32) | (rptr & 0xFFFF_FFFFL);
            }
        });
        regs.hook(at(r.rbWptr), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) wptr;
            }

            @Override
            public void written(int value, int old) {
                updateWptr((wptr & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value), "RB_WPTR");
            }
        });
        regs.hook(at(r.rbWptrHi), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return (int) (wptr >>> 32);
            }

            @Override
            public void written(int value, int old) {
                updateWptr(((long) value << 32) | (wptr & 0xFFFF_FFFFL), "RB_WPTR_HI");
            }
        });
        regs.hook(at(r.statusReg), new RegisterFile.ReadOnly() {
            @Override
            public int value() {
                // a halt takes effect at the end of the packet in flight: busy until then
                boolean idle = errors.ok() && !inPacket.getAsBoolean() && (rptr == wptr || !runnable.getAsBoolean());
                return idle ? r.statusIdle.mask() : 0;
            }
        });
        regs.hook(f32Cntl, (value, old) -> {
            if (r.halt.isSet(value)) {
                // HALT holds the F32 in reset: a stopped queue can be re-initialised (amdgpu's
                // recovery path), also when the F32 was already halted as the error arrived
                errors.clear();
                stalledAtWptr = -1;
            }
            changed.run();
        });
        regs.hook(at(r.rbCntl), (value, old) -> changed.run());
        if (r.rbWptrPollCntl != null) {
            regs.hook(at(r.rbWptrPollCntl), (value, old) -> changed.run());
        }
    }

    /**
     * Moves the rptr past a packet the engine finished, unless the F32 was reset meanwhile (the
     * packet was aborted) or the driver wrote RB_RPTR; a reset that lands between the two checks
     * is undone with a second compare-and-set. Engine thread.
     */
    boolean advanceRptr(long from, long to) {
        if (!errors.current() || !RPTR.compareAndSet(this, from, to)) {
            return false;
        }
        if (!errors.current()) {
            RPTR.compareAndSet(this, to, from);
            return false;
        }
        return true;
    }

    /** Reset values: everything 0 except F32_CNTL.HALT = 1 (the F32 waits for its firmware to be started). Caller holds regs. */
    void reset() {
        // 6.0 also holds F32 thread 1 in reset until the driver clears TH1_RESET (sdma_v6_0_gfx_resume)
        regs.setRaw(f32Cntl, r.halt.mask() | (r.th1Reset == null ? 0 : r.th1Reset.mask()));
        rptr = 0;
        wptr = 0;
        stalledAtWptr = -1;
    }

    /** HALT, or on 6.0 TH1_RESET: either keeps the F32 from fetching. Caller holds regs. */
    boolean halted() {
        int v = regs.raw(f32Cntl);
        return r.halt.isSet(v) || (r.th1Reset != null && r.th1Reset.isSet(v));
    }

    boolean ringEnabled() {
        return r.rbEnable.isSet(regs.raw(at(r.rbCntl)));
    }

    private boolean minorPtrUpdate() {
        return r.minorPtrEnable.isSet(regs.raw(at(r.minorPtrUpdate)));
    }

    boolean pollingEnabled() {
        if (r.rbWptrPollCntl != null) {
            return r.f32PollEnable.isSet(regs.raw(at(r.rbWptrPollCntl)));
        }
        return r.f32WptrPollEnable.isSet(regs.raw(at(r.rbCntl)));
    }

    /** The ring's MC base address. Caller holds regs. */
    long ringBase() {
        return (Integer.toUnsignedLong(regs.raw(at(r.rbBase))) << 8)
                | ((long) r.rbBaseHiAddr.get(regs.raw(at(r.rbBaseHi))) << 40);
    }

    /** Ring size − 1 in bytes. Caller holds regs. */
    long ringMask() {
        return (4L << r.rbSize.get(regs.raw(at(r.rbCntl)))) - 1;
    }

    boolean rptrWriteback() {
        return r.rptrWritebackEnable.isSet(regs.read(at(r.rbCntl)));
    }

    long rptrWritebackAddress() {
        return shadowAddress(r.rbRptrAddrLo, r.rbRptrAddrHi);
    }

    long wptrPollAddress() {
        return shadowAddress(r.rbWptrPollAddrLo, r.rbWptrPollAddrHi);
    }

    private long shadowAddress(Reg lo, Reg hi) {
        return (Integer.toUnsignedLong(regs.read(at(lo))) & ~3L) | ((long) regs.read(at(hi)) << 32);
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
            int db = regs.raw(at(r.doorbell));
            regs.setRaw(at(r.doorbell), r.doorbellCaptured.set(db, 1));
            updateWptr(value, "doorbell");
        }
    }

    /** The BAR2 byte offset this queue's doorbell listens on, or -1 when DOORBELL.ENABLE = 0. */
    long doorbellOffset() {
        int db = regs.read(at(r.doorbell));
        if (!r.doorbellEnable.isSet(db)) {
            return -1;
        }
        return regs.read(at(r.doorbellOffset)) & r.doorbellOffsetField.mask();
    }

    boolean trapEnabled() {
        return r.trapEnable.isSet(regs.read(at(r.cntl)));
    }

    boolean ibEnabled() {
        return r.ibEnable.isSet(regs.read(at(r.ibCntl)));
    }

    void violation(String rule, String detail) {
        violations.accept(new StrictViolation(name, rule, detail));
    }
}
