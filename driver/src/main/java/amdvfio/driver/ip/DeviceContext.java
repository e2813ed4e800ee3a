package amdvfio.driver.ip;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.asic.AsicProfile;
import amdvfio.amdgpu.Field;
import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.Reg;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.driver.unplug.LossAwareDma;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.LossReason;
import java.lang.System.Logger;

/**
 * What every IP block shares: the device, its profile and register bases, the three BARs, and
 * the VRAM size, and the hot-unplug state every block consults: the {@link Lifecycle} (is the
 * device lost?), the {@link DeviceGuard} every BAR access goes through, and the DMA space that
 * early fini can drop at once. Built once by the probe.
 *
 * <p>Threading: register access from any thread (see {@link RegisterIo}); the loss state is
 * volatile and may be read anywhere.
 */
public final class DeviceContext {

    private final PciDevice device;
    private final AsicProfile profile;
    private final IpBases bases;
    private final RegisterIo regs;
    private final Mmio doorbells;
    private final Mmio vram;
    private final long vramSize;
    private final Logger log;
    private Lifecycle lifecycle = new Lifecycle("unattached");
    private DeviceGuard guard = new DeviceGuard(1);
    private LossAwareDma dma;
    private Mmio rawRegisters;
    private MappableRange bar0Range;
    private volatile Thread finiThread;
    private volatile boolean recoveryAfterLoss;

    public DeviceContext(PciDevice device, AsicProfile profile, IpBases bases, RegisterIo regs, Mmio doorbells,
                         Mmio vram, long vramSize) {
        this.device = device;
        this.profile = profile;
        this.bases = bases;
        this.regs = regs;
        this.doorbells = doorbells;
        this.vram = vram;
        this.vramSize = vramSize;
        this.log = System.getLogger("amdvfio.driver." + device.address());
        this.dma = new LossAwareDma(device.dma());
        this.rawRegisters = regs.bar();
    }

    /**
     * Attaches the hot-unplug machinery (the probe does this before any block runs).
     *
     * @param rawRegisters BAR5 without the guard, for the surprise check only
     * @param bar0Range    where client mappings of VRAM come from, captured while the device is open
     */
    public void attach(Lifecycle lifecycle, DeviceGuard guard, Mmio rawRegisters, MappableRange bar0Range) {
        this.lifecycle = lifecycle;
        this.guard = guard;
        this.rawRegisters = rawRegisters;
        this.bar0Range = bar0Range;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public DeviceGuard guard() {
        return guard;
    }

    /** The DMA space every buffer of this device maps through (droppable at once by early fini). */
    public LossAwareDma dma() {
        return dma;
    }

    /** BAR0's mappable range as it was at probe: usable while the device is open, and by dummy mappings after. */
    public MappableRange bar0Range() {
        return bar0Range;
    }

    /** True once teardown began (any loss signal, or close): no new work, no recovery. */
    public boolean lost() {
        return lifecycle.isLost();
    }

    /** Hands a loss to the lifecycle (which tears down on its own thread); safe from any thread, idempotent. */
    public void reportLoss(LossReason why) {
        lifecycle.trigger(why);
    }

    /** The thread running early fini: the only one that may still touch the hardware after the guard flipped. */
    public Thread finiThread() {
        return finiThread;
    }

    public void finiThread(Thread t) {
        finiThread = t;
    }

    /**
     * The surprise-removal check: the config vendor id reads 0xFFFF <b>and</b> RCC_CONFIG_MEMSIZE, a
     * register that cannot be all ones, reads 0xFFFFFFFF (a disabled memory decode alone does
     * not count). The BAR read runs inside the guard, so it never races the device's close; once
     * the guard flipped it answers "gone". Cheap: one config read while the device is there.
     */
    public boolean surpriseRemoved() {
        if (!guard.enter()) {
            return true;
        }
        try {
            if (device.isClosed()) {
                return true;
            }
            if (device.config().vendorId() != 0xFFFF) {
                return false;
            }
            return rawRegisters.read32(4L * amdvfio.driver.asic.Probe.RCC_CONFIG_MEMSIZE) == -1; // all ones: gone
        } finally {
            guard.exit();
        }
    }

    /**
     * The scheduler's recovery hook ({@code RingScheduler.EngineControl.recoveryAllowed}): never
     * after a loss (amdgpu_job_timedout: "device unplugged skipping recovery"); a timeout that
     * finds the device gone reports a surprise removal instead.
     */
    public boolean recoveryAllowed() {
        if (lost() && !recoveryAfterLoss) {
            return false;
        }
        if (surpriseRemoved()) {
            reportLoss(LossReason.SURPRISE);
            return recoveryAfterLoss && !device.isClosed();
        }
        return true;
    }

    /** Test hook (set only through the Gpu's package-private test switch): allow recovery after a loss. */
    public void recoveryAfterLoss(boolean allow) {
        recoveryAfterLoss = allow;
    }

    /** Absolute dword address of {@code reg} in {@code ip} ({@code SOC15_REG_OFFSET}). */
    public int address(HwIp ip, Reg reg) {
        return reg.address(bases.of(ip));
    }

    public int read(HwIp ip, Reg reg) {
        return regs.read(address(ip, reg));
    }

    public void write(HwIp ip, Reg reg, int value) {
        regs.write(address(ip, reg), value);
    }

    public void update(HwIp ip, Reg reg, Field field, int value) {
        regs.update(address(ip, reg), field, value);
    }

    /**
     * True while the function still answers: the config vendor id is not 0xFFFF (the check
     * {@code pci_device_is_present} makes; spec §6.4). Where the hot-unplug work lands, this is
     * replaced by the lifecycle's state.
     */
    public boolean isPresent() {
        return !device.isClosed() && device.config().isPresent();
    }

    /** Throws the ENODEV outcome when the device no longer answers. */
    public void checkPresent(String what) {
        if (!isPresent()) {
            throw new DeviceLostException(what + ": " + device.address() + " is gone (config space reads all ones)");
        }
    }

    public PciDevice device() {
        return device;
    }

    public AsicProfile profile() {
        return profile;
    }

    public IpBases bases() {
        return bases;
    }

    public RegisterIo regs() {
        return regs;
    }

    /** BAR2: 64-bit doorbell stores at byte offset dword-index × 4. */
    public Mmio doorbells() {
        return doorbells;
    }

    /** BAR0: the CPU window onto VRAM. */
    public Mmio vram() {
        return vram;
    }

    public long vramSize() {
        return vramSize;
    }

    public Logger log() {
        return log;
    }
}
