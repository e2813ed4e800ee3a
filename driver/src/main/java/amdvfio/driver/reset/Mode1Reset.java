package amdvfio.driver.reset;

import amdvfio.amdgpu.Reg;
import amdvfio.driver.DeviceLostException;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.smu.SmuMailbox;
import amdvfio.vfio.ConfigSpace;

/**
 * A mode1 reset of the whole card, in amdgpu's order ({@code amdgpu_device_mode1_reset}, spec
 * amd-cold-boot.md §5.2): bus mastering off, the reset request, a settle time, wait until the
 * card answers on the bus again, restore the command register (amdgpu restores the PCI state),
 * wait for RCC_CONFIG_MEMSIZE to read sane, then for IFWI (C2PMSG_33) and the PSP bootloader (C2PMSG_35), bus mastering back on. The card
 * is cold afterwards. A removal at any point ends in {@link DeviceLostException}; a card that
 * does not come back within {@link CardPolicy#resetReturn} is treated as gone.
 */
final class Mode1Reset {

    private final DeviceContext ctx;
    private final CardRegisters regs;
    private final SmuMailbox smu;
    private final CardPolicy policy;

    Mode1Reset(DeviceContext ctx, CardRegisters regs, SmuMailbox smu, CardPolicy policy) {
        this.ctx = ctx;
        this.regs = regs;
        this.smu = smu;
        this.policy = policy;
    }

    void run(ResetMethod method) {
        if (method == ResetMethod.PSP_MODE1) {
            throw new ResetUnavailableException(ctx.device().address() + ": this " + ctx.profile().name()
                    + " is warm from another driver and must be reset through the PSP (GFX_CTRL_CMD_ID_MODE1_RST on "
                    + "C2PMSG_64), which needs the PSP block that is not part of this build yet. Nothing was touched; "
                    + "power-cycle the card to start it cold.");
        }
        requireSmuMode1();
        ConfigSpace cfg = ctx.device().config();
        int command = cfg.command();
        cfg.write16(ConfigSpace.COMMAND, command & ~ConfigSpace.COMMAND_BUS_MASTER); // pci_clear_master
        try {
            smu.send("Mode1Reset", smu.messages().mode1Reset(), 0);
        } catch (RuntimeException e) {
            cfg.write16(ConfigSpace.COMMAND, command);
            throw e;
        }
        HardwareWait.settle(ctx, policy.mode1Settle(), "the mode1 reset to settle");
        if (!HardwareWait.until(ctx, policy.resetReturn(), "the card to return from mode1 reset", false, this::backOnBus)) {
            throw new DeviceLostException(ctx.device().address() + ": the card did not come back within "
                    + policy.resetReturn().toMillis() + " ms of a mode1 reset");
        }
        cfg.write16(ConfigSpace.COMMAND, (command & ~ConfigSpace.COMMAND_BUS_MASTER) | ConfigSpace.COMMAND_MEMORY);
        if (!HardwareWait.until(ctx, policy.bootloaderWait(), "RCC_CONFIG_MEMSIZE after mode1 reset", false,
                () -> ctx.regs().read(FixedRegs.RCC_CONFIG_MEMSIZE) != 0xFFFFFFFF)) {
            throw new DeviceLostException(ctx.device().address() + ": registers still read all ones "
                    + policy.bootloaderWait().toMillis() + " ms after the card came back from a mode1 reset");
        }
        awaitReady(regs.ifwi(), "IFWI (C2PMSG_33)");
        awaitReady(regs.bootloader(), "the PSP bootloader (C2PMSG_35)");
        cfg.write16(ConfigSpace.COMMAND, command | ConfigSpace.COMMAND_BUS_MASTER | ConfigSpace.COMMAND_MEMORY);
        smu.rearm();
    }

    private void requireSmuMode1() {
        int version = smu.send("GetSmuVersion", smu.messages().getSmuVersion(), 0);
        if (!smu.messages().supportsMode1(version)) {
            throw new ResetUnavailableException(String.format("%s: the PMFW (0x%08x) does not support mode1 reset "
                    + "(needs 0x%08x or newer); nothing was touched. Power-cycle the card to start it cold.",
                    ctx.device().address(), version, smu.messages().mode1MinPmfw()));
        }
    }

    /**
     * Config space answers again. The BARs stay dark until the command register is restored (a
     * reset clears memory decode), so RCC_CONFIG_MEMSIZE is waited for after that.
     */
    private boolean backOnBus() {
        return ctx.device().config().vendorId() != 0xFFFF;
    }

    private static boolean ready(int value) {
        return value != 0xFFFFFFFF && (value & CardRegisters.READY) != 0;
    }

    private void awaitReady(Reg reg, String what) {
        boolean ready = HardwareWait.until(ctx, policy.bootloaderWait(), what, true,
                () -> ready(regs.mp0(ctx, reg)));
        if (!ready) {
            throw new CardWedgedException(ctx.device().address() + ": after a mode1 reset, " + what
                    + " did not become ready within " + ctx.profile().name() + "'s " + policy.bootloaderWait().toMillis()
                    + " ms budget; power-cycle the card");
        }
    }
}
