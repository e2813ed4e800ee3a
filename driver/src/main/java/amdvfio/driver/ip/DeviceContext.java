package amdvfio.driver.ip;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.HwIp;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.reg.Field;
import amdvfio.driver.reg.Reg;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import java.lang.System.Logger;

/**
 * What every IP block shares: the device, its profile and register bases, the three BARs, and
 * the VRAM size. Built once by the probe; immutable afterwards.
 *
 * <p>Threading: register access from any thread (see {@link RegisterIo}).
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
    }

    /** Absolute dword address of {@code reg} in {@code ip} ({@code SOC15_REG_OFFSET}). */
    public int address(HwIp ip, Reg reg) {
        return bases.base(ip, reg.segment()) + reg.offset();
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
