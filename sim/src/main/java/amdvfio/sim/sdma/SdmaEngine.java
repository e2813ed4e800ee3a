package amdvfio.sim.sdma;

import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.ih.InterruptHandler;
import amdvfio.sim.regs.RegisterFile;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One SDMA instance's GFX queue (queue 0), executed by its own thread: the lifecycle of that
 * thread and its loop — wait for work, fetch and run a burst of packets, write the rptr back.
 * The parts: {@link QueueRegisters} (registers, pointers, how work arrives), {@link RingReader}
 * (ring fetch), {@link PacketDecoder} (framing), {@link NopRun} (runs of NOPs retired at once),
 * {@link PacketExecutor} (what packets do),
 * {@link EngineMemory} (memory access and page faults) and {@link EngineErrorState} (why it stopped).
 *
 * <p>It runs while F32_CNTL.HALT = 0 (and on 6.0 F32_CNTL.TH1_RESET = 0) and RB_CNTL.RB_ENABLE = 1; after each burst the rptr is
 * written back to RB_RPTR_ADDR when RPTR_WRITEBACK_ENABLE.
 *
 * <p>Threading and locking: all queue state is guarded by the {@link RegisterFile}'s monitor,
 * the device's one register lock; the engine thread waits on it (WAITING when idle, TIMED_WAITING
 * when F32 polling is on) and never holds it while it touches memory or posts an interrupt.
 */
public final class SdmaEngine {

    /** Within a long burst the rptr is written back every this many packets, not only at its end. */
    private static final int RPTR_WRITEBACK_PACKETS = 1024;

    private final int instance;
    private final String name;
    private final RegisterFile regs;
    private final long pollNanos;
    private final BooleanSupplier present;
    private final String threadName;

    private final EngineErrorState errors;
    private final QueueRegisters queue;
    private final EngineMemory memory;
    private final RingReader reader;
    private final PacketDecoder decoder;
    private final PacketExecutor executor;
    private final PacketFrame frame = new PacketFrame();
    private final NopRun nops;
    private final boolean strict;

    // guarded by regs
    private boolean running;
    /** The engine's current thread (written under regs): a thread that is no longer it stops at its next check. */
    private volatile Thread thread;
    /**
     * {@link #runnable()} but for presence, recomputed under the lock whenever one of its inputs
     * changes, so the engine checks it between packets without taking the register lock.
     */
    private volatile boolean go;

    private volatile long packets;
    /** The engine thread is working (a burst or a wptr poll), not waiting: STATUS_REG.IDLE reads 0. */
    private volatile boolean working;
    /** Packets of the burst in progress, published to {@link #packets} when it ends (one volatile store per burst). */
    private long burstPackets;

    public SdmaEngine(int instance, SdmaTraits traits, RegisterFile regs, SdmaRegs r, int[] bases, Gmc gmc,
                      InterruptHandler ih, int clientId, boolean strict, long pollNanos,
                      Consumer<StrictViolation> violations, BooleanSupplier present, LongSupplier gpuClock,
                      String deviceName) {
        this.instance = instance;
        this.name = "SDMA" + instance;
        this.regs = regs;
        this.strict = strict;
        this.pollNanos = pollNanos;
        this.present = present;
        this.threadName = "amdvfio-sim-" + name.toLowerCase() + "@" + deviceName;
        this.errors = new EngineErrorState(regs, this::changed);
        this.queue = new QueueRegisters(name, traits, regs, r, bases, strict, violations, errors,
                this::runnable, () -> working, this::changed);
        int ringId = traits.ip().trapRingId(instance);
        this.memory = new EngineMemory(gmc, name, ih,
                new EngineMemory.IvSource(clientId, traits.pageFaultSrcId(), traits.trapSrcId(), ringId, gpuClock));
        this.reader = new RingReader(gmc, name);
        this.decoder = new PacketDecoder(traits, errors);
        this.nops = new NopRun(decoder);
        this.executor = new PacketExecutor(traits, strict, regs, queue, memory, errors, decoder, reader,
                this::stillCurrent, this::changed, gpuClock);
        resetRegisters();
    }

    public int instance() {
        return instance;
    }

