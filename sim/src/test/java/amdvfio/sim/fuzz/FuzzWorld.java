package amdvfio.sim.fuzz;

import amdvfio.os.Mapping;
import amdvfio.sim.RawGpu;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.Pte;
import amdvfio.sim.sdma.EngineState;
import amdvfio.sim.sdma.SdmaError;
import amdvfio.vfio.DmaMapping;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * The stage of the SDMA packet fuzzer: a card brought up by raw registers (as {@link RawGpu}),
 * plus what must never be written — host memory that was DMA-mapped, reached by GART PTEs, then
 * unmapped (the "orphan"), and a second card's VRAM on the same bus. One case = optional raw
 * register writes, a ring of random packets, a wait until the queue settles, the invariant checks,
 * then amdgpu's recovery (halt, re-program, unhalt) and a known-good write that must land.
 */
final class FuzzWorld implements AutoCloseable {

    static final PciAddress TARGET = PciAddress.parse("0000:0a:00.0");
    static final PciAddress BYSTANDER = PciAddress.parse("0000:0b:00.0");
    static final long VRAM = 64L << 20;
    static final long CANARY_BYTES = 1 << 20;
    static final byte ORPHAN_FILL = (byte) 0xA5;
    static final byte BYSTANDER_FILL = (byte) 0x3C;
    /** How long a case may run before it is halted anyway (an endless poll, a stalled packet). */
    static final long SETTLE_MILLIS = 20;

    final SimProfile profile;
    final boolean strict;
    private final SimBus bus = new SimBus();
    final SimControl card;
    private final SimControl bystander;
    final RawGpu gpu;
    private final Mapping orphan;
    private final long orphanIova;
    final Map<SdmaError, Integer> outcomes = new EnumMap<>(SdmaError.class);
    int unsettled;

    FuzzWorld(SimProfile profile, boolean strict) {
        this.profile = profile;
        this.strict = strict;
        SimConfig config = SimConfig.warm().withVram(VRAM).withStrict(strict);
        card = bus.plug(TARGET, profile, config);
        bystander = bus.plug(BYSTANDER, profile, config);
        bystander.vram().asSlice(0, CANARY_BYTES).fill(BYSTANDER_FILL);
        gpu = new RawGpu(bus.open(TARGET), profile);
        orphan = Mapping.anonymous((long) PacketGenerator.ORPHAN_PAGES * 4096);
        DmaMapping m = gpu.dev.dma().map(orphan.segment());
        orphanIova = m.iova();
        gpu.dev.dma().unmap(m);
        orphan.segment().fill(ORPHAN_FILL);
        gpu.busMaster();
        restore();
    }

