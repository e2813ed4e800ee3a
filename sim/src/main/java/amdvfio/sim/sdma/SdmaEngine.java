package amdvfio.sim.sdma;

import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.ih.InterruptHandler;
import amdvfio.sim.ih.IvEntry;
import amdvfio.sim.regs.RegisterFile;
import amdvfio.sim.regs.SdmaRegs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One SDMA instance's GFX queue (queue 0), executed by its own thread.
 *
 * <p>Ring: {@code base = RB_BASE_HI << 40 | RB_BASE << 8}, {@code size = 4 << RB_SIZE} bytes;
 * rptr and wptr are 64-bit monotonic byte counts, the ring offset is {@code ptr & (size - 1)}
 * (spec §9.2–§9.3). Work arrives by a 64-bit doorbell store of the wptr (spec §3.5), by a
 * RB_WPTR(_HI) write while MINOR_PTR_UPDATE = 0, or — when F32 wptr polling is enabled — by
 * polling the wptr shadow at RB_WPTR_POLL_ADDR. It runs while F32_CNTL.HALT = 0 and
 * RB_CNTL.RB_ENABLE = 1; after each burst the rptr is written back to RB_RPTR_ADDR when
 * RPTR_WRITEBACK_ENABLE.
 *
 * <p>Threading and locking: all queue state is guarded by the {@link RegisterFile}'s monitor,
 * the device's one register lock; the engine thread waits on it (WAITING when idle, TIMED_WAITING
 * when F32 polling is on) and never holds it while it touches memory or posts an interrupt.
 * {@code rptr} is written only by the engine thread while it runs.
 */
public final class SdmaEngine {

    private final int instance;
    private final String name;
    private final SdmaTraits traits;
    private final RegisterFile regs;
    private final int seg0;
    private final int f32Cntl;
    private final Gmc gmc;
    private final InterruptHandler ih;
    private final int clientId;
    private final boolean strict;
    private final long pollNanos;
    private final Consumer<StrictViolation> violations;
    private final BooleanSupplier present;
    private final LongSupplier gpuClock;
    private final String threadName;

    // guarded by regs
    private volatile long rptr;
    private volatile long wptr;
    private volatile long stalledAtWptr = -1;
    private SdmaError error = SdmaError.NONE;
    private String errorDetail = "";
    private boolean hung;
    private boolean running;
    private Thread thread;

    private volatile long packets;
    private long timestampOffset;
    private final int[] dw = new int[8];
    private final RingReader reader;

    public SdmaEngine(int instance, SdmaTraits traits, RegisterFile regs, int seg0Base, int hypBase, Gmc gmc,
                      InterruptHandler ih, int clientId, boolean strict, long pollNanos,
                      Consumer<StrictViolation> violations, BooleanSupplier present, LongSupplier gpuClock,
                      String deviceName) {
        this.instance = instance;
        this.name = "SDMA" + instance;
        this.traits = traits;
        this.regs = regs;
        this.seg0 = seg0Base;
        this.f32Cntl = traits.f32CntlInHyp() ? hypBase + SdmaRegs.F32_CNTL_V6
                : seg0Base + SdmaRegs.F32_CNTL_V4_V5;
        this.gmc = gmc;
        this.ih = ih;
        this.clientId = clientId;
        this.strict = strict;
        this.pollNanos = pollNanos;
        this.violations = violations;
        this.present = present;
        this.gpuClock = gpuClock;
        this.threadName = "amdvfio-sim-" + name.toLowerCase() + "@" + deviceName;
        this.reader = new RingReader(gmc, name);
        installHooks();
        resetRegisters();
    }

    public int instance() {
        return instance;
    }

    /** Dword index of a segment-0 register of this instance. */
    public int reg(int offset) {
        return seg0 + offset;
    }

    public int f32CntlDword() {
        return f32Cntl;
    }