    /** Absolute dword index of this instance's register {@code reg}. */
    public int reg(Reg reg) {
        return queue.at(reg);
    }

    public int f32CntlDword() {
        return queue.f32Cntl();
    }

    /** Register reset values: everything 0 except F32_CNTL.HALT = 1 (the F32 waits for its firmware to be started). */
    public void resetRegisters() {
        synchronized (regs) {
            queue.reset();
            errors.clear();
            executor.reset();
            changed();
        }
    }

    /** A 64-bit doorbell store that the routing matched to this engine. */
    public void doorbell(long value) {
        queue.doorbell(value);
    }

    /** The BAR2 byte offset this engine's doorbell listens on, or -1 when DOORBELL.ENABLE = 0. */
    public long doorbellOffset() {
        return queue.doorbellOffset();
    }

    /** Caller holds regs. */
    private boolean runnable() {
        return running && present.getAsBoolean() && !queue.halted() && queue.ringEnabled() && errors.ok();
    }

    /**
     * Between packets, without the lock: the volatile summary, presence, and still being the
     * engine's thread (a thread halted by {@link #halt()} must not run on beside its successor).
     */
    private boolean stillRunnable() {
        return go && present.getAsBoolean() && thread == Thread.currentThread();
    }

    /**
     * Inside a long packet (an IB, a poll): still runnable and still the F32 context the packet
     * started in — after a halt and re-program, an IB must not go on running in the new one.
     */
    private boolean stillCurrent() {
        return stillRunnable() && errors.current();
    }

    /** An input of {@link #runnable()} may have changed: recompute the summary and wake the thread. Caller holds regs. */
    private void changed() {
        go = running && !queue.halted() && queue.ringEnabled() && errors.ok();
        regs.notifyAll();
    }

    // ------------------------------------------------------------------ lifecycle and fault injection

