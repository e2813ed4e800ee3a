package amdvfio.driver.ip.sdma;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.FirmwareNotRunningException;
import amdvfio.driver.asic.SdmaTraits;
import amdvfio.driver.bo.HostBuffer;
import amdvfio.driver.fence.FenceError;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.ip.ih.IhBlock;
import amdvfio.driver.ring.PacketWriter;
import amdvfio.driver.ring.Ring;
import amdvfio.driver.sched.RingScheduler;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SDMA engines: one ring (queue 0) per instance, in GTT, with its scheduler. Bring-up per
 * {@code sdma_v*_start}: unhalt, then per instance resume, ring test, IB test.
 *
 * <p><b>Firmware assumption.</b> The driver does not load SDMA microcode (PSP does on every real
 * part this targets). It assumes the firmware is already running: the simulator, or a warm card
 * left initialised by amdgpu or the VBIOS. On a cold card the ring test's WRITE never lands and
 * probe fails with {@link FirmwareNotRunningException} after {@code testTimeout} instead of hanging.
 *
 * <p>Threading: hooks run on the probe/close thread; the schedulers are thread-safe.
 */
public final class SdmaBlock implements IpBlock {

    /** 256 KiB rings (RB_SIZE 16): amdgpu's 8 KiB holds only 8 jobs at SDMA 4.0's 256-dword alignment. */
    public static final int RING_BYTES = 256 << 10;
    private static final int TEST_VALUE = 0xDEADBEEF;

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final IhBlock ih;
    private final SdmaTraits traits;
    private final long jobTimeoutMs;
    private final long testTimeoutMs;
    private final List<SdmaEngine> engines = new ArrayList<>();
    private final List<Ring> rings = new ArrayList<>();
    private final List<RingScheduler> schedulers = new ArrayList<>();