    // ------------------------------------------------------------------ registers

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
                boolean idle = error == SdmaError.NONE && !hung && (rptr == wptr || !runnable());
                return idle ? SdmaRegs.STATUS_IDLE.mask() : 0;
            }
        });
        regs.hook(f32Cntl, (value, old) -> {
            if (SdmaRegs.HALT.isSet(value) && !SdmaRegs.HALT.isSet(old)) {
                // halting resets the F32: a stopped queue can be re-initialised (amdgpu's recovery path)
                error = SdmaError.NONE;
                errorDetail = "";
                hung = false;
                stalledAtWptr = -1;
            }
            regs.notifyAll();
        });
        regs.hook(reg(SdmaRegs.RB_CNTL), (value, old) -> regs.notifyAll());
        regs.hook(reg(SdmaRegs.RB_WPTR_POLL_CNTL), (value, old) -> regs.notifyAll());
    }

    /** Register reset values: everything 0 except F32_CNTL.HALT = 1 (the F32 waits for its firmware to be started). */
    public void resetRegisters() {
        synchronized (regs) {
            regs.setRaw(f32Cntl, SdmaRegs.HALT.mask());
            rptr = 0;
            wptr = 0;
            stalledAtWptr = -1;
            error = SdmaError.NONE;
            errorDetail = "";
            hung = false;
            timestampOffset = 0;
            regs.notifyAll();
        }
    }

    private boolean halted() {
        return SdmaRegs.HALT.isSet(regs.raw(f32Cntl));
    }

    private boolean ringEnabled() {
        return SdmaRegs.RB_ENABLE.isSet(regs.raw(reg(SdmaRegs.RB_CNTL)));
    }

    private boolean minorPtrUpdate() {
        return SdmaRegs.MINOR_PTR_ENABLE.isSet(regs.raw(reg(SdmaRegs.MINOR_PTR_UPDATE)));
    }

    private boolean pollingEnabled() {
        if (traits.hasWptrPollCntl()) {
            return SdmaRegs.F32_POLL_ENABLE.isSet(regs.raw(reg(SdmaRegs.RB_WPTR_POLL_CNTL)));
        }
        return SdmaRegs.F32_WPTR_POLL_ENABLE_V6.isSet(regs.raw(reg(SdmaRegs.RB_CNTL)));
    }

    private boolean runnable() {
        return running && present.getAsBoolean() && !halted() && ringEnabled() && error == SdmaError.NONE && !hung;
    }

    /** Caller holds regs. */
    private void updateWptr(long value, String how) {
        if (how.startsWith("RB_WPTR") && minorPtrUpdate()) {
            wptr = value; // a pointer reset during setup, not a submission
            return;
        }
        if (strict && (value / 4) % traits.alignDwords() != 0 && value != wptr) {
            violation("wptr alignment", String.format("%s = 0x%x bytes is not a multiple of %d dwords",
                    how, value, traits.alignDwords()));
            stop(SdmaError.UNALIGNED_WPTR, String.format("wptr 0x%x", value));
        }
        wptr = value;
        regs.notifyAll();
    }

    /** A 64-bit doorbell store that the routing matched to this engine. */
    public void doorbell(long value) {
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

    /** The BAR2 byte offset this engine's doorbell listens on, or -1 when DOORBELL.ENABLE = 0. */
    public long doorbellOffset() {
        int db = regs.read(reg(SdmaRegs.DOORBELL));
        if (!SdmaRegs.DOORBELL_ENABLE.isSet(db)) {
            return -1;
        }
        return regs.read(reg(SdmaRegs.DOORBELL_OFFSET)) & SdmaRegs.DOORBELL_OFFSET_FIELD.mask();
    }

    private void violation(String rule, String detail) {
        violations.accept(new StrictViolation(name, rule, detail));
    }

    /** Caller holds regs. */
    private void stop(SdmaError why, String detail) {
        if (error == SdmaError.NONE) {
            error = why;
            errorDetail = detail;
        }
    }

    private void stopLocked(SdmaError why, String detail) {
        synchronized (regs) {
            stop(why, detail);
        }
    }

    // ------------------------------------------------------------------ lifecycle and fault injection

    public void start() {
        synchronized (regs) {
            if (running) {
                return;
            }
            running = true;
            thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::loop);
            thread.start();
        }
    }

    /** Stops the thread and waits for it (bounded); idempotent. */
    public void stop() {
        Thread t;
        synchronized (regs) {
            running = false;
            t = thread;
            thread = null;
            regs.notifyAll();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Thread thread() {
        synchronized (regs) {
            return thread;
        }
    }

    /** Fault injection: the engine stops making progress (the device still answers). */
    public void hang(boolean hang) {
        synchronized (regs) {
            hung = hang;
            regs.notifyAll();
        }
    }

    /** Wakes the thread, e.g. after the device went away. */
    public void wake() {
        synchronized (regs) {
            regs.notifyAll();
        }
    }

    public EngineState state() {
        synchronized (regs) {
            return new EngineState(instance, halted(), ringEnabled(), hung, error, rptr, wptr, packets, errorDetail);
        }
    }

    // ------------------------------------------------------------------ execution

    private void loop() {
        while (true) {
            long target;
            synchronized (regs) {
                while (running && !(runnable() && wptr != rptr && wptr != stalledAtWptr)) {
                    boolean poll = running && runnable() && pollingEnabled();
                    try {
                        if (poll) {
                            regs.wait(Math.max(1, pollNanos / 1_000_000), (int) (pollNanos % 1_000_000));
                        } else {
                            regs.wait();
                        }
                    } catch (InterruptedException e) {
                        if (!running) {
                            return;
                        }
                    }
                    if (poll && running && runnable()) {
                        break; // read the shadow outside the lock
                    }
                }
                if (!running) {
                    return;
                }
                target = wptr;
            }
            if (pollingEnabled()) {
                pollShadow();
            }
            if (target != rptr || wptr != rptr) {
                burst();
            }
        }
    }

    private void pollShadow() {
        long addr = shadowAddress(SdmaRegs.RB_WPTR_POLL_ADDR_LO, SdmaRegs.RB_WPTR_POLL_ADDR_HI);
        gmc.beginAccess();
        try {
            long shadow = gmc.readLong(addr, name);
            synchronized (regs) {
                if (shadow != wptr && runnable()) {
                    updateWptr(shadow, "wptr poll");
                }
            }
        } catch (GpuFaultException e) {
            gmc.endAccess();
            pageFault(e.fault());
            return;
        }
        gmc.endAccess();
    }

    private long shadowAddress(int lo, int hi) {
        return (Integer.toUnsignedLong(regs.read(reg(lo))) & ~3L) | ((long) regs.read(reg(hi)) << 32);
    }

    private void burst() {
        long base;
        long mask;
        synchronized (regs) {
            int cntl = regs.raw(reg(SdmaRegs.RB_CNTL));
            base = (Integer.toUnsignedLong(regs.raw(reg(SdmaRegs.RB_BASE))) << 8)
                    | ((long) (regs.raw(reg(SdmaRegs.RB_BASE_HI)) & 0xFF_FFFF) << 40);
            mask = (4L << SdmaRegs.RB_SIZE.get(cntl)) - 1;
        }
        reader.reset();
        int n = 0;
        GpuFaultException fault = null;
        // Access to host memory is held across packets and given up between two of them as soon
        // as a DMA unmap waits, so an unmap waits for one packet at most, never for the burst —
        // without paying a lock round trip per packet.
        gmc.beginAccess();
        try {
            while (true) {
                long w = wptr;
                long r = rptr;
                if (r == w || w == stalledAtWptr || !runnableUnlocked()) {
                    break;
                }
                long avail = (w - r) / 4;
                int len;
                if (gmc.unmapWaiting()) {
                    gmc.endAccess();
                    gmc.beginAccess(); // a queued writer goes first: readers block behind it
                }
                len = execute(dwIdx -> reader.ringDword(base, mask, r + dwIdx * 4), avail, false);
                if (len < 0) {
                    synchronized (regs) {
                        stalledAtWptr = w;
                    }
                    if (strict) {
                        violation("wptr inside a packet", String.format("rptr 0x%x wptr 0x%x", r, w));
                    }
                    break;
                }
                if (len == 0) {
                    break; // stopped with an error
                }
                rptr = r + len * 4L;
                packets++;
                if ((++n & 1023) == 0) {
                    writeBackRptr();
                }
            }
        } catch (GpuFaultException e) {
            fault = e;
        } finally {
            gmc.endAccess();
        }
        if (fault != null) {
            pageFault(fault.fault());
        }
        writeBackRptr();
    }

    private boolean runnableUnlocked() {
        synchronized (regs) {
            return runnable();
        }
    }

    private void writeBackRptr() {
        int cntl = regs.read(reg(SdmaRegs.RB_CNTL));
        if (!SdmaRegs.RPTR_WRITEBACK_ENABLE.isSet(cntl) || !present.getAsBoolean()) {
            return;
        }
        GpuFault fault = null;
        gmc.beginAccess();
        try {
            gmc.writeLong(shadowAddress(SdmaRegs.RB_RPTR_ADDR_LO, SdmaRegs.RB_RPTR_ADDR_HI), rptr, name);
        } catch (GpuFaultException e) {
            fault = e.fault();
        } finally {
            gmc.endAccess();
        }
        if (fault != null) {
            pageFault(fault);
        }
    }

    private void pageFault(GpuFault f) {
        stopLocked(SdmaError.PAGE_FAULT, f.toString());
        long a = f.address();
        // src_data as gmc_v9_0_process_interrupt decodes VM faults: [0] = addr >> 12,
        // [1] bits 3:0 = addr[47:44], bit 5 = write (AMDGPU_GMC9_FAULT_SOURCE_DATA_WRITE)
        int d1 = (int) ((a >>> 44) & 0xF) | (f.write() ? 0x20 : 0);
        ih.post(IvEntry.of(clientId, traits.pageFaultSrcId(), ringId(), gpuClock.getAsLong(), (int) (a >>> 12), d1));
    }

    private int ringId() {
        return traits.ringIdHasInstance() ? instance << 4 : 0;
    }

    @FunctionalInterface
    interface Fetch {
        int dword(long index) throws GpuFaultException;
    }

    /**
     * Executes the packet whose header is {@code f.dword(0)}, with {@code avail} dwords available.
     * Returns its length in dwords, -1 if it is not complete yet, 0 if the queue stopped.
     */
    private int execute(Fetch f, long avail, boolean inIb) throws GpuFaultException {
        int header = f.dword(0);
        int op = SdmaOpcodes.op(header);
        int len = length(header, op, f, avail);
        if (len < 0 || len > avail) {
            return len == -2 ? 0 : -1;
        }
        for (int i = 1; i < Math.min(len, dw.length); i++) {
            dw[i] = f.dword(i);
        }
        dw[0] = header;
        switch (op) {
            case SdmaOpcodes.NOP -> {
            }
            case SdmaOpcodes.WRITE -> {
                if (SdmaOpcodes.subOp(header) != SdmaOpcodes.SUBOP_WRITE_LINEAR) {
                    return unsupported("WRITE sub_op " + SdmaOpcodes.subOp(header));
                }
                writeLinear(SdmaPacket.WriteLinear.decode(dw), f);
            }
            case SdmaOpcodes.COPY -> {
                if (SdmaOpcodes.subOp(header) != SdmaOpcodes.SUBOP_COPY_LINEAR) {
                    return unsupported("COPY sub_op " + SdmaOpcodes.subOp(header));
                }
                SdmaPacket.CopyLinear p = SdmaPacket.CopyLinear.decode(traits, dw);
                if (strict && p.bytes() > traits.copyMaxBytes()) {
                    return error(SdmaError.COUNT_TOO_LARGE, String.format("COPY_LINEAR of 0x%x bytes > 0x%x",
                            p.bytes(), traits.copyMaxBytes()));
                }
                gmc.copy(p.src(), p.dst(), p.bytes(), name);
            }
            case SdmaOpcodes.CONST_FILL -> {
                SdmaPacket.ConstFill p = SdmaPacket.ConstFill.decode(traits, dw);
                if (strict && p.bytes() > traits.fillMaxBytes()) {
                    return error(SdmaError.COUNT_TOO_LARGE, String.format("CONST_FILL of 0x%x bytes > 0x%x",
                            p.bytes(), traits.fillMaxBytes()));
                }
                if (strict && p.fillSize() == 2 && ((p.dst() & 3) != 0 || (p.bytes() & 3) != 0)) {
                    return error(SdmaError.UNALIGNED_ADDRESS, String.format(
                            "dword CONST_FILL at 0x%x of 0x%x bytes", p.dst(), p.bytes()));
                }
                gmc.fill(p.dst(), p.pattern(), p.bytes(), name);
            }
            case SdmaOpcodes.FENCE -> {
                SdmaPacket.Fence p = SdmaPacket.Fence.decode(dw);
                if ((p.addr() & 3) != 0 && strict) {
                    return error(SdmaError.UNALIGNED_ADDRESS, String.format("FENCE address 0x%x", p.addr()));
                }
                gmc.writeInt(p.addr() & ~3L, p.data(), name);
            }
            case SdmaOpcodes.TRAP -> trap(SdmaPacket.Trap.decode(dw));
            case SdmaOpcodes.POLL_REGMEM -> {
                SdmaPacket.PollRegMem p = SdmaPacket.PollRegMem.decode(dw);
                if (p.subOp() != 0) {
                    return unsupported("POLL_REGMEM sub_op " + p.subOp());
                }
                if (!poll(p)) {
                    return 0;
                }
            }
            case SdmaOpcodes.TIMESTAMP -> {
                if (!timestamp(SdmaPacket.Timestamp.decode(dw))) {
                    return 0;
                }
            }
            case SdmaOpcodes.INDIRECT -> {
                if (inIb) {
                    return error(SdmaError.BAD_INDIRECT_BUFFER, "INDIRECT_BUFFER inside an IB");
                }
                if (!indirect(SdmaPacket.IndirectBuffer.decode(dw))) {
                    return 0;
                }
            }
            case SdmaOpcodes.SRBM_WRITE -> {
                SdmaPacket.SrbmWrite p = SdmaPacket.SrbmWrite.decode(dw);
                int m = p.writeMask();
                synchronized (regs) {
                    regs.write(p.register(), (regs.read(p.register()) & ~m) | (p.value() & m));
                }
                reader.reset();
            }
            case SdmaOpcodes.COND_EXE -> {
                SdmaPacket.CondExe p = SdmaPacket.CondExe.decode(dw);
                if (gmc.readInt(p.addr(), name) != p.reference()) {
                    // skip the next exec_count dwords as part of this packet
                    if (len + p.execCount() > avail) {
                        return -1;
                    }
                    return len + p.execCount();
                }
            }
            default -> {
                if (op == traits.dummyTrapOpcode() || (traits.hasGcrReq() && op == SdmaOpcodes.GCR_REQ)) {
                    break; // DUMMY_TRAP / cache requests: no state in the model
                }
                return unsupported("opcode " + op);
            }
        }
        return len;
    }

    /** Packet length in dwords; -2 for an opcode that stops the queue. */
    private int length(int header, int op, Fetch f, long avail) throws GpuFaultException {
        return switch (op) {
            case SdmaOpcodes.NOP -> 1 + SdmaPacket.Nop.countOf(header);
            case SdmaOpcodes.WRITE -> avail < 4 ? -1 : 4 + SdmaPacket.WriteLinear.countOf(f.dword(3)) + 1;
            case SdmaOpcodes.COPY -> 7;
            case SdmaOpcodes.CONST_FILL, SdmaOpcodes.COND_EXE -> 5;
            case SdmaOpcodes.FENCE -> 4;
            case SdmaOpcodes.TRAP -> 2;
            case SdmaOpcodes.POLL_REGMEM, SdmaOpcodes.INDIRECT -> 6;
            case SdmaOpcodes.TIMESTAMP, SdmaOpcodes.SRBM_WRITE -> 3;
            default -> {
                if (op == traits.dummyTrapOpcode()) {
                    yield 2;
                }
                if (traits.hasGcrReq() && op == SdmaOpcodes.GCR_REQ) {
                    yield 5;
                }
                boolean defined = op <= SdmaOpcodes.PRE_EXE && op != 3 || (traits.version().atLeast(SdmaVersion.V5_0)
                        && op == SdmaOpcodes.GPUVM_INV);
                stopLocked(defined ? SdmaError.UNSUPPORTED_PACKET : SdmaError.UNKNOWN_OPCODE,
                        String.format("opcode %d (header 0x%08x)", op, header));
                yield -2;
            }
        };
    }

    private int unsupported(String what) {
        return error(SdmaError.UNSUPPORTED_PACKET, what);
    }

    private int error(SdmaError e, String detail) {
        stopLocked(e, detail);
        return 0;
    }

    private void writeLinear(SdmaPacket.WriteLinear p, Fetch f) throws GpuFaultException {
        long dst = p.dst();
        int n = p.dataDwords();
        int i = 0;
        while (i < n) {
            Gmc.Run run = gmc.resolve(dst + i * 4L, (n - i) * 4L, true, name);
            MemorySegment s = run.segment();
            int k = (int) (s.byteSize() / 4);
            if (k == 0) {
                gmc.writeInt(dst + i * 4L, f.dword(4 + i), name);
                i++;
                continue;
            }
            for (int j = 0; j < k; j++) {
                s.set(ValueLayout.JAVA_INT_UNALIGNED, j * 4L, f.dword(4 + i + j));
            }
            if (run.host()) {
                gmc.paceHost(k * 4L);
            }
            i += k;
        }
    }

    private void trap(SdmaPacket.Trap p) {
        if (!SdmaRegs.TRAP_ENABLE.isSet(regs.read(reg(SdmaRegs.CNTL)))) {
            return; // traps need CNTL.TRAP_ENABLE (spec §4.4)
        }
        ih.post(IvEntry.of(clientId, traits.trapSrcId(), ringId(), gpuClock.getAsLong(), p.intContext()));
    }

    private boolean poll(SdmaPacket.PollRegMem p) throws GpuFaultException {
        if (p.hdpFlush() && !p.memory()) {
            // HDP flush: write the request register; the model's HDP has nothing buffered, so the
            // done register shows the requested bits at once (nbio *_hdp_flush, sdma_v*_ring_emit_hdp_flush)
            synchronized (regs) {
                regs.write(p.requestReg(), p.reference());
                int done = (int) p.address();
                regs.setRaw(done, regs.raw(done) | p.reference());
            }
        }
        long tries = p.retryCount() == SdmaPacket.PollRegMem.RETRY_FOREVER ? Long.MAX_VALUE : p.retryCount() + 1L;
        // interval is in units of 16 clocks (Mesa SDMA_POLL_INTERVAL_160_CLK = 0xa); never spin faster than 50 µs
        long park = Math.max(50_000, p.interval() * 16L);
        for (long t = 0; t < tries; t++) {
            int v = p.memory() ? gmc.readInt(p.address(), name) : regs.read((int) p.address());
            if (p.passes(v)) {
                return true;
            }
            if (!runnableUnlocked()) {
                return false;
            }
            int holds = gmc.suspendAccess(); // an unmap must not wait for a poll that may never pass
            try {
                LockSupport.parkNanos(park);
            } finally {
                gmc.resumeAccess(holds);
            }
        }
        return true; // retries exhausted: continue, as gem5 does (amdgpu always asks for 0xfff)
    }

    private boolean timestamp(SdmaPacket.Timestamp p) throws GpuFaultException {
        long now = gpuClock.getAsLong();
        switch (p.subOp()) {
            case SdmaOpcodes.SUBOP_TIMESTAMP_SET -> timestampOffset = p.value() - now;
            case SdmaOpcodes.SUBOP_TIMESTAMP_GET, SdmaOpcodes.SUBOP_TIMESTAMP_GET_GLOBAL -> {
                if ((p.value() & 7) != 0 && strict) {
                    error(SdmaError.UNALIGNED_ADDRESS, String.format("TIMESTAMP address 0x%x", p.value()));
                    return false;
                }
                long v = p.subOp() == SdmaOpcodes.SUBOP_TIMESTAMP_GET ? now + timestampOffset : now;
                gmc.writeLong(p.value() & ~7L, v, name);
            }
            default -> {
                unsupported("TIMESTAMP sub_op " + p.subOp());
                return false;
            }
        }
        return true;
    }

    private boolean indirect(SdmaPacket.IndirectBuffer p) throws GpuFaultException {
        if (!SdmaRegs.IB_ENABLE.isSet(regs.read(reg(SdmaRegs.IB_CNTL)))) {
            error(SdmaError.BAD_INDIRECT_BUFFER, "IB_CNTL.IB_ENABLE = 0");
            return false;
        }
        if (p.vmid() != 0) {
            error(SdmaError.BAD_INDIRECT_BUFFER, "IB vmid " + p.vmid() + " (only VMID 0 is modelled)");
            return false;
        }
        if ((p.base() & 31) != 0 && strict) {
            error(SdmaError.UNALIGNED_ADDRESS, String.format("IB base 0x%x", p.base()));
            return false;
        }
        long base = p.base() & (strict ? ~0L : ~31L);
        long pos = 0;
        while (pos < p.sizeDwords()) {
            if (!runnableUnlocked()) {
                return false;
            }
            long at = pos;
            int len = execute(i -> reader.linearDword(base + (at + i) * 4), p.sizeDwords() - pos, true);
            if (len < 0) {
                error(SdmaError.IB_OVERRUN, String.format("packet at IB dword %d runs past its %d dwords",
                        pos, p.sizeDwords()));
                return false;
            }
            if (len == 0) {
                return false;
            }
            pos += len;
            packets++;
        }
        return true;
    }
}
