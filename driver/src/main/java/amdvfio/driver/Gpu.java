package amdvfio.driver;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.boot.BootFirmware;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gfx.GfxV11Block;
import amdvfio.driver.ip.psp.PspBlock;
import amdvfio.driver.ip.psp.PspBlocks;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlocks;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.ip.ih.IhBlock;
import amdvfio.driver.ip.nbio.NbioBlock;
import amdvfio.driver.ip.sdma.SdmaBlock;
import amdvfio.driver.ip.smu.SmuBlock;
import amdvfio.driver.ip.smu.SmuMailbox;
import amdvfio.driver.ip.smu.SmuMessages;
import amdvfio.driver.ip.smu.SmuReport;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.driver.reset.CardReport;
import amdvfio.driver.reset.ResetOnInitBlock;
import amdvfio.driver.sched.RingScheduler;
import amdvfio.driver.unplug.GuardedMmio;
import amdvfio.driver.unplug.VramSavePlan;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import amdvfio.vfio.unplug.MappingTable;
import amdvfio.vfio.unplug.TeardownReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An AMD GPU driven by this driver: the {@code amdgpu_device} analogue. {@link #open} probes and
 * brings the device up; clients ({@link #openClient()}) allocate buffers and submit jobs.
 *
 * <pre>{@code
 * try (Gpu gpu = Gpu.open(device); GpuClient client = gpu.openClient()) {
 *     BufferObject src = client.allocate(Domain.GTT, 1 << 20);
 *     BufferObject dst = client.allocate(Domain.VRAM, 1 << 20);
 *     client.map(src).fill(ValueLayout.JAVA_BYTE, (byte) 7);
 *     Fence f = client.submit(Job.builder().copy(src, 0, dst, 0, 1 << 20).build());
 *     client.await(f, Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <h2>Losing the device</h2>
 * Loss signals: the VFIO REQ eventfd (orderly removal: sysfs remove, unbind, pciehp, Thunderbolt
 * disconnect), the ERR eventfd (AER), a surprise removal found by the driver (config vendor id
 * 0xFFFF and RCC_CONFIG_MEMSIZE all ones — checked when a job times out and, only while work is
 * pending, on every fallback tick), and {@link #close()}. The event thread only hands the loss to
 * the {@link Lifecycle}, whose own thread runs early fini in the architecture's order:
 * <ol start="0">
 * <li>{@value #STEP_SAVE_VRAM} — orderly removal or close with the device still answering: no new
 *     jobs, let the engines drain, copy every VRAM buffer by SDMA into the shadow (a memfd laid
 *     out like VRAM) at its own offset within {@link Options#vramSaveBudget()};</li>
 * <li>{@value #STEP_GUARD} — the guard is flipped and drained: no thread is in a register,
 *     doorbell or submission section any more;</li>
 * <li>{@value #STEP_STOP_SCHEDULERS} — no new jobs, no timeout recovery;</li>
 * <li>{@value #STEP_IRQS_OFF} — the IP blocks' early fini: engines halted and IH interrupts off
 *     on the device (if present), then MSI off in VFIO;</li>
 * <li>{@value #STEP_FORCE_COMPLETE} — every outstanding fence fails with DEVICE_LOST (ENODEV);</li>
 * <li>{@value #STEP_REROUTE} — one {@code mmap(MAP_FIXED)} per client maps the shadow over its
 *     window on VRAM: saved buffers read their data, the rest dummy memory; no per-buffer call;</li>
 * <li>{@value #STEP_RELEASE_DEVICE} — the device closed, which unmaps DMA: the kernel's removal
 *     completes (a {@code close()} with clients left keeps the device open until they go and
 *     unmaps DMA now); then the interrupt and event threads are stopped and joined — neither
 *     needs the device — and REQ/ERR closed;</li>
 * <li>{@value #STEP_RECORD_FATES} — each buffer's {@link BufferFate}, off the critical path.</li>
 * </ol>
 * Late fini (the save's views of the shadow, client windows, memory, rings) runs when the last client closes.
 *
 * <p><b>AER, fatal or not.</b> vfio-pci signals the ERR eventfd from {@code err_detected} for
 * every AER error and does not pass the channel state to userspace. So the driver decides by
 * asking the device: if it still answers (vendor id and RCC_CONFIG_MEMSIZE read sane) the error
 * is non-fatal — counted in {@link UnplugReport#nonFatalAer()}, logged and survived; if it reads
 * all ones the link is gone and teardown begins with {@link LossReason#ERR_FATAL}. A REQ whose
 * device already reads all ones is recorded as {@link LossReason#SURPRISE} (pciehp's remove after a
 * pull), so no save is attempted on a device that cannot answer.
 *
 * <p>What the user gets: {@link #unplugReport()} (timeline and per-step times, per-buffer
 * {@link BufferFate}, reroute), {@link #teardownReport()}, {@link #state()}, {@link #awaitState}.
 *
 * <p>Threading: thread-safe.
 */
public final class Gpu implements AutoCloseable {

    public static final String STEP_SAVE_VRAM = "save-vram";
    public static final String STEP_GUARD = "guard-drain";
    public static final String STEP_STOP_SCHEDULERS = "stop-schedulers";
    public static final String STEP_IRQS_OFF = "interrupts-off";
    public static final String STEP_FORCE_COMPLETE = "force-complete-fences";
    public static final String STEP_REROUTE = "reroute-mappings";
    public static final String STEP_RELEASE_DEVICE = "release-device";
    public static final String STEP_RECORD_FATES = "record-buffer-fates";

    /**
     * Tunables.
     *
     * @param jobTimeout      a job with no progress for this long is declared hung (amdgpu: 10 s for SDMA)
     * @param fallbackPeriod  period of the fence fallback poll, timeout check and (while work is pending) health check
     * @param testTimeout     how long the ring and IB tests wait before declaring the firmware absent
     * @param packetLimit     split COPY/FILL at this many bytes when below the profile's maximum (0: the profile's)
     * @param vramSaveBudget  on an orderly removal, how long draining and saving VRAM may take before the
     *                        remaining buffers are given up (DUMMY); zero disables the save
     */
    public record Options(Duration jobTimeout, Duration fallbackPeriod, Duration testTimeout, long packetLimit,
                          Duration vramSaveBudget) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofSeconds(2), 0, Duration.ofSeconds(2));

        /** Options with the default VRAM save budget (2 s). */
        public Options(Duration jobTimeout, Duration fallbackPeriod, Duration testTimeout, long packetLimit) {
            this(jobTimeout, fallbackPeriod, testTimeout, packetLimit, Duration.ofSeconds(2));
        }

        public Options withVramSaveBudget(Duration budget) {
            return new Options(jobTimeout, fallbackPeriod, testTimeout, packetLimit, budget);
        }
    }

    /** Package-private test switches: each disables one guarantee so the scenario tests can prove they check it. */
    static volatile boolean testSkipReroute;
    static volatile boolean testSkipForceCompletion;
    static volatile boolean testAllowRecoveryAfterLoss;

    private static final Duration GUARD_DRAIN = Duration.ofSeconds(5);
    private static final Duration FINI_WAIT = Duration.ofSeconds(60);

    private final PciDevice device;
    private final AsicProfile profile;
    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final IhBlock ih;
    private final SdmaBlock sdma;
    private final ResetOnInitBlock card;
    private final Optional<PspBlock> psp;
    private final SmuBlock smu;
    private final IpBlocks blocks;
    /** Identification, the IFWI wait and the discovery read, before the first block. */
    private final Duration probeTime;
    private final Options options;
    private final Lifecycle lifecycle;
    private final DeviceGuard guard;
    /** Each client's window on VRAM and the shadow that replaces them all on loss (step 5). */
    private final MappingTable mappings;
    private final Set<GpuClient> clients = ConcurrentHashMap.newKeySet();
    private final List<BufferFate> fates = new ArrayList<>();
    /** VRAM buffers whose save landed, and when (ns after the save began); guarded by {@link #fates}. */
    private final java.util.Map<BufferObject, Long> savedAfter = new java.util.IdentityHashMap<>();
    private final List<AutoCloseable> saveBuffers = new ArrayList<>();
    private final AtomicLong nonFatalAer = new AtomicLong();
    private volatile DeviceEventLoop events;
    /** Set once by the probe when it finished before any loss: from then on the lifecycle's steps act. */
    private volatile boolean active;
    private int clientSerial;

    private Gpu(PciDevice device, AsicProfile profile, DeviceContext ctx, Options options, CardPolicy policy,
                Lifecycle lifecycle, DeviceGuard guard, Duration probeTime) {
        this.device = device;
        this.probeTime = probeTime;
        this.profile = profile;
        this.ctx = ctx;
        this.options = options;
        this.lifecycle = lifecycle;
        this.guard = guard;
        this.gmc = new GmcBlock(ctx);
        this.ih = new IhBlock(ctx, gmc, options.fallbackPeriod().toMillis(), TimeUnit.MILLISECONDS);
        this.sdma = new SdmaBlock(ctx, gmc, ih, options.jobTimeout().toMillis(), options.testTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        SmuMailbox mailbox = new SmuMailbox(ctx, SmuMessages.of(profile), policy.smuTimeout());
        Optional<BootFirmware> firmware = PspBlocks.manifest(profile.name())
                .map(m -> new BootFirmware(m, policy.firmware()));
        this.card = new ResetOnInitBlock(ctx, mailbox, policy, () -> firmware.ifPresent(BootFirmware::require));
        this.psp = firmware.map(fw -> PspBlocks.forBoot(ctx, gmc, fw, card::bootNeeded));
        this.smu = new SmuBlock(ctx, gmc, mailbox, () -> card.pmfwRunning() || psp.map(PspBlock::pmfwLoaded).orElse(false));
        this.blocks = new IpBlocks(ctx, pipeline(ctx, gmc, sdma, card, psp, smu, ih));
        this.mappings = new MappingTable(ctx.bar0Range());
    }

    /**
     * The IP blocks in amdgpu's order for SOC21 (spec amd-cold-boot.md §1.1 step 3,
     * {@code amdgpu_discovery_set_ip_blocks}, amdgpu_discovery.c:2888-2958, and a real 7900 XTX's
     * log: soc21_common, gmc_v11_0, ih_v6_0, psp, smu, dm, gfx_v11_0, sdma_v6_0): the card-state
     * step first, then common (NBIO), GMC, IH, PSP, SMU, GFX (only the RLC autoload wait and the GC
     * hub SDMA needs), SDMA. Every supported profile has a PSP block; the GFX block is GC 11's (Navi31).
     */
    private static List<IpBlock> pipeline(DeviceContext ctx, GmcBlock gmc, SdmaBlock sdma, ResetOnInitBlock card,
                                          Optional<PspBlock> psp, SmuBlock smu, IhBlock ih) {
        List<IpBlock> b = new ArrayList<>(List.of(card, new NbioBlock(ctx), gmc, ih));
        psp.ifPresent(b::add);
        b.add(smu);
        psp.flatMap(p -> GfxV11Block.forProfile(ctx, gmc, card::bootNeeded)).ifPresent(b::add);
        b.add(sdma);
        return b;
    }

    /** Probes and brings up {@code device} with default options. */
    public static Gpu open(PciDevice device) {
        return open(device, Options.DEFAULT);
    }

    /**
     * Probes {@code device} (identify, VRAM size, register bases, BARs, bus mastering), starts
     * listening for REQ/ERR, then runs the IP blocks' init in order and the ring and IB tests.
     *
     * @throws UnsupportedDeviceException  not an AMD GPU of a supported profile (nothing touched)
     * @throws FirmwareNotRunningException an SDMA ring or IB test timed out: the engine's firmware did
     *                                     not start, or it cannot reach memory through its VM hub
     * @throws amdvfio.driver.firmware.FirmwareException a file the boot needs is missing or bad;
     *                                     nothing was written to the card
     * @throws DeviceLostException         the device reads all ones, or was removed during probe —
     *                                     whatever step of the probe noticed it first
     */
    public static Gpu open(PciDevice device, Options options) {
        return open(device, options, CardPolicy.DEFAULT);
    }

    /**
     * As {@link #open(PciDevice, Options)}, with the card-state step's budgets and choices.
     *
     * @throws amdvfio.driver.reset.CardWedgedException        the card cannot be started; the message says what to do
     * @throws amdvfio.driver.reset.ResetUnavailableException  the card is warm from another driver and cannot be reset here
     */
    public static Gpu open(PciDevice device, Options options, CardPolicy policy) {
        Gpu gpu = null;
        long t0 = System.nanoTime();
        try {
            AsicProfile profile = Probe.identify(device).withPacketLimit(options.packetLimit());
            Probe.forbidUnsafeBusReset(profile, device);
            Lifecycle lifecycle = new Lifecycle(device.address().toString());
            DeviceGuard guard = new DeviceGuard();
            DeviceContext[] holder = new DeviceContext[1];
            java.util.function.Supplier<Thread> finiThread = () -> holder[0] == null ? null : holder[0].finiThread();
            Mmio rawBar5 = device.mmio(RegionInfo.BAR5);
            Mmio bar5 = new GuardedMmio(rawBar5, guard, device, finiThread);
            Mmio bar2 = new GuardedMmio(device.mmio(RegionInfo.BAR2), guard, device, finiThread);
            Mmio bar0 = new GuardedMmio(device.mmio(RegionInfo.BAR0), guard, device, finiThread);
            device.config().setBusMaster(true);
            RegisterIo regs = new RegisterIo(bar5);
            long vramSize = Probe.vramSize(regs, device);
            IpBases bases = Probe.bases(profile, regs, bar0, vramSize);
            int[] nbif = bases.of(amdvfio.amdgpu.HwIp.NBIF);
            regs.indirect(profile.nbio().pcieIndex.address(nbif), profile.nbio().pcieData.address(nbif));
            DeviceContext ctx = new DeviceContext(device, profile, bases, regs, bar2, bar0, vramSize);
            ctx.attach(lifecycle, guard, rawBar5, device.mappable(RegionInfo.BAR0));
            ctx.recoveryAfterLoss(testAllowRecoveryAfterLoss);
            holder[0] = ctx;
            ctx.log().log(Level.INFO, "{0}: {1}, {2} MiB VRAM, {3}", device.address(), profile, vramSize >> 20, bases);
            gpu = new Gpu(device, profile, ctx, options, policy, lifecycle, guard, Duration.ofNanos(System.nanoTime() - t0));
            gpu.registerFini(); // before anything can trigger; the steps do nothing until the probe decides below
            gpu.events = DeviceEventLoop.start(device, IrqType.MSI, 0, gpu.lossHandler()); // REQ/ERR during probe count too
            gpu.blocks.init();
            gpu.ih.onFallbackTick(gpu::fallbackTick);
            // The decision: a loss before this point finds active == false (its teardown ran no-op
            // steps) and we tear down here; a loss after it runs the real steps on the teardown thread.
            if (!lifecycle.isLost()) {
                gpu.active = true;
            }
            if (!gpu.active) {
                gpu.finiInline();
                throw new DeviceLostException(device.address() + " was removed during probe (" + lifecycle.lossReason() + ")");
            }
            if (!lifecycle.activate()) { // lost right after the decision: the lifecycle tears down
                lifecycle.awaitState(Lifecycle.State.RELEASED, FINI_WAIT);
                throw new DeviceLostException(device.address() + " was removed during probe (" + lifecycle.lossReason() + ")");
            }
            return gpu;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceLostException(device.address() + ": interrupted while a removal during probe was torn down");
        } catch (RuntimeException e) {
            RuntimeException thrown = asLossIfGone(device, e);
            if (gpu != null && gpu.events != null) {
                gpu.events.close();
            }
            if (gpu != null) {
                gpu.mappings.close(); // no client exists yet: only the shadow
            }
            device.close(); // the Gpu owns the device from open on, also when probe fails
            throw thrown;
        }
    }

    /**
     * Any probe failure on a device that now reads all ones is a loss: a table read half before a
     * surprise removal or a fatal AER fails its checks ("signature 0xffffffff", a bad checksum),
     * and a caller waiting for the re-plug on DeviceLostException must not be told the card is broken.
     */
    private static RuntimeException asLossIfGone(PciDevice device, RuntimeException e) {
        if (e instanceof DeviceLostException || e instanceof UnsupportedDeviceException // refused before any access
                || device.isClosed() || device.config().isPresent()) {
            return e;
        }
        return new DeviceLostException(device.address() + " was removed during probe ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }

    /** REQ/ERR on the event thread: decide what happened, hand it to the lifecycle, return. */
    private DeviceEventHandler lossHandler() {
        return new DeviceEventHandler() {
            @Override
            public void onRequest(long count) {
                ctx.reportLoss(ctx.surpriseRemoved() ? LossReason.SURPRISE : LossReason.REQ);
            }

            @Override
            public void onError() {
                if (ctx.surpriseRemoved()) {
                    ctx.reportLoss(LossReason.ERR_FATAL);
                } else {
                    nonFatalAer.incrementAndGet();
                    ctx.log().log(Level.WARNING, "{0}: non-fatal AER error reported; the device still answers",
                            device.address());
                }
            }
        };
    }

    /** The IH fallback tick: the health check (only while work is pending), then the fence poll and timeouts. */
    private void fallbackTick() {
        if (!ctx.lost() && sdma.hasWork() && ctx.surpriseRemoved()) {
            ctx.reportLoss(LossReason.SURPRISE);
        }
        for (RingScheduler s : sdma.schedulers()) {
            s.tick();
        }
    }

    // ------------------------------------------------------------------ early and late fini

    private record Step(String name, Lifecycle.FiniStep run) {
    }

    private List<Step> earlySteps() {
        return List.of(
                new Step(STEP_SAVE_VRAM, this::saveVram),
                new Step(STEP_GUARD, () -> guard.unplug(GUARD_DRAIN)),
                new Step(STEP_STOP_SCHEDULERS, sdma::stopSchedulers),
                new Step(STEP_IRQS_OFF, blocks::earlyFini),
                new Step(STEP_FORCE_COMPLETE, () -> {
                    if (!testSkipForceCompletion) {
                        sdma.forceCompleteFences();
                    }
                }),
                new Step(STEP_REROUTE, () -> {
                    if (!testSkipReroute) {
                        mappings.rerouteAll();
                    }
                }),
                new Step(STEP_RELEASE_DEVICE, this::releaseDevice),
                new Step(STEP_RECORD_FATES, this::recordFates));
    }

    private List<Step> lateSteps() {
        return List.of(
                new Step("free-vram-save-views", this::freeSaveViews),
                new Step("unmap-client-windows", mappings::close),
                new Step("ip-late-fini", blocks::lateFini),
                new Step("close-device", this::closeDevice));
    }

    /** The lifecycle runs each list in reverse registration order: register them backwards. */
    private void registerFini() {
        List<Step> early = earlySteps();
        for (int i = early.size() - 1; i >= 0; i--) {
            Lifecycle.FiniStep step = early.get(i).run();
            lifecycle.addEarlyFini(early.get(i).name(), () -> {
                if (active) {
                    step.run();
                }
            });
        }
        List<Step> late = lateSteps();
        for (int i = late.size() - 1; i >= 0; i--) {
            Lifecycle.FiniStep step = late.get(i).run();
            lifecycle.addLateFini(late.get(i).name(), () -> {
                if (active) {
                    step.run();
                }
            });
        }
    }

    /** Loss during probe: the same sequence on this thread (no client exists yet). */
    private void finiInline() {
        for (Step s : earlySteps()) {
            runQuietly(s);
        }
        for (Step s : lateSteps()) {
            runQuietly(s);
        }
    }

    private void runQuietly(Step s) {
        try {
            s.run().run();
        } catch (Exception e) {
            ctx.log().log(Level.WARNING, device.address() + ": fini step " + s.name() + " failed", e);
        }
    }

    /**
     * Step 0: the orderly-removal window. Nothing new is accepted (clients see the loss), in-flight
     * work drains, then every VRAM buffer is copied by SDMA into the mapping table's shadow at its
     * own VRAM offset, so the one remap per client in step 5 shows it at the same place. Buffers
     * whose copy lands within the budget keep their data; the rest read dummy memory. Which is
     * which is written down after the release ({@link #recordFates()}): without a save this step
     * touches no buffer at all.
     */
    private void saveVram() throws InterruptedException {
        ctx.finiThread(Thread.currentThread());
        LossReason why = lifecycle.lossReason();
        boolean orderly = (why == LossReason.REQ || why == LossReason.CLOSE || why == null)
                && !options.vramSaveBudget().isZero() && !ctx.surpriseRemoved();
        if (!orderly) {
            return;
        }
        long t0 = System.nanoTime();
        List<VramSavePlan.Item> toSave = new ArrayList<>();
        for (GpuClient c : List.copyOf(clients)) {
            for (BufferObject bo : c.buffers()) {
                if (bo.domain() == Domain.VRAM && !bo.isClosed()) {
                    toSave.add(new VramSavePlan.Item(c.name(), bo));
                }
            }
        }
        List<VramSavePlan.Copy> copies = VramSavePlan.submit(toSave, mappings.shadow(), ctx.dma(), gmc.gart(),
                sdma.schedulers(), this, saveBuffers);
        long deadline = t0 + options.vramSaveBudget().toNanos();
        for (VramSavePlan.Copy p : copies) {
            long left = deadline - System.nanoTime();
            if (left > 0 && p.fence().await(Duration.ofNanos(left)) && p.fence().isSignaled() && !p.item().bo().isClosed()) {
                synchronized (fates) {
                    savedAfter.put(p.item().bo(), System.nanoTime() - t0);
                }
            }
        }
    }

    /**
     * After the release: each buffer's fate — GTT KEPT, VRAM SAVED (its copy landed in the shadow
     * within the budget) or DUMMY. Off the removal's critical path: the kernel is not waiting.
     */
    private void recordFates() {
        List<BufferFate> out = new ArrayList<>();
        synchronized (fates) {
            for (GpuClient c : List.copyOf(clients)) {
                for (BufferObject bo : c.buffers()) {
                    Long after = savedAfter.get(bo);
                    if (bo.domain() == Domain.GTT) {
                        out.add(new BufferFate(c.name(), Domain.GTT, bo.gpuAddress(), bo.size(), BufferFate.Fate.KEPT, 0, 0));
                    } else if (after != null) {
                        out.add(new BufferFate(c.name(), Domain.VRAM, bo.gpuAddress(), bo.size(), BufferFate.Fate.SAVED,
                                bo.size(), after));
                    } else {
                        out.add(dummy(c.name(), bo));
                    }
                }
            }
            savedAfter.clear();
            fates.clear();
            fates.addAll(out);
        }
    }

    private static BufferFate dummy(String client, BufferObject bo) {
        return new BufferFate(client, bo.domain(), bo.gpuAddress(), bo.size(), BufferFate.Fate.DUMMY, 0, 0);
    }

    /**
     * Step 6: the device closed (unless an explicit close still has clients) — its close unmaps the
     * DMA space after bus mastering is off, and the kernel's removal completes here — and only then
     * the interrupt and event threads stopped and joined and REQ/ERR closed: they read host memory
     * and their own eventfds and do not need the device (the interrupt thread's register accesses
     * are skipped since the guard's drain, and MSI is off since step 3). An explicit close that
     * still has clients keeps the device open and unmaps the DMA space now. The VRAM save's views of the
     * shadow are freed in late fini: the removal does not wait for their munmap.
     */
    private void releaseDevice() {
        if (lifecycle.lossReason() != LossReason.CLOSE || clients.isEmpty()) {
            ctx.dma().forgetAll(); // the close unmaps them, bus mastering off first
            device.close();
        } else {
            ctx.dma().dropAll(); // the device stays open for the clients: its DMA goes now
        }
        ih.stopThread();
        DeviceEventLoop ev = events;
        if (ev != null) {
            ev.close();
        }
    }

    private void freeSaveViews() {
        synchronized (saveBuffers) {
            for (AutoCloseable b : saveBuffers) {
                try {
                    b.close(); // GART writes are dropped once the device is closed, the DMA space is gone already
                } catch (Exception e) {
                    ctx.log().log(Level.WARNING, "closing a view of the VRAM shadow failed", e);
                }
            }
            saveBuffers.clear();
        }
    }

    private void closeDevice() {
        DeviceEventLoop ev = events;
        if (ev != null) {
            ev.close();
        }
        device.close();
    }

    // ------------------------------------------------------------------ API

    /** A new client: the DRM-file analogue that owns buffers, mappings and fences. */
    public GpuClient openClient() {
        if (!lifecycle.acquire()) {
            throw new DeviceLostException(device.address() + " is " + (lifecycle.lossReason() == LossReason.CLOSE
                    ? "closed" : "lost (" + lifecycle.lossReason() + ")") + "; open it again");
        }
        GpuClient[] self = new GpuClient[1];
        GpuClient c;
        synchronized (this) {
            String name = "client-" + ++clientSerial;
            c = new GpuClient(this, ctx, gmc, sdma.schedulers(), mappings.newOwner(name), () -> clientClosed(self[0]));
            self[0] = c;
        }
        clients.add(c);
        return c;
    }

    private void clientClosed(GpuClient c) {
        if (clients.remove(c)) {
            lifecycle.release();
        }
    }

    public AsicProfile profile() {
        return profile;
    }

    public PciDevice device() {
        return device;
    }

    /** SDMA rings brought up (one per instance). */
    public int ringCount() {
        return sdma.schedulers().size();
    }

    /** Engine recoveries after job timeouts, over all rings. */
    public long recoveries() {
        return sdma.schedulers().stream().mapToLong(RingScheduler::recoveries).sum();
    }

    /** Where the device is in its life: ACTIVE, UNPLUGGING (early fini), DETACHED (device released), RELEASED. */
    public Lifecycle.State state() {
        return lifecycle.state();
    }

    /** True once the device is lost or closed. */
    public boolean isLost() {
        return lifecycle.isLost();
    }

    /** Why teardown began, or null. */
    public LossReason lossReason() {
        return lifecycle.lossReason();
    }

    /** Waits until the device reached {@code target} (or later); false on timeout. */
    public boolean awaitState(Lifecycle.State target, Duration timeout) throws InterruptedException {
        return lifecycle.awaitState(target, timeout);
    }

    /** The lifecycle's timeline: reason, time of each state, each fini step's duration and failure. */
    public TeardownReport teardownReport() {
        return lifecycle.report();
    }

    /** What the probe found on the card (cold, warm, wedged) and did about it (boot, reuse, reset). */
    public CardReport cardReport() {
        return card.report();
    }

    /** The SMU: whether a PMFW runs, its version, the driver table. */
    public SmuReport smuReport() {
        return smu.report();
    }

    /**
     * How the card was brought up: its state at probe and the action taken, each block's hw_init
     * with its time, the firmware loaded and the SMU's state.
     */
    public BootReport bootReport() {
        List<BootStep> steps = new ArrayList<>();
        steps.add(new BootStep("probe", "identify, IFWI wait, IP discovery", probeTime));
        steps.addAll(blocks.steps());
        List<LoadedFirmware> fw = psp.map(PspBlock::loadedFirmware).orElse(List.of());
        return new BootReport(card.report(), steps, fw, smu.report());
    }

    /** The teardown timeline plus per-buffer data fate, reroute and AER counts. */
    public UnplugReport unplugReport() {
        List<BufferFate> b;
        synchronized (fates) {
            b = List.copyOf(fates);
        }
        return new UnplugReport(lifecycle.report(), b, mappings.lastReroute(), nonFatalAer.get());
    }

    /**
     * Stops the hardware now (early fini, reason CLOSE: VRAM is saved to host memory for clients
     * still holding mappings); memory is released and the device closed after the last client
     * closes too. Waits (bounded) for early fini.
     */
    @Override
    public void close() {
        ctx.reportLoss(LossReason.CLOSE);
        try {
            if (!lifecycle.awaitState(Lifecycle.State.DETACHED, FINI_WAIT)) {
                ctx.log().log(Level.ERROR, "{0}: early fini did not finish in {1}", device.address(), FINI_WAIT);
                return;
            }
            if (lifecycle.clientReferences() == 0) {
                lifecycle.awaitState(Lifecycle.State.RELEASED, FINI_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Gpu[" + device.address() + " " + profile + " " + lifecycle.state() + "]";
    }
}