    public SdmaBlock(DeviceContext ctx, GmcBlock gmc, IhBlock ih, long jobTimeout, long testTimeout, TimeUnit unit) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.ih = ih;
        this.traits = ctx.profile().sdma();
        this.jobTimeoutMs = unit.toMillis(jobTimeout);
        this.testTimeoutMs = unit.toMillis(testTimeout);
    }

    @Override
    public String name() {
        return traits.blockName();
    }

    @Override
    public void swInit() {
        for (int i = 0; i < traits.instances(); i++) {
            String ringName = "sdma" + i + " of " + ctx.device().address();
            HostBuffer mem = HostBuffer.allocate("sdma" + i + "-ring", RING_BYTES, ctx.dma(), gmc.gart());
            HostBuffer wb;
            try {
                wb = HostBuffer.allocate("sdma" + i + "-wb", 4096, ctx.dma(), gmc.gart());
            } catch (RuntimeException e) {
                mem.close();
                throw e;
            }
            long doorbell = 4L * ctx.profile().doorbells().sdmaDword(i);
            Ring ring = new Ring(ringName, traits, mem, wb, ctx.doorbells(), doorbell);
            SdmaEngine engine = new SdmaEngine(ctx, i);
            engine.attach(ring);
            rings.add(ring);
            engines.add(engine);
            schedulers.add(new RingScheduler(ring, engine, jobTimeoutMs, TimeUnit.MILLISECONDS, ctx.log()));
        }
        for (int client : traits.ip().trapClientIds(traits.instances())) {
            ih.register(client, traits.ip().trapSrcId(), this::trap);
        }
    }

    @Override
    public void hwInit() {
        for (SdmaEngine e : engines) {
            e.unhalt();
        }
        for (int i = 0; i < engines.size(); i++) {
            engines.get(i).resume();
            ringTest(rings.get(i));
            ibTest(rings.get(i));
            ctx.log().log(Level.INFO, "{0}: ring and IB tests passed", engines.get(i).name());
        }
        ih.onFallbackTick(() -> schedulers.forEach(RingScheduler::tick));
    }

    /**
     * Halts the engines if the device is present (the hardware may be gone). The schedulers are
     * stopped before ({@link #stopSchedulers}, early-fini step 2) and their fences force-completed
     * after interrupts are off ({@link #forceCompleteFences}, step 4); a direct call (probe
     * failure) does all three.
     */
    @Override
    public void earlyFini() {
        stopSchedulers();
        for (SdmaEngine e : engines) { // plain loops on the removal path: a lambda's first use links a class
            e.stop();
        }
    }

    /** Early-fini step 2: no new jobs, nothing more written to the rings. */
    public void stopSchedulers() {
        for (RingScheduler s : schedulers) {
            s.halt(FenceError.DEVICE_LOST);
        }
    }

    /** Early-fini step 4: what finished is signalled, everything else fails with DEVICE_LOST (ENODEV). */
    public void forceCompleteFences() {
        for (RingScheduler s : schedulers) {
            s.forceComplete(FenceError.DEVICE_LOST);
        }
    }

    /** True while any ring has queued or in-flight jobs. */
    public boolean hasWork() {
        for (RingScheduler s : schedulers) {
            if (s.hasWork()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void lateFini() {
        forceCompleteFences(); // nothing may stay pending once the rings are gone
        rings.forEach(Ring::close);
        rings.clear();
        engines.clear();
        schedulers.clear();
    }

    public List<RingScheduler> schedulers() {
        return schedulers;
    }

    /** SDMA trap: the instance comes from the client id (4.x/5.x) or ring_id[7:4] (6.0). */
    private void trap(int client, int source, int ringId, int srcData0) {
        int inst = traits.trapInstance(client, source, ringId);
        if (inst >= 0 && inst < schedulers.size()) {
            schedulers.get(inst).processFences();
        }
    }

    /** {@code sdma_v*_ring_test_ring}: WRITE 0xDEADBEEF to a writeback slot, poll for it. */
    private void ringTest(Ring ring) {
        ring.lock().lock();
        try {
            ring.writeSlot(Ring.RING_TEST_SLOT, 0xCAFEDEAD);
            ring.writer().write().wrap(ring.buffer(), ring.wptr(), ring.mask())
                    .dword(ring.writebackGpuAddress(Ring.RING_TEST_SLOT), TEST_VALUE);
            ring.advance(5);
            ring.commit();
        } finally {
            ring.lock().unlock();
        }
        if (!pollSlot(ring, Ring.RING_TEST_SLOT)) {
            throw new FirmwareNotRunningException(String.format(
                    "%s: ring test failed: 0x%08x instead of 0x%08x after %d ms. The engine did not execute its ring:"
                            + " its firmware does not run (the PSP did not start it, or a reused warm card's stopped),"
                            + " or it cannot reach its ring through its VM hub",
                    ring.name(), ring.readSlot(Ring.RING_TEST_SLOT), TEST_VALUE, testTimeoutMs));
        }
    }

    /** {@code sdma_v*_ring_test_ib}: the same WRITE from an 8-dword IB reached by INDIRECT_BUFFER. */
    private void ibTest(Ring ring) {
        try (HostBuffer ib = HostBuffer.allocate("ib-test", 4096, ctx.dma(), gmc.gart())) {
            PacketWriter w = new PacketWriter(traits);
            w.write().wrap(ib.segment(), 0).dword(ring.writebackGpuAddress(Ring.IB_TEST_SLOT), TEST_VALUE);
            long dw = w.padTo(ib.segment(), 5, -1, 8);
            ring.writeSlot(Ring.IB_TEST_SLOT, 0);
            ring.lock().lock();
            try {
                long pos = ring.writer().encodeIndirect(ring.buffer(), ring.wptr(), ring.mask(), ib.gpuAddress(), (int) dw);
                ring.advance(pos - ring.wptr());
                ring.commit();
            } finally {
                ring.lock().unlock();
            }
            if (!pollSlot(ring, Ring.IB_TEST_SLOT) || !waitIdle(ring)) {
                throw new FirmwareNotRunningException(String.format("%s: IB test failed: 0x%08x instead of 0x%08x after %d ms",
                        ring.name(), ring.readSlot(Ring.IB_TEST_SLOT), TEST_VALUE, testTimeoutMs));
            }
        }
    }

    /** Until the engine's rptr reaches the wptr: the IB may still be fetched after its WRITE landed. */
    private boolean waitIdle(Ring ring) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(testTimeoutMs);
        long mask = ring.sizeBytes() - 1;
        while ((ring.readRptrBytes() & mask) != ((ring.wptr() << 2) & mask)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** Polls a writeback slot; a loss during probe (REQ, all-ones reads) ends the wait at once. */
    private boolean pollSlot(Ring ring, int slot) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(testTimeoutMs);
        int spins = 0;
        while (ring.readSlot(slot) != TEST_VALUE) {
            if (ctx.lost() || ((++spins & 0x3FF) == 0 && ctx.surpriseRemoved())) {
                throw new DeviceLostException(ring.name() + ": the device was lost during probe");
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
