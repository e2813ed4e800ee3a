package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.firmware.IpFirmware;
import amdvfio.driver.firmware.PspComponentKind;
import amdvfio.driver.firmware.Ucode;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.time.Duration;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.LoadedFirmware;

/**
 * The PSP of MP0 13.0.0 (Navi31), amdgpu's psp_v13_0 under psp_hw_init (spec §1.1 steps 5–7,
 * §2.8): the bootloader components and the sOS, the KM ring, LOAD_TOC and the TMR, the SMU image
 * before SETUP_TMR (MP0 13.0.0 has {@code pmfw_centralized_cstate_management}: "TMR setup should
 * be performed after PMFW loaded and before other non-psp firmware loaded"), then every other
 * image in AMDGPU_UCODE_ID order with AUTOLOAD_RLC right after RLC_G ({@code autoload_supported}).
 *
 * <p>Needs the GMC's VRAM allocator (swInit after the GMC's) and a cold card: in {@code Gpu.open}
 * the card-state step before it resets a warm card (soc21_need_reset_on_init) or has it reused,
 * in which case this block does nothing. A running sOS found here anyway is refused.
 */
public final class PspV13Block implements PspBlock {

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final Supplier<FirmwareSet> firmwareSource;
    private final BooleanSupplier bootNeeded;
    private final List<PspBootStep> steps = new ArrayList<>();
    private final List<LoadedFirmware> loaded = new ArrayList<>();
    private FirmwareSet firmware;
    private boolean pmfwLoaded;
    private PspMailbox mb;
    private PspMemory mem;
    private PspKmRing ring;
    private PspCommands commands;
    private long sosVersion;
    private long tmrSize;

    /** A block that always boots, with firmware already read (tests that drive the PSP alone). */
    public PspV13Block(DeviceContext ctx, GmcBlock gmc, FirmwareSet firmware) {
        this(ctx, gmc, () -> firmware, () -> true);
    }

    /**
     * The pipeline's block: hw_init boots only if {@code bootNeeded} says so, with the firmware
     * the card-state step already had read (the supplier returns it again).
     */
    public PspV13Block(DeviceContext ctx, GmcBlock gmc, Supplier<FirmwareSet> firmware, BooleanSupplier bootNeeded) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.firmwareSource = firmware;
        this.bootNeeded = bootNeeded;
    }

    @Override
    public String name() {
        return "psp_v13_0";
    }

    /** psp_sw_init: the VRAM buffers (the firmware was read and checked before probe). */
    @Override
    public void swInit() {
        mb = new PspMailbox(ctx, PspMailboxRegs.MP_13_0_0);
        mem = new PspMemory(gmc, ctx.vram());
        ring = new PspKmRing(mb, mem);
        commands = new PspCommands(ring, mem);
    }

    /** psp_hw_start + psp_load_non_psp_fw. */
    @Override
    public void hwInit() {
        steps.clear();
        loaded.clear();
        if (!bootNeeded.getAsBoolean()) {
            return; // a warm card reused as it is: its sOS, PMFW and SDMA firmware already run
        }
        firmware = firmwareSource.get();
        if (mb.read(mb.regs.c2pmsg81) != 0) {
            throw new PspException("bootloader", -1, ctx.device().address() + ": the PSP's sOS is already running (C2PMSG_81 = 0x"
                    + Integer.toHexString(mb.read(mb.regs.c2pmsg81)) + "): the card is warm; amdgpu resets it first"
                    + " (SMU mode1): open it through Gpu.open, whose card-state step does");
        }
        sosVersion = new PspBootloader(mb, mem, (step, nanos) -> {
            steps.add(new PspBootStep(step, nanos));
            checkNotRemoved(step);
        }).boot(firmware.sos());
        recordSos();
        timed("KM ring create", () -> { ring.create(); return 0L; });
        tmrSize = timed("LOAD_TOC", () -> commands.loadToc(
                firmware.sos().component(PspComponentKind.TOC).orElseThrow(() -> new PspException("LOAD_TOC", -1,
                        firmware.sos().file().name() + " has no TOC, which MP0 13.0.0 needs")).bytes()));
        mem.allocateTmr(tmrSize);
        load(firmware.smu());
        timed("SETUP_TMR", () -> { commands.setupTmr(mem.tmr, tmrSize); return 0L; });
        for (IpFirmware fw : firmware.images()) {
            if (fw.ucode() == Ucode.SMC) {
                continue; // fw_load_skip_check: loaded above (pmfw-centralized)
            }
            load(fw);
            if (fw.ucode() == Ucode.RLC_G) {
                timed("AUTOLOAD_RLC", () -> { commands.autoloadRlc(); return 0L; });
            }
        }
    }

    private void load(IpFirmware fw) {
        timed("LOAD_IP_FW " + fw.ucode(), () -> { commands.loadIpFw(fw); return 0L; });
        loaded.add(new LoadedFirmware(fw.ucode().name(), fw.file(), fw.version()));
        if (fw.ucode() == Ucode.SMC) {
            pmfwLoaded = true;
        }
    }

    /** The sOS (with the version it reports) and the bootloader components that went before it. */
    private void recordSos() {
        String file = firmware.sos().file().name();
        loaded.add(new LoadedFirmware("SOS", file, sosVersion));
        for (var c : firmware.sos().components().values()) {
            if (!java.util.EnumSet.of(PspComponentKind.SOS, PspComponentKind.TOC, PspComponentKind.SPL, PspComponentKind.RL)
                    .contains(c.kind())) { // SPL's slot carries the KDB (C1); RL goes with the TAs amdgpu loads later
                loaded.add(new LoadedFirmware(c.kind().name(), file, c.version()));
            }
        }
    }

    private long timed(String name, Supplier<Long> step) {
        checkNotRemoved(name);
        long t0 = System.nanoTime();
        long r = step.get();
        steps.add(new PspBootStep(name, System.nanoTime() - t0));
        return r;
    }

    /**
     * An orderly removal (REQ) leaves the card answering, so nothing else stops the boot: between
     * steps, a loss the event thread reported ends it, and the kernel's removal is not held for
     * the rest of the firmware loads.
     */
    private void checkNotRemoved(String step) {
        if (ctx.lost()) {
            throw new amdvfio.driver.DeviceLostException(ctx.device().address() + ": removed during the PSP boot (after "
                    + (steps.isEmpty() ? "nothing" : steps.getLast().name()) + ", before " + step + ")");
        }
    }

    /** Early fini: nothing to stop; the ring stays (amdgpu destroys it in hw_fini, with DESTROY_TMR, on unbind only). */
    @Override
    public void earlyFini() {
    }

    @Override
    public void lateFini() {
        if (mem != null) {
            mem.free();
        }
    }

    /** The sOS version (C2PMSG_58) once booted. */
    public long sosVersion() {
        return sosVersion;
    }

    /** The TMR size LOAD_TOC asked for. */
    public long tmrSize() {
        return tmrSize;
    }

    /** The steps of the last hwInit with their times, in order. */
    public List<PspBootStep> steps() {
        return List.copyOf(steps);
    }

    @Override
    public List<BootStep> bootSteps() {
        return steps.stream().map(s -> new BootStep(name(), s.name(), Duration.ofNanos(s.nanos()))).toList();
    }

    @Override
    public List<LoadedFirmware> loadedFirmware() {
        return List.copyOf(loaded);
    }

    @Override
    public boolean pmfwLoaded() {
        return pmfwLoaded;
    }
}
