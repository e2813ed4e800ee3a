package amdvfio.sim;

import amdvfio.os.EventFd;
import amdvfio.os.Mapping;
import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.sim.discovery.DiscoveryTable;
import amdvfio.amdgpu.HwIp;
import amdvfio.sim.discovery.IpEntry;
import amdvfio.sim.fault.RequestRepeater;
import amdvfio.sim.fault.StrictViolation;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.SdmaRegs;
import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.VmHub;
import amdvfio.sim.nbio.DoorbellRouter;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.gmc.LinkPacer;
import amdvfio.sim.ih.InterruptHandler;
import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.sim.psp.SimPsp;
import amdvfio.sim.regs.RegisterFile;
import amdvfio.sim.reset.CardReset;
import amdvfio.sim.smu.Smu;
import amdvfio.sim.smu.SmuDialect;
import amdvfio.sim.sdma.SdmaEngine;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciAddress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated card in a slot: VRAM (a memfd), the register file, the GMC path, the IH and the
 * SDMA engines, plus the PCI-level state (config space, IRQ triggers, presence). Handles
 * ({@link SimPciDevice}) are opened on it; the engine threads run while at least one handle is
 * open, and the last close is the vfio release (IRQs off, DMA unmapped, device reset).
 *
 * <p><b>What the release costs the driver.</b> On vfio-pci the driver's {@code close()} waits for
 * {@code vfio_pci_core_disable}: bus mastering off, interrupts off, the function reset. The
 * card's engines just stop; nothing has to be joined. So the model's release halts the engines
 * and waits only for a packet in flight ({@link SimDmaSpace#release}); from its return on no
 * engine reaches VRAM or host memory, and their threads end by themselves. Whoever needs them
 * gone joins them off the release: the next open, the VRAM reaper of a removed card, the bus close.
 *
 * <p>Loss: {@link #surpriseRemove} makes it answer all ones at once; {@link #requestRemoval}
 * signals REQ until the driver releases it. Either way, once removed and released, the slot no
 * longer holds it and its VRAM is gone.
 */
public final class SimGpu {

    /** CP_STAT with CP_BUSY set. */
    private static final int CP_BUSY = amdvfio.amdgpu.HeaderFacts.of(amdvfio.bindings.amdgpu.gc_11_0_0_h.class)
            .field("CP_STAT", "CP_BUSY").set(0, 1);

    private final java.util.concurrent.atomic.LongAdder hostWrites = new java.util.concurrent.atomic.LongAdder();

    private final PciAddress address;
    private final SimProfile profile;
    private final SimConfig config;
    private final MemFd vramFd;
    private final Mapping vramMap;
    private final RegisterFile regs;
    private final SimConfigSpace configSpace;
    private final SimDmaSpace dma = new SimDmaSpace();
    private final VmHub sdmaHub;
    private final VmHub ihHub;
    private final Gmc gmc;
    private final DoorbellRouter router;
    private final InterruptHandler ih;
    private final List<SdmaEngine> engines = new ArrayList<>();
    private final CardReset reset;
    private final Smu smu;
    private final SimPsp psp;
    private final long[] doorbells = new long[(2 << 20) / 8];
    private final long epoch = System.nanoTime();

    private final List<GpuFault> faults = new CopyOnWriteArrayList<>();
    private final List<StrictViolation> violations = new CopyOnWriteArrayList<>();
    private final Map<IrqType, List<EventFd>> irqs = new EnumMap<>(IrqType.class);
    private final AtomicInteger lostMsis = new AtomicInteger();

    private volatile boolean present = true;
    private volatile boolean removed;
    private boolean destroyed;
    private int openHandles;
    private long removalRequestedAt = -1;
    private volatile Duration requestToRelease;
    /** The REQ repeater while a removal waits for the release, else null. */
    private RequestRepeater requests;
    private final RequestRepeater repeater;
    private Runnable onRemoved = () -> { };
    /** Counted down by {@link #destroy()}: the VRAM reaper frees the card's memory from then on. */
    private final CountDownLatch destroySignal = new CountDownLatch(1);
    /** Counted down once the VRAM memfd is truncated and closed. */
    private final CountDownLatch vramReclaimed = new CountDownLatch(1);
    private final Thread vramReaper;
    /** Threads let go by a release (halted engines, a cancelled REQ repeater) that may not have ended yet; guarded by this. */
    private final List<Thread> windingDown = new ArrayList<>();

    /**
     * Test switch: the release leaves the engines running (no halt, no reset) and memory
     * reachable, the model error the release test must catch (SimReleaseTest proves it fails with this set).
     */
    static volatile boolean testEnginesOutliveRelease;

    SimGpu(PciAddress address, SimProfile profile, SimConfig config) {
        this.address = address;
        this.profile = profile;
        this.config = config;
        this.vramFd = MemFd.create("vram-" + address, config.vramBytes());
        this.vramMap = vramFd.map();
        this.regs = new RegisterFile(profile.bar5Bytes());
        this.configSpace = new SimConfigSpace(this, profile.deviceId(), profile.classCode(), 0xC1);
        this.sdmaHub = new VmHub(profile.hub(), profile.bases(profile.hub().baseIp), regs, config.strict(), violations::add);
        this.ihHub = profile.ihHub() == profile.hub() ? sdmaHub
                : new VmHub(profile.ihHub(), profile.bases(profile.ihHub().baseIp), regs, config.strict(), violations::add);
        this.gmc = new Gmc(vramMap.segment(), config.fbBase(), sdmaHub, dma,
                this::busMaster, this::recordFault, new LinkPacer(config.linkBytesPerSecond()));
        this.ih = new InterruptHandler(regs, profile.ih().regs(), profile.bases(HwIp.OSSSYS), gmc.through(ihHub),
                profile.ihBusAddressMcSpace(), this::raiseMsi, this::present);
        this.router = new DoorbellRouter(regs, profile.nbio(), profile.bases(HwIp.NBIF));
        this.psp = createPsp();
        for (int i = 0; i < profile.sdmaCount(); i++) {
            SdmaRegs r = profile.sdmaRegs(i);
            // the firmware-running gate (spec amd-cold-boot.md §9.5): an engine whose firmware the PSP
            // has not loaded and started does not run, as if its F32 had no code
            engines.add(new SdmaEngine(i, profile.sdma(), regs, r, profile.bases(r.baseIp), gmc,
                    ih, profile.trapClientId(i), config.strict(), config.f32PollInterval().toNanos(),
                    violations::add, () -> present() && psp.sdmaFirmwareRunning(), this::gpuClock, address.toString()));
        }
        installSocRegisters();
        IpEntry mp1 = profile.ip(HwIp.MP1);
        Smu[] smuRef = new Smu[1];
        this.reset = new CardReset(profile, regs, new CardReset.Hardware() {
            @Override
            public void functionReset() {
                resetState();
            }

            @Override
            public void configReset() {
                configSpace.powerOnReset();
            }
        }, () -> smuRef[0].running());
        this.smu = new Smu(regs, mp1.bases(), SmuDialect.forMp1(mp1.major(), mp1.minor(), mp1.revision()), reset::mode1);
        smuRef[0] = smu;
        reset.onFirmwareLost(smu::powerLost);
        smu.install();
        psp.onSmuImageLoaded(smu::loadPmfw); // the merge point: the PMFW starts when the PSP accepts its image
        psp.onMode1Reset(reset::mode1);
        psp.bootloaderAliveWhen(reset::bootloaderReady);
        if (!psp.cold()) { // a cold card's PSP model owns the bootloader mailbox (C2PMSG_35), and its reset()
            reset.install(); // is what a mode1 or PCI reset does to it (resetState)
        }
        if (psp.cold() && profile == SimProfile.NAVI31) { // CP_STAT: busy while the RLC autoloads the GC firmware, idle otherwise
            regs.hook(PspMailboxRegs.GC11_CP_STAT.address(profile.bases(HwIp.GC)),
                    (RegisterFile.ReadOnly) () -> psp.rlcBusy() ? CP_BUSY : 0);
        }
        if (!psp.cold()) {
            WarmStart.asLeftByACleanRun(regs, profile, reset, smu);
            hubsAsLeftWarm();
        }
        if (profile.usesDiscovery()) {
            DiscoveryTable.writeTo(vramMap.segment(), profile.ips());
        }
        // the kernel's REQ is an eventfd_signal with nothing to link: the model's write must not pay
        // the first-use linkage of its downcall inside the measured removal either
        Syscalls.linkRemovalCalls();
        // started with the card, so that neither the release nor the removal creates a thread
        vramReaper = Thread.ofPlatform().daemon(true).name("amdvfio-sim-vram-" + address).start(this::reapVram);
        repeater = new RequestRepeater("amdvfio-sim-req@" + address, config.requestInterval(), () -> {
            EventFd req = trigger(IrqType.REQ);
            if (req != null) {
                signal(req);
            }
        }).start();
    }

    /** Cold where the config asks for it (the default, where the firmware files are installed), else warm. */
    private SimPsp createPsp() {
        if (!config.startsCold(profile)) {
            return SimPsp.warm();
        }
        return SimPsp.cold(profile.name(), regs, gmc.beforeTheHub(), config.coldBoot(), profile.bases(HwIp.MP0)[0], profile.bases(HwIp.GC)[1]);
    }

    /**
     * A GPU fault worth reporting: the driver gave the engine an address it may not use. A DMA
     * that a removed card (or one off the bus in a mode1 reset) still attempts fails the same way
     * (no bus master), but it is the removal, not a driver error, so it is not recorded; nor is
     * anything once the card left its slot (the rest of a packet in flight reaches no bus), nor
     * what an engine winding down after the release attempts.
     */
    private void recordFault(GpuFault f) {
        if (!present || f.reason() == GpuFault.Reason.DEVICE_RELEASED
                || (f.reason() == GpuFault.Reason.BUS_MASTER_DISABLED && !present())) {
            return;
        }
        faults.add(f);
    }

    // ------------------------------------------------------------------ registers without an engine

    private void installSocRegisters() {
        long mib = config.vramBytes() >> 20;
        regs.hook(FixedRegs.RCC_CONFIG_MEMSIZE, (RegisterFile.ReadOnly) () -> (int) mib);
        if (!psp.cold()) { // a cold card's PSP model owns C2PMSG_33 (IFWI readiness)
            regs.hook(FixedRegs.MP0_C2PMSG_33, (RegisterFile.ReadOnly) () -> FixedRegs.IFWI_INIT_COMPLETE);
        }
        sdmaHub.install(gmc.fbBase(), gmc.fbTop());
        if (ihHub != sdmaHub) {
            ihHub.install(gmc.fbBase(), gmc.fbTop());
        }
        installPcieIndexData();
        regs.hook(FixedRegs.MM_DATA, new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return mmData(0, false);
            }

            @Override
            public void written(int value, int old) {
                mmData(value, true);
            }
        });
    }

    /**
     * The NBIO's PCIE index/data pair: the index holds a register's byte address, the data register
     * reads and writes that register — the only way to the registers beyond BAR5
     * ({@code amdgpu_device_indirect_rreg}; {@code nbio_v*_get_pcie_index_offset}).
     */
    private void installPcieIndexData() {
        int[] nbif = profile.bases(HwIp.NBIF);
        int index = profile.nbio().pcieIndex.address(nbif);
        int data = profile.nbio().pcieData.address(nbif);
        regs.hook(data, new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                int target = Integer.divideUnsigned(regs.raw(index), 4);
                return target == data ? 0 : regs.read(target);
            }

            @Override
            public void written(int value, int old) {
                int target = Integer.divideUnsigned(regs.raw(index), 4);
                if (target != data) {
                    regs.write(target, value);
                }
            }
        });
    }

    /** MM_INDEX/MM_INDEX_HI/MM_DATA: bit 31 of MM_INDEX selects VRAM, else register space (runs under regs). */
    private int mmData(int value, boolean write) {
        int index = regs.raw(FixedRegs.MM_INDEX);
        long addr = ((long) regs.raw(FixedRegs.MM_INDEX_HI) << 31) | Integer.toUnsignedLong(index & ~FixedRegs.MM_INDEX_APER_VRAM);
        if ((index & FixedRegs.MM_INDEX_APER_VRAM) != 0) {
            MemorySegment vram = vramMap.segment();
            if ((addr & 3) != 0 || addr + 4 > vram.byteSize()) {
                return 0;
            }
            if (write) {
                vram.set(ValueLayout.JAVA_INT_UNALIGNED, addr, value);
                return 0;
            }
            return vram.get(ValueLayout.JAVA_INT_UNALIGNED, addr);
        }
        int dword = (int) (addr >>> 2);
        if (dword == FixedRegs.MM_DATA) {
            return 0;
        }
        if (write) {
            regs.write(dword, value);
            return 0;
        }
        return regs.read(dword);
    }

    private long gpuClock() {
        return (System.nanoTime() - epoch) / 10; // a 100 MHz reference clock
    }

    // ------------------------------------------------------------------ accessors for handles and control

    PciAddress address() {
        return address;
    }

    public SimProfile profile() {
        return profile;
    }

    public SimConfig config() {
        return config;
    }

    /** On the bus and answering: not removed, and not off the bus inside a mode1 reset. */
    boolean present() {
        return present && !reset.offline();
    }

    boolean removed() {
        return removed;
    }

    boolean busMaster() {
        return present() && (configSpace.command() & ConfigSpace.COMMAND_BUS_MASTER) != 0;
    }

    boolean memoryDecode() {
        return present() && (configSpace.command() & ConfigSpace.COMMAND_MEMORY) != 0;
    }

    SimConfigSpace configSpace() {
        return configSpace;
    }

    SimDmaSpace dma() {
        return dma;
    }

    MemFd vramFd() {
        return vramFd;
    }

    MemorySegment vram() {
        return vramMap.segment();
    }

    SimPsp psp() {
        return psp;
    }

    /** The firmware as another driver leaves it running (see {@link SimPsp#bootedByAnotherDriver}). */
    void bootedByAnotherDriver() {
        synchronized (regs) {
            psp.bootedByAnotherDriver();
            hubsAsLeftWarm();
        }
    }

    /** The VM hubs' apertures, L1 TLB and L2 as a warm card has them (a cold card's stay at reset: it faults). */
    private void hubsAsLeftWarm() {
        synchronized (regs) {
            sdmaHub.asLeftWarm(gmc.fbBase(), gmc.fbTop());
            ihHub.asLeftWarm(gmc.fbBase(), gmc.fbTop());
        }
    }

    RegisterFile regs() {
        return regs;
    }

    Gmc gmc() {
        return gmc;
    }

    InterruptHandler ih() {
        return ih;
    }

    List<SdmaEngine> engines() {
        return engines;
    }

    CardReset reset() {
        return reset;
    }

    Smu smu() {
        return smu;
    }

    List<GpuFault> faults() {
        return Collections.unmodifiableList(faults);
    }

    List<StrictViolation> violations() {
        return Collections.unmodifiableList(violations);
    }

    void onRemoved(Runnable r) {
        this.onRemoved = r;
    }

    // ------------------------------------------------------------------ BAR access

    int readRegister(int dword) {
        return regs.read(dword);
    }

    void writeRegister(int dword, int value) {
        hostWrites.increment();
        regs.write(dword, value);
    }

    /** A host store through BAR0 (the VRAM aperture, unmapped path). */
    void countHostWrite() {
        hostWrites.increment();
    }

    /** Host stores to registers (BAR5) and through the BAR0 aperture since power-up. */
    long hostWrites() {
        return hostWrites.sum();
    }

    long readDoorbell(long offset) {
        synchronized (doorbells) {
            return doorbells[(int) (offset >>> 3)];
        }
    }

    /** A store to BAR2: routed to the SDMA engine (64-bit) or the IH (32-bit) whose doorbell offset matches. */
    void writeDoorbell(long offset, long value, boolean wide) {
        synchronized (doorbells) {
            int i = (int) (offset >>> 3);
            doorbells[i] = wide ? value : (offset & 4) == 0
                    ? (doorbells[i] & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL)
                    : (doorbells[i] & 0xFFFF_FFFFL) | (value << 32);
        }
        if (!present()) {
            return;
        }
        int dword = (int) (offset >>> 2);
        if (ih.doorbellOffset() == offset) {
            if (router.routesToIh(dword)) {
                ih.doorbellRptr((int) value);
            } else {
                unrouted("IH", offset);
            }
            return;
        }
        for (SdmaEngine e : engines) {
            if (e.doorbellOffset() == offset) {
                if (!router.routesToSdma(e.instance(), dword)) {
                    unrouted("SDMA" + e.instance(), offset);
                    return;
                }
                if (!wide && config.strict()) {
                    violations.add(new StrictViolation("SDMA" + e.instance(), "doorbell width",
                            String.format("32-bit store to SDMA doorbell 0x%x; WDOORBELL64 is one 64-bit store", offset)));
                }
                e.doorbell(value);
                return;
            }
        }
    }

    /** A doorbell the NBIO does not route to the engine listening on it: lost, as on hardware. */
    private void unrouted(String engine, long offset) {
        if (config.strict()) {
            violations.add(new StrictViolation(engine, "unrouted doorbell", String.format(
                    "doorbell 0x%x (dword 0x%x) is outside every NBIO route to %s%s: the store never reaches it",
                    offset, offset >>> 2, engine, router.apertureEnabled() ? "" : " (the doorbell aperture is disabled)")));
        }
    }

    // ------------------------------------------------------------------ IRQs

    synchronized void setIrq(IrqType type, List<EventFd> triggers) {
        if (triggers.isEmpty()) {
            irqs.remove(type);
        } else {
            irqs.put(type, List.copyOf(triggers));
        }
    }

    synchronized boolean hasIrq(IrqType type) {
        return irqs.containsKey(type);
    }

    private synchronized EventFd trigger(IrqType type) {
        List<EventFd> l = irqs.get(type);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    /** The IH's interrupt: MSI vector 0 if enabled, else INTx unless disabled. Needs bus mastering (an MSI is a write). */
    private boolean raiseMsi() {
        if (!present()) {
            return false;
        }
        if (lostMsis.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return false;
        }
        EventFd msi = trigger(IrqType.MSI);
        if (msi != null) {
            return busMaster() && signal(msi);
        }
        EventFd intx = trigger(IrqType.INTX);
        if (intx != null && (configSpace.command() & ConfigSpace.COMMAND_INTX_DISABLE) == 0) {
            return signal(intx);
        }
        return false;
    }

    private static boolean signal(EventFd fd) {
        try {
            fd.signal();
            return true;
        } catch (RuntimeException e) {
            return false; // the driver closed its eventfd: the kernel would drop the interrupt
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** A vfio open: the first handle starts the engines, once the threads of the last release have ended. */
    void opened() {
        joinWindingDown(); // off every critical path: an open after a release
        synchronized (this) {
            if (removed) {
                throw new DeviceRemovedException(address);
            }
            if (openHandles++ == 0) {
                dma.reopen();
                if (present) {
                    engines.forEach(SdmaEngine::start);
                }
            }
        }
    }

    /**
     * The last handle's close is vfio's release: engines halted, IRQs off, DMA unmapped and every
     * device access refused (after the packet in flight), device reset. Joins no thread.
     */
    void closed() {
        boolean release;
        synchronized (this) {
            release = --openHandles == 0;
        }
        if (!release) {
            return;
        }
        boolean stopEngines = !testEnginesOutliveRelease;
        if (stopEngines) {
            haltEngines();
        }
        synchronized (this) {
            irqs.clear();
        }
        dma.release();
        if (!stopEngines) {
            dma.reopen(); // the broken model: VRAM stays reachable and no reset stops the queue
        } else if (present() && !removed) {
            // vfio_pci_core_disable resets the function only if it can take the device lock
            // (pci_dev_trylock); during a removal the remover holds it (device_release_driver),
            // so a removed device is released without a reset
            reset.releaseReset();
        }
        synchronized (this) {
            requests = null; // destroy() stops the repeater
            if (removalRequestedAt >= 0 && requestToRelease == null) {
                requestToRelease = Duration.ofNanos(System.nanoTime() - removalRequestedAt);
                notifyAll();
            }
        }
        if (removed) {
            destroy();
        }
    }

    /**
     * Halts every engine without waiting: their threads wind down and are joined later. One hold
     * of the register lock for all of them, so a woken engine thread does not take it back between two.
     */
    private void haltEngines() {
        List<Thread> halted = new ArrayList<>(engines.size());
        synchronized (regs) {
            for (SdmaEngine e : engines) {
                Thread t = e.halt();
                if (t != null) {
                    halted.add(t);
                }
            }
        }
        synchronized (this) {
            windingDown.addAll(halted);
        }
    }

    /** Waits (bounded, each) for the threads let go by earlier releases. */
    private void joinWindingDown() {
        List<Thread> ts;
        synchronized (this) {
            ts = List.copyOf(windingDown);
        }
        ts.forEach(SdmaEngine::join);
        synchronized (this) {
            windingDown.removeIf(t -> !t.isAlive());
        }
    }

    /** Blocks until every thread of the card let go by a release has ended; false on timeout. */
    boolean awaitThreadsEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> ts;
        synchronized (this) {
            ts = List.copyOf(windingDown);
        }
        for (Thread t : ts) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        synchronized (this) {
            windingDown.removeAll(ts);
        }
        return true;
    }

    /** Registers, engines and IH back to reset values; VRAM and config space are kept. */
    void resetState() {
        synchronized (regs) {
            regs.clear();
            psp.reset(); // a cold-modelled card loses its firmware (Navi31's PCI reset outcome is UNCERTAIN, spec §9.8)
            engines.forEach(SdmaEngine::resetRegisters);
            ih.reset();
            sdmaHub.reset();
            ihHub.reset();
            if (!psp.cold()) { // the warm model keeps its firmware through a reset, and the hubs as the VBIOS left them
                hubsAsLeftWarm();
            }
            regs.notifyAll();
        }
    }

    synchronized int openHandles() {
        return openHandles;
    }

    /** Orderly removal: REQ now and every {@code requestInterval} until the driver releases the device. */
    void requestRemoval() {
        beginRemoval(Duration.ZERO);
    }

    /** Surprise removal: all ones from now on, engines stop, no interrupts; REQ follows after the configured delay. */
    void surpriseRemove() {
        present = false;
        engines.forEach(SdmaEngine::wake);
        beginRemoval(config.surpriseRequestDelay());
    }

    private void beginRemoval(Duration delay) {
        boolean releaseNow;
        synchronized (this) {
            if (removed) {
                return;
            }
            removed = true;
            removalRequestedAt = System.nanoTime();
            releaseNow = openHandles == 0;
            if (!releaseNow) {
                // an orderly removal signals the first REQ at once on this thread, like the kernel;
                // the repeater's thread exists since the card was plugged, so none is started here
                boolean now = delay.isZero();
                requests = repeater;
                if (now) {
                    requests.signalNow();
                }
                requests.begin(now ? config.requestInterval() : delay);
            }
        }
        onRemoved.run();
        if (releaseNow) {
            synchronized (this) {
                requestToRelease = Duration.ZERO;
                notifyAll();
            }
            destroy();
        }
    }

    /** AER: the ERR eventfd; a fatal error takes the link down, which is a surprise removal. */
    void aer(boolean fatal) {
        if (fatal) { // the link failed before AER reports it: the handler must already see all ones
            present = false;
            engines.forEach(SdmaEngine::wake);
        }
        EventFd err = trigger(IrqType.ERR);
        if (err != null) {
            signal(err);
        }
        if (fatal) {
            surpriseRemove();
        }
    }

    void dropInterrupts(int n) {
        lostMsis.addAndGet(n);
    }

    synchronized long removalBeganNanoTime() {
        return removalRequestedAt;
    }

    Duration requestToRelease() {
        return requestToRelease;
    }

    /** Blocks until the driver released the removed card; its REQ→release time, or null on timeout. */
    synchronized Duration awaitReleased(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requestToRelease == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return requestToRelease;
    }

    /** Blocks until the destroyed card's VRAM is gone (stale mappings fault from then on); false on timeout. */
    boolean awaitVramReclaimed(Duration timeout) throws InterruptedException {
        return vramReclaimed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized int requestSignals() {
        return requests == null ? -1 : requests.signals();
    }

    synchronized List<Thread> threads() {
        List<Thread> out = new ArrayList<>();
        for (SdmaEngine e : engines) {
            Thread t = e.thread();
            if (t != null) {
                out.add(t);
            }
        }
        if (requests != null) {
            out.add(requests.thread());
        }
        return out;
    }

    private void destroy() {
        synchronized (this) {
            if (destroyed) {
                return;
            }
            destroyed = true;
        }
        present = false;
        haltEngines();
        repeater.stopSignalling();
        synchronized (this) {
            windingDown.add(repeater.thread());
        }
        destroySignal.countDown();
    }

    /**
     * The VRAM reaper: after {@link #destroy()}, waits for the threads the release let go (they
     * reach no memory any more, but they hold the model's objects), then cuts the VRAM memfd to
     * zero (vfio zaps the BAR mappings: stale ones fault) and closes it. Freeing every populated
     * page is the kernel's work after the removal, not part of the driver's release, so it runs
     * here, off the releasing thread.
     */
    private void reapVram() {
        boolean interrupted = false;
        while (true) {
            try {
                destroySignal.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // only destroy() ends the wait
            }
        }
        joinWindingDown();
        try {
            if (config.truncateVramOnRelease()) {
                Syscalls.ftruncate(vramFd.value(), 0);
            }
        } catch (RuntimeException ignored) {
            // already closed
        } finally {
            vramMap.close();
            vramFd.close();
            vramReclaimed.countDown();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tears the card down at once (bus close): handles left open see a removed device. */
    void shutdown() {
        synchronized (this) {
            removed = true;
        }
        present = false;
        synchronized (this) {
            requests = null;
        }
        repeater.cancel();
        engines.forEach(SdmaEngine::stop);
        joinWindingDown();
        synchronized (this) {
            if (openHandles > 0) {
                return; // destroyed by the last close
            }
        }
        destroy();
        try { // bus close is a synchronisation point: the card's memory and its reaper are gone after it
            vramReaper.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized boolean destroyed() {
        return destroyed;
    }
}
