package amdvfio.sim.reset;

import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.HwIp;
import amdvfio.sim.discovery.IpEntry;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.sim.regs.RegisterFile;
import amdvfio.vfio.VfioException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * How the simulated card resets (spec amd-cold-boot.md §5.2, §9.7, §9.8).
 *
 * <p><b>Mode1</b> (the SMU's Mode1Reset, or the PSP's GFX_CTRL_CMD_ID_MODE1_RST): the card drops
 * off the bus for {@link #mode1OfflineTime} (config space and every BAR read all ones, writes are
 * lost; amdgpu sleeps 500 ms, {@code SMU13_MODE1_RESET_WAIT_TIME_IN_MS}), then comes back cold:
 * registers at reset values, PCI command register cleared (the driver restores it, as amdgpu's
 * {@code amdgpu_device_load_pci_state}), no sOS, no PMFW, every loaded firmware and the TMR gone
 * (the listeners of {@link #onFirmwareLost}). VRAM keeps its content, so the discovery table
 * survives (amdgpu re-reads it after a reset; whether the rest survives is UNCERTAIN).
 *
 * <p><b>PCI reset</b>: per {@link PciResetEffect}. On Vega10/Navi10 a reset of a warm card wedges
 * it: the PSP bootloader never reports ready again (C2PMSG_35 bit 31 stays 0) and no firmware
 * can be loaded, until the card is power-cycled (a new card in the slot). Whether the function
 * has a reset method at all is a knob ({@link #resetMethodAvailable}), as the sysfs
 * {@code reset_method} file is on a real machine; without one VFIO_DEVICE_RESET fails and vfio's
 * release leaves the card as it is.
 *
 * <p>On a card started warm (no PSP model), this class also answers C2PMSG_35 reads (ready unless
 * wedged) and C2PMSG_64: ready while the sOS runs, and GFX_CTRL_CMD_ID_MODE1_RST there is a mode1
 * reset (psp_v11_0/psp_v3_1_mode1_reset). A cold-modelled card's PSP owns both registers.
 *
 * <p>Threading: state changes happen under the register file's lock (the SMU's mailbox hooks
 * trigger mode1 under it); the offline window is read lock-free on every BAR access.
 */
public final class CardReset {

    /** What the card does to itself on a reset: registers, engines and IH to reset values. */
    public interface Hardware {
        void functionReset();

        /** The PCI command register back to its power-up value (memory decode and bus master off). */
        void configReset();
    }

    private final RegisterFile regs;
    private final PciResetEffect effect;
    private final Mp0Mailbox mp0;
    private final int[] mp0Bases;
    private final Hardware hardware;
    private final BooleanSupplier pmfwRunning;
    private final List<Runnable> firmwareLost = new CopyOnWriteArrayList<>();
    private volatile long offlineUntil;
    private volatile boolean wedged;
    private volatile Duration mode1OfflineTime = Duration.ofMillis(100);
    private volatile boolean resetMethodAvailable = true;
    private int mode1Resets;
    private int pciResets;

    public CardReset(SimProfile profile, RegisterFile regs, Hardware hardware, BooleanSupplier pmfwRunning) {
        IpEntry mp0Ip = profile.ip(HwIp.MP0);
        this.regs = regs;
        this.effect = PciResetEffect.of(profile.name());
        this.mp0 = Mp0Mailbox.forMp0(mp0Ip.major());
        this.mp0Bases = mp0Ip.bases();
        this.hardware = hardware;
        this.pmfwRunning = pmfwRunning;
    }

    public void install() {
        regs.hook(mp0.bootloader().address(mp0Bases), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return wedged ? stored & ~Mp0Mailbox.BOOTLOADER_READY : stored | Mp0Mailbox.BOOTLOADER_READY;
            }

            @Override
            public void written(int value, int old) {
                // bootloader commands belong to the PSP model
            }
        });
        regs.hook(mp0.ringControl().address(mp0Bases), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return sosRuns() ? stored | Mp0Mailbox.BOOTLOADER_READY : stored;
            }

            @Override
            public void written(int value, int old) {
                if (value == psp_gfx_if_h.GFX_CTRL_CMD_ID_MODE1_RST() && sosRuns()) {
                    mode1();
                }
            }
        });
    }

    private boolean sosRuns() {
        return regs.read(mp0.sosSignOfLife().address(mp0Bases)) != 0;
    }

    /** Registers something that a reset destroys (the PMFW, loaded firmware, the TMR). */
    public void onFirmwareLost(Runnable r) {
        firmwareLost.add(r);
    }

    // ------------------------------------------------------------------ the resets

    /** Mode1: off the bus for a while, back cold. Called by the SMU or the PSP after answering. */
    public void mode1() {
        synchronized (regs) {
            offlineUntil = Math.max(1, System.nanoTime() + mode1OfflineTime.toNanos());
            hardware.functionReset();
            hardware.configReset();
            firmwareLost.forEach(Runnable::run);
            mode1Resets++;
        }
    }

    /** VFIO_DEVICE_RESET: fails like the ioctl when the function has no reset method. */
    public void pciReset() {
        if (!resetMethodAvailable) {
            throw new VfioException("ioctl(VFIO_DEVICE_RESET) failed: ENOTTY: the function has no reset method "
                    + "(its sysfs reset_method is empty)");
        }
        functionLevelReset();
    }

    /** vfio-pci's release: it resets the function when it can, and leaves it alone otherwise. */
    public void releaseReset() {
        if (resetMethodAvailable) {
            functionLevelReset();
        }
    }

    private void functionLevelReset() {
        synchronized (regs) {
            if (effect == PciResetEffect.WEDGES_WHEN_WARM && warm()) {
                wedged = true;
            }
            hardware.functionReset(); // vfio saves and restores config space around its own resets
            firmwareLost.forEach(Runnable::run);
            pciResets++;
        }
    }

    // ------------------------------------------------------------------ state

    /** Firmware runs: the sOS shows a sign of life or the PMFW answers. */
    public boolean warm() {
        synchronized (regs) {
            return regs.read(mp0.sosSignOfLife().address(mp0Bases)) != 0 || pmfwRunning.getAsBoolean();
        }
    }

    /** True while a mode1 reset has the card off the bus. */
    public boolean offline() {
        long until = offlineUntil;
        return until != 0 && System.nanoTime() - until < 0;
    }

    public boolean wedged() {
        return wedged;
    }

    /** Whether the PSP bootloader can take commands: not while off the bus, never on a wedged card. */
    public boolean bootloaderReady() {
        return !wedged && !offline();
    }

    /** Marks the sOS alive (C2PMSG_81), as a booted card shows it; for cards started warm. */
    public void sosAlive(int signOfLife) {
        if (wedged) {
            throw new IllegalStateException("a wedged card cannot boot its firmware; power-cycle it (replug)");
        }
        regs.setRaw(mp0.sosSignOfLife().address(mp0Bases), signOfLife);
    }

    public void mode1OfflineTime(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("offline time must be >= 0: " + d);
        }
        mode1OfflineTime = d;
    }

    public void resetMethodAvailable(boolean available) {
        resetMethodAvailable = available;
    }

    public PciResetEffect effect() {
        return effect;
    }

    public int mode1Resets() {
        synchronized (regs) {
            return mode1Resets;
        }
    }

    public int pciResets() {
        synchronized (regs) {
            return pciResets;
        }
    }
}
