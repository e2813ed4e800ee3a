package amdvfio.driver.reset;

import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.driver.DeviceLostException;
import amdvfio.amdgpu.FixedRegs;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.smu.SmuMailbox;
import amdvfio.vfio.ConfigSpace;

/**
 * A mode1 reset of the whole card, in amdgpu's order ({@code amdgpu_device_mode1_reset},
 * amdgpu_device.c:5414-5470 in Linux 6.12, spec amd-cold-boot.md §5.2): bus mastering off, the
 * reset request — the SMU's Mode1Reset where the PMFW supports it, else the PSP's
 * GFX_CTRL_CMD_ID_MODE1_RST ({@code psp_gpu_reset}) — a settle time, wait until the
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

    /** Resets the card with {@code method} (or the PSP where the SMU cannot); returns the method used. */
    ResetMethod run(ResetMethod method) {
        ResetMethod used = method == ResetMethod.SMU_MODE1 ? smuOrPsp() : method;
        ConfigSpace cfg = ctx.device().config();
        int command = cfg.command();
        cfg.write16(ConfigSpace.COMMAND, command & ~ConfigSpace.COMMAND_BUS_MASTER); // pci_clear_master
        try {
            if (used == ResetMethod.SMU_MODE1) {
                smu.send("Mode1Reset", smu.messages().mode1Reset(), 0);
            } else {
                requestPspMode1();
            }
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
        return used;
    }

    /**
     * amdgpu_dpm_is_mode1_reset_supported: the SMU resets when its PMFW is new enough; otherwise
     * amdgpu falls back to psp_gpu_reset, which this driver does where the PSP has a mode1 (Navi21).
     */
    private ResetMethod smuOrPsp() {
        int version = smu.send("GetSmuVersion", smu.messages().getSmuVersion(), 0);
        if (smu.messages().supportsMode1(version)) {
            return ResetMethod.SMU_MODE1;
        }
        if (ResetMethod.pspMode1(ctx.profile())) {
            return ResetMethod.PSP_MODE1;
        }
        throw new ResetUnavailableException(String.format("%s: the PMFW (0x%08x) does not support mode1 reset "
                + "(needs 0x%08x or newer); nothing was touched. Power-cycle the card to start it cold.",
                ctx.device().address(), version, smu.messages().mode1MinPmfw()));
    }

    /**
     * psp_v11_0_mode1_reset (psp_v11_0.c:379-411) and psp_v3_1_mode1_reset (psp_v3_1.c:310-342),
     * identical: the sOS must answer on C2PMSG_64 — ready, status 0 — ("psp is not working correctly
     * before mode1 reset!" otherwise), then GFX_CTRL_CMD_ID_MODE1_RST there. Their msleep(500) and
     * C2PMSG_33 wait are the settle and IFWI waits of {@link #run}, after the card is back on the bus.
     */
    private void requestPspMode1() {
        int mask = CardRegisters.READY | psp_gfx_if_h.GFX_CMD_STATUS_MASK();
        boolean ready = HardwareWait.until(ctx, policy.bootloaderWait(), "the sOS before a PSP mode1 reset", true,
                () -> (regs.mp0(ctx, regs.ringControl()) & mask) == CardRegisters.READY);
        if (!ready) {
            throw new ResetUnavailableException(String.format("%s: the %s must be reset through its PSP, but the sOS does "
                    + "not answer on C2PMSG_64 (0x%08x; amdgpu: \"psp is not working correctly before mode1 reset!\"). "
                    + "Nothing was reset; power-cycle the card to start it cold.", ctx.device().address(),
                    ctx.profile().name(), regs.mp0(ctx, regs.ringControl())));
        }
        regs.writeMp0(ctx, regs.ringControl(), psp_gfx_if_h.GFX_CTRL_CMD_ID_MODE1_RST());
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