    /** Starts the engine thread, or a new one if the last one ended without {@link #stop()}. */
    public void start() {
        synchronized (regs) {
            if (running && thread != null && thread.isAlive()) {
                return;
            }
            running = true;
            changed();
            thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::loop);
            thread.start();
        }
    }

    /**
     * Stops the engine without waiting for its thread: it starts no packet from now on and its
     * thread ends by itself. Whether a packet in flight still touches memory is for the caller
     * to settle (the device's release waits for it: {@code SimDmaSpace.release}). Returns the
     * thread to join, or null. Idempotent.
     */
    public Thread halt() {
        Thread t;
        synchronized (regs) {
            running = false;
            t = thread;
            thread = null;
            changed(); // wakes it if it waits for work; a POLL_REGMEM park is short and re-checks
        }
        return t;
    }

    /** Stops the thread and waits for it (bounded); idempotent. */
    public void stop() {
        join(halt());
    }

    /** Waits (bounded) for a thread {@link #halt()} returned. */
    public static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            errors.hang(hang);
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
            return new EngineState(instance, queue.halted(), queue.ringEnabled(), errors.hung(), errors.error(),
                    queue.rptr, queue.wptr, packets, errors.detail());
        }
    }

    // ------------------------------------------------------------------ execution

    private void loop() {
        while (awaitWork()) {
            try {
                if (queue.pollingEnabled()) {
                    pollShadow();
                }
                if (queue.wptr != queue.rptr) {
                    burst();
                }
            } catch (RuntimeException | Error e) {
                // a model bug must not kill the engine: stop the queue where it is, say why, and
                // stay restartable (a HALT edge clears it like any other error)
                errors.fail(SdmaError.MODEL_ERROR, e.toString());
            } finally {
                working = false;
            }
        }
    }

    /** Caller holds regs: the engine runs and the calling thread is its thread (not one {@link #halt()} let go). */
    private boolean mine() {
        return running && thread == Thread.currentThread();
    }

    /** Blocks until there is work (or a wptr poll is due); false once the engine is stopped. */
    private boolean awaitWork() {
        synchronized (regs) {
            while (mine() && !(runnable() && queue.wptr != queue.rptr && queue.wptr != queue.stalledAtWptr)) {
                boolean poll = runnable() && queue.pollingEnabled();
                try {
                    if (poll) {
                        regs.wait(Math.max(1, pollNanos / 1_000_000), (int) (pollNanos % 1_000_000));
                    } else {
                        regs.wait();
                    }
                } catch (InterruptedException e) {
                    if (!mine()) {
                        return false;
                    }
                }
                if (poll && running && runnable()) {
                    break; // read the shadow outside the lock
                }
            }
            boolean mine = mine();
            if (mine) {
                errors.arm();
            }
            working = mine;
            return mine;
        }
    }

    private void pollShadow() {
        long shadow;
        memory.beginAccess();
        try {
            shadow = memory.readLong(queue.wptrPollAddress());
        } catch (GpuFaultException e) {
            memory.endAccess();
            memory.pageFault(e.fault(), errors);
            return;
        }
        memory.endAccess();
        synchronized (regs) {
            if (shadow != queue.wptr && runnable()) {
                queue.updateWptr(shadow, "wptr poll");
            }
        }
    }

    private void burst() {
        long base;
        long mask;
        synchronized (regs) {
            base = queue.ringBase();
            mask = queue.ringMask();
        }
        reader.reset();
        GpuFault fault = null;
        // Access to host memory is held across packets and given up between two of them as soon
        // as a DMA unmap waits, so an unmap waits for one packet at most, never for the burst —
        // without paying a lock round trip per packet.
        memory.beginAccess();
        try {
            runPackets(base, mask);
        } catch (GpuFaultException e) {
            fault = e.fault();
        } finally {
            memory.endAccess();
            packets += burstPackets + executor.takeIbPackets();
            burstPackets = 0;
        }
        if (fault != null) {
            memory.pageFault(fault, errors);
        }
        writeBackRptr();
    }

    private void runPackets(long base, long mask) throws GpuFaultException {
        int sinceWriteBack = 0;
        while (true) {
            memory.yieldToUnmap(); // before the check: a release that went through meanwhile stops us
            long w = queue.wptr;
            long r = queue.rptr;
            if (r == w || w == queue.stalledAtWptr || !stillRunnable()) {
                return;
            }
            long avail = (w - r) / 4;
            reader.atRing(base, mask, r);
            int done = nops.scan(reader, avail) ? retireNops(r) : runPacket(r, w, avail);
            if (done == 0) {
                return;
            }
            burstPackets += done;
            sinceWriteBack += done;
            if (sinceWriteBack >= RPTR_WRITEBACK_PACKETS) {
                sinceWriteBack = 0;
                writeBackRptr();
            }
        }
    }

    /** Retires the run of NOPs {@link #nops} found at {@code r}; the packets it took, or 0 to end the burst. */
    private int retireNops(long r) {
        return queue.advanceRptr(r, r + nops.dwords() * 4L) ? nops.packets() : 0;
    }

    /** Frames and executes the one packet at {@code r}; 1, or 0 to end the burst. */
    private int runPacket(long r, long w, long avail) throws GpuFaultException {
        PacketOutcome o = decoder.frame(reader, avail, frame);
        if (o == PacketOutcome.EXECUTED) {
            o = executor.execute(frame, reader, avail, false);
        }
        if (o == PacketOutcome.INCOMPLETE) {
            stall(r, w);
            return 0;
        }
        if (o == PacketOutcome.STOPPED || !queue.advanceRptr(r, r + frame.length * 4L)) {
            return 0; // stopped, aborted by an F32 reset, or the driver moved the rptr
        }
        return 1;
    }

    /** The wptr ends inside the packet at {@code r}: wait for a newer wptr. */
    private void stall(long r, long w) {
        synchronized (regs) {
            if (!errors.current()) {
                return; // an F32 reset re-programmed the queue while this packet was framed
            }
            queue.stalledAtWptr = w;
        }
        if (strict) {
            queue.violation("wptr inside a packet", String.format("rptr 0x%x wptr 0x%x", r, w));
        }
    }

    private void writeBackRptr() {
        if (queue.rptrWriteback() && present.getAsBoolean() && errors.current()) {
            memory.writeBack(queue.rptrWritebackAddress(), queue.rptr, errors);
        }
    }
}