    /** Runs one case; an AssertionError names the seed. */
    void runCase(long seed) {
        Random r = new Random(seed);
        try {
            if (r.nextInt(8) == 0) {
                rawRegisterWrites(r);
            }
            PacketGenerator g = new PacketGenerator(r, profile, card.fbBase(), VRAM);
            int[] ring = g.ring(1 + r.nextInt(12));
            for (int i = 0; i < g.ibs().size(); i++) {
                int[] ib = g.ibs().get(i);
                MemorySegment.copy(ib, 0, gpu.mem(), ValueLayout.JAVA_INT_UNALIGNED, PacketGenerator.ibOffset(i), ib.length);
            }
            gpu.emit(ring);
            submit(r);
            settle();
            checkInvariants();
            recoverAndProve(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(String.format("fuzz case failed: %s, strict=%s, seed=0x%x "
                    + "(replay: -Dsdma.fuzz.replay=0x%x -Dsdma.fuzz.profile=%s -Dsdma.fuzz.strict=%s): %s",
                    profile.name(), strict, seed, seed, profile.name(), strict, e.getMessage()), e);
        }
    }

    /** A few raw MMIO writes to SDMA0's register block, as a misbehaving driver would. */
    private void rawRegisterWrites(Random r) {
        int base = gpu.sdmaReg(0, gpu.sdmaRegs(0).rbCntl) - gpu.sdmaRegs(0).rbCntl.offset(); // the block's segment-0 start
        for (int i = 0, k = 1 + r.nextInt(6); i < k; i++) {
            gpu.wreg(base + r.nextInt(0x100), r.nextInt());
        }
    }

    /** Mostly a padded doorbell; sometimes an unpadded one, or the wptr through RB_WPTR. */
    private void submit(Random r) {
        switch (r.nextInt(10)) {
            case 0 -> gpu.doorbells.write64(gpu.sdmaDoorbell(0), gpu.wptr);
            case 1 -> {
                gpu.pad(0);
                gpu.wreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbWptr), (int) gpu.wptr);
            }
            default -> gpu.commit(0);
        }
    }

    /** Waits until the queue is idle, stopped, or parked on an incomplete packet; bounded. */
    private void settle() {
        long[] last = {-1};
        Thread engine = engineThread(0);
        boolean settled = RawGpu.await(() -> {
            EngineState s = card.engine(0);
            if (s.error() != SdmaError.NONE || statusIdle()) {
                return true;
            }
            boolean parked = engine != null && engine.getState() == Thread.State.WAITING && s.rptr() == last[0];
            last[0] = s.rptr();
            return parked;
        }, SETTLE_MILLIS);
        if (!settled) {
            unsettled++;
        }
    }

    private boolean statusIdle() {
        return (gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).statusReg)) & 1) == 1;
    }

    private void checkInvariants() {
        for (int i = 0; i < profile.sdmaCount(); i++) {
            Thread t = engineThread(i);
            if (t == null || !t.isAlive()) {
                throw new AssertionError("SDMA" + i + " engine thread died; threads " + card.threads());
            }
        }
        EngineState s = card.engine(0);
        outcomes.merge(s.error(), 1, Integer::sum);
        if (s.error() == SdmaError.MODEL_ERROR) {
            throw new AssertionError("the model failed on a packet: " + s);
        }
        if (s.error() != SdmaError.NONE) {
            // a stopped queue is visible the hardware way: STATUS_REG.IDLE = 0, RB_RPTR at the packet
            if (statusIdle()) {
                throw new AssertionError("STATUS_REG.IDLE = 1 on a stopped queue: " + s);
            }
            long rptr = Integer.toUnsignedLong(gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbRptr)))
                    | (long) gpu.rreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbRptrHi)) << 32;
            if (rptr != s.rptr()) {
                throw new AssertionError(String.format("RB_RPTR 0x%x != engine rptr 0x%x", rptr, s.rptr()));
            }
        }
    }

    /** amdgpu's recovery: every queue halted and disabled, the GART, IH and SDMA0 re-programmed; a write must land. */
    private void recoverAndProve(long seed) {
        for (int i = 0; i < profile.sdmaCount(); i++) {
            gpu.wreg(gpu.sdmaReg(i, gpu.sdmaRegs(i).rbCntl), 0);
            gpu.wreg(gpu.sdmaReg(i, gpu.sdmaRegs(i).ibCntl), 0);
            gpu.wreg(gpu.f32Cntl(i), gpu.sdmaRegs(i).halt.mask());
        }
        if (card.engine(0).error() != SdmaError.NONE) {
            throw new AssertionError("the HALT edge did not clear the error: " + card.engine(0));
        }
        // a halt takes effect when the packet in flight ends: wait for STATUS_REG.IDLE before re-programming
        for (int i = 0; i < profile.sdmaCount(); i++) {
            int status = gpu.sdmaReg(i, gpu.sdmaRegs(i).statusReg);
            if (!RawGpu.await(() -> (gpu.rreg(status) & 1) == 1, 5000)) {
                throw new AssertionError("SDMA" + i + " halted but never went idle: " + card.engine(i));
            }
        }
        restore();
        int proof = (int) (seed * 0x9E3779B97F4A7C15L) | 1;
        long dst = gpu.gart(RawGpu.FENCE);
        gpu.emit(2, (int) dst, (int) (dst >>> 32), 0, proof).commit(0);
        if (!RawGpu.await(() -> gpu.hostInt(RawGpu.FENCE) == proof, 3000)) {
            throw new AssertionError("no restart after HALT: the proof write did not land; " + card.engine(0)
                    + "; engine thread " + where(engineThread(0)));
        }
    }

    /** GART over the host buffer with the last pages pointing at the unmapped orphan, IH, SDMA0 ring at 0. */
    private void restore() {
        gpu.routeDoorbells(); // SRBM_WRITE packets may have hit the NBIO routes too
        gpu.gart();
        Mmio bar0 = gpu.dev.mmio(0);
        long firstOrphanPage = RawGpu.HOST_BYTES / 4096 - PacketGenerator.ORPHAN_PAGES;
        for (int i = 0; i < PacketGenerator.ORPHAN_PAGES; i++) {
            bar0.write64(RawGpu.PT_VRAM_OFFSET + (firstOrphanPage + i) * 8, Pte.system(orphanIova + i * 4096L));
        }
        gpu.ih(true, true);
        // as sdma_v*_gfx_resume: the wptr shadow zeroed and F32 polling off before the unhalt, so a
        // stale shadow (or one a fuzzed packet overwrote) cannot submit the old ring again
        gpu.mem().set(ValueLayout.JAVA_LONG_UNALIGNED, RawGpu.WPTR_SHADOW, 0);
        if (gpu.sdmaRegs(0).rbWptrPollCntl != null) { // 6.0 has no such register: polling is an RB_CNTL bit sdma() writes
            gpu.wreg(gpu.sdmaReg(0, gpu.sdmaRegs(0).rbWptrPollCntl), 0);
        }
        gpu.wptr = 0;
        gpu.sdma(0);
    }

    private static String where(Thread t) {
        if (t == null) {
            return "gone";
        }
        StringBuilder b = new StringBuilder(t.getState().toString());
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n    at ").append(e);
        }
        return b.toString();
    }

    private Thread engineThread(int i) {
        String prefix = "amdvfio-sim-sdma" + i + "@";
        return card.threads().stream().filter(t -> t.getName().startsWith(prefix)).findFirst().orElse(null);
    }

    /** Nothing outside the target's VRAM and its mapped host memory was written. */
    void checkBoundaries() {
        long orphanHit = orphan.segment().mismatch(filled(orphan.segment().byteSize(), ORPHAN_FILL));
        if (orphanHit >= 0) {
            throw new AssertionError(String.format("%s strict=%s: unmapped host memory written at +0x%x",
                    profile.name(), strict, orphanHit));
        }
        long bystanderHit = bystander.vram().asSlice(0, CANARY_BYTES).mismatch(filled(CANARY_BYTES, BYSTANDER_FILL));
        if (bystanderHit >= 0) {
            throw new AssertionError(String.format("%s strict=%s: another card's VRAM written at +0x%x",
                    profile.name(), strict, bystanderHit));
        }
    }

    private static MemorySegment filled(long bytes, byte b) {
        MemorySegment s = MemorySegment.ofArray(new byte[(int) bytes]);
        s.fill(b);
        return s;
    }

    @Override
    public void close() {
        try {
            gpu.close();
        } finally {
            orphan.close();
            bus.close();
        }
    }
}
