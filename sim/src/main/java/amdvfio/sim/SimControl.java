package amdvfio.sim;

import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.gmc.GpuFault;
import amdvfio.sim.ih.IhState;
import amdvfio.sim.sdma.EngineState;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

/**
 * The test-facing side channel of one simulated card: fault injection and what the hardware did.
 * The driver must never use it — a driver sees faults only the hardware way (all-ones reads,
 * eventfds, IVs, stuck pointers). Every method is safe from any thread.
 */
public final class SimControl {

    private final SimGpu gpu;

    SimControl(SimGpu gpu) {
        this.gpu = gpu;
    }

    public SimProfile profile() {
        return gpu.profile();
    }

    /** What the PSP has done so far (a warm card reports its firmware as running). */
    public amdvfio.sim.psp.PspState psp() {
        return gpu.psp().state();
    }

    // ------------------------------------------------------------------ fault injection

    /**
     * Orderly removal (sysfs remove, unbind): REQ is signalled now and every
     * {@link SimConfig#requestInterval()} until the driver closes its handles; the device keeps
     * working meanwhile. Then the slot is empty.
     */
    public void requestRemoval() {
        gpu.requestRemoval();
    }

    /**
     * Surprise removal (cable pulled): registers and BARs read all ones, the config vendor id reads
     * 0xFFFF, engines stop, no more interrupts; REQ follows after
     * {@link SimConfig#surpriseRequestDelay()} as pciehp removes the device.
     */
    public void surpriseRemove() {
        gpu.surpriseRemove();
    }

    /** An AER error: the ERR eventfd is signalled; {@code fatal} also takes the link down (a surprise removal). */
    public void aerError(boolean fatal) {
        gpu.aer(fatal);
    }

    /** Engine {@code instance} stops making progress (its rptr freezes); the device still answers. */
    public void hangEngine(int instance) {
        gpu.engines().get(instance).hang(true);
    }

    /** Undoes {@link #hangEngine} (a halt of the engine by the driver also does). */
    public void unhangEngine(int instance) {
        gpu.engines().get(instance).hang(false);
    }

    /** The next {@code n} MSIs are lost: the IVs are written, the eventfd is not signalled. */
    public void dropInterrupts(int n) {
        gpu.dropInterrupts(n);
    }

    // ------------------------------------------------------------------ firmware state and resets

    /**
     * Starts the card warm, as another driver (amdgpu, tinygrad's AM, an earlier run of this one)
     * leaves it: the sOS shows a sign of life in C2PMSG_81 and the PMFW answers the SMU mailbox;
     * on a cold-modelled card the PSP's sOS also answers its ring control (a PSP mode1 finds it) and
     * the SDMA firmware runs.
     */
    public void startWarm() {
        gpu.reset().sosAlive(SOS_SIGN_OF_LIFE);
        gpu.bootedByAnotherDriver();
        gpu.smu().loadPmfw();
    }

    /** Any non-zero value: C2PMSG_81's content is the sOS's to define (spec §5.1 tests only != 0). */
    private static final int SOS_SIGN_OF_LIFE = 0x1;

    /** The SMU (MP1): its PMFW state, the driver table and features it was told, and test knobs. */
    public amdvfio.sim.smu.Smu smu() {
        return gpu.smu();
    }

    /** How long a mode1 reset keeps the card off the bus (default 100 ms; amdgpu waits 500 ms). */
    public void mode1OfflineTime(Duration d) {
        gpu.reset().mode1OfflineTime(d);
    }

    /** Whether the function has a PCI reset method (sysfs reset_method); without one VFIO_DEVICE_RESET fails. */
    public void pciResetAvailable(boolean available) {
        gpu.reset().resetMethodAvailable(available);
    }

    /** Firmware runs on the card (sOS sign of life or a PMFW that answers). */
    public boolean isWarm() {
        return gpu.reset().warm();
    }

    /** The "AMD reset bug" state (Vega10/Navi10 after a PCI reset of a warm card): only a power cycle helps. */
    public boolean isWedged() {
        return gpu.reset().wedged();
    }

    /** True while a mode1 reset keeps the card off the bus. */
    public boolean isResetting() {
        return gpu.reset().offline();
    }

    public int mode1Resets() {
        return gpu.reset().mode1Resets();
    }

    /** PCI function resets so far: VFIO_DEVICE_RESET and vfio's reset on release. */
    public int pciResets() {
        return gpu.reset().pciResets();
    }

    // ------------------------------------------------------------------ observation

    /**
     * Host stores to the card since it was plugged: BAR5 registers and BAR0 through {@code mmio}
     * (not stores into a client's direct mapping of VRAM). Lets a test prove "nothing was touched".
     */
    public long hostWrites() {
        return gpu.hostWrites();
    }

    public boolean isPresent() {
        return gpu.present();
    }

    /** True once the card left its slot (removal requested or surprise). */
    public boolean isRemoved() {
        return gpu.removed();
    }

    public EngineState engine(int instance) {
        return gpu.engines().get(instance).state();
    }

    public int engineCount() {
        return gpu.engines().size();
    }

    public IhState ih() {
        return gpu.ih().state();
    }

    /** Every refused memory access so far (address, client, read/write, reason). */
    public List<GpuFault> faults() {
        return List.copyOf(gpu.faults());
    }

    /** Everything strict mode flagged so far. */
    public List<StrictViolation> strictViolations() {
        return List.copyOf(gpu.violations());
    }

    /** How long the driver took from the first REQ (or surprise) to releasing the device; null until released. */
    public Duration requestToRelease() {
        return gpu.requestToRelease();
    }

    /**
     * The {@link System#nanoTime()} at which the pending removal began (the orderly removal's first
     * REQ is signalled right after it), or -1 if none began: the origin of {@link #requestToRelease()}.
     */
    public long removalBeganNanoTime() {
        return gpu.removalBeganNanoTime();
    }

    /** Blocks until the driver released the removed card; its REQ→release time, or null on timeout. */
    public Duration awaitReleased(Duration timeout) throws InterruptedException {
        return gpu.awaitReleased(timeout);
    }

    /**
     * Blocks until a removed and released card's VRAM is gone — the kernel's reclaim after the
     * removal, done off the release (stale mappings fault from then on); false on timeout.
     */
    public boolean awaitVramReclaimed(Duration timeout) throws InterruptedException {
        return gpu.awaitVramReclaimed(timeout);
    }

    /** How many times REQ has been signalled for the pending removal (-1 if none is pending). */
    public int requestSignals() {
        return gpu.requestSignals();
    }

    /**
     * The model's threads at work (the engines of an open card, the REQ repeater), for idle
     * checks. A release lets its threads go without waiting for them: see {@link #awaitThreadsEnded}.
     */
    public List<Thread> threads() {
        return gpu.threads();
    }

    /**
     * Blocks until every thread a release let go (halted engines, the REQ repeater) has ended —
     * the leak check after a close; false on timeout. They reach no memory from the release on.
     */
    public boolean awaitThreadsEnded(Duration timeout) throws InterruptedException {
        return gpu.awaitThreadsEnded(timeout);
    }

    public int openHandles() {
        return gpu.openHandles();
    }

    /** VRAM as the model sees it (tests may inspect it; the driver goes through BAR0). */
    public MemorySegment vram() {
        return gpu.vram();
    }

    /** The MC address of VRAM offset 0 (what MC_VM_FB_LOCATION_BASE says). */
    public long fbBase() {
        return gpu.gmc().fbBase();
    }

    /** Raw register read bypassing presence (for tests of the model itself). */
    public int peekRegister(int dword) {
        return gpu.regs().read(dword);
    }
}
