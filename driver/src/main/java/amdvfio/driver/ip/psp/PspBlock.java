package amdvfio.driver.ip.psp;

import amdvfio.driver.DeviceLostException;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.DetailedSteps;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.firmware.FirmwareSet;
import amdvfio.driver.firmware.IpFirmware;
import amdvfio.driver.firmware.PspComponent;
import amdvfio.driver.firmware.PspComponentKind;
import amdvfio.driver.firmware.Ucode;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The PSP as amdgpu's psp_hw_init drives it on a cold card, for every generation this driver
 * boots (spec amd-cold-boot.md §1.1 steps 5–7, §2, §7): the bootloader components and the sOS,
 * the KM ring (after psp_v3_1's IH reroute on Vega10), the TMR — sized by LOAD_TOC when the sOS
 * file has a TOC, else amdgpu's fixed {@code PSP_TMR_SIZE} of 4 MiB (psp_tmr_init,
 * amdgpu_psp.c:828-870) — the SMU image before SETUP_TMR where the PMFW is centralized, then every
 * other image in AMDGPU_UCODE_ID order ({@code psp_load_non_psp_fw}, amdgpu_psp.c:2824-2880),
 * with AUTOLOAD_RLC right after RLC_G where autoload is supported. {@link PspTraits} holds what
 * differs; {@link PspBlocks#forProfile} picks the block for a card.
 *
 * <p>In {@code Gpu.open} it sits between IH and SMU and boots only when the card-state step before
 * it said so (cold, or reset by it: {@code *_need_reset_on_init}); on a card reused warm it does
 * nothing. A running sOS found here anyway is refused. Between steps it stops on a reported
 * removal, so an orderly removal (the card still answers) does not wait for the remaining loads.
 */
public abstract class PspBlock implements IpBlock, DetailedSteps {

    /** amdgpu's PSP_TMR_SIZE without a TOC: 4 MiB (amdgpu_psp.h; 8 MiB only on Aldebaran). */
    static final long FIXED_TMR_BYTES = 4 * PspMemory.PSP_1_MEG;
    /** sOS file components not reported as loaded: SPL's slot carries the KDB on PSP 13 (C1), RL goes with the TAs. */
    private static final Set<PspComponentKind> NOT_REPORTED = EnumSet.of(PspComponentKind.SOS, PspComponentKind.TOC,
            PspComponentKind.SPL, PspComponentKind.RL);

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final Supplier<FirmwareSet> firmwareSource;
    private final BooleanSupplier bootNeeded;
    private final PspTraits traits;
    private final List<PspBootStep> steps = new ArrayList<>();
    private final List<LoadedFirmware> loaded = new ArrayList<>();
    private FirmwareSet firmware;
    private PspMailbox mb;
    private PspMemory mem;
    private PspKmRing ring;
    private PspCommands commands;
    private volatile boolean pmfwLoaded;
    private long sosVersion;
    private long tmrSize;

    /**
     * @param firmware   the profile's files, read and checked (by the card-state step) before anything
     *                   was written; asked for only when the card is booted
     * @param bootNeeded asked in hw_init: whether the card-state step decided to boot
     */
    PspBlock(DeviceContext ctx, GmcBlock gmc, Supplier<FirmwareSet> firmware, BooleanSupplier bootNeeded,
             PspTraits traits) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.firmwareSource = firmware;
        this.bootNeeded = bootNeeded;
        this.traits = traits;
    }

    @Override
    public String name() {
        return traits.name();
    }

    /** The MP0 version this block drives ("13.0.0", "11.0.7", "11.0.0", "9.0.0"). */
    public String mp0Version() {
        return traits.mp0();
    }

    /** psp_sw_init: the VRAM buffers (the firmware was read and checked before probe). */
    @Override
    public void swInit() {
        mb = new PspMailbox(ctx, traits.regs());
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
        requireCold();
        sosVersion = new PspBootloader(mb, mem, traits, (step, nanos) -> {
            steps.add(new PspBootStep(step, nanos));
            checkNotRemoved(step);
        }).boot(firmware.sos());
        recordSos();
        if (traits.rerouteIh()) {
            run("reroute IH", () -> new PspIhReroute(mb).run());
        }
        run("KM ring create", ring::create);
        tmrSize = sizeTmr();
        mem.allocateTmr(tmrSize);
        if (traits.pmfwCentralized()) {
            load(firmware.smu());
        }
        run("SETUP_TMR", () -> commands.setupTmr(mem.tmr, tmrSize));
        loadNonPspFirmware();
    }

    private void requireCold() {
        int sol = mb.read(mb.regs.c2pmsg81);
        if (sol != 0) {
            throw new PspException("bootloader", -1, ctx.device().address() + ": the PSP's sOS is already running (C2PMSG_81 = 0x"
                    + Integer.toHexString(sol) + "): the card is warm; amdgpu resets it first, which Gpu.open's"
                    + " card-state step does: open the card through Gpu.open");
        }
    }

    /** psp_tmr_init: LOAD_TOC's answer when the sOS file has a TOC, else the fixed size. */
    private long sizeTmr() {
        Optional<PspComponent> toc = firmware.sos().component(PspComponentKind.TOC);
        if (toc.isEmpty()) {
            return FIXED_TMR_BYTES;
        }
        return timed("LOAD_TOC", () -> commands.loadToc(toc.get().bytes()));
    }

    private void loadNonPspFirmware() {
        for (IpFirmware fw : firmware.images()) {
            if (skipped(fw.ucode())) {
                continue;
            }
            load(fw);
            if (traits.autoload() && fw.ucode() == Ucode.RLC_G) {
                run("AUTOLOAD_RLC", commands::autoloadRlc);
            }
        }
    }

    /**
     * fw_load_skip_check and the SDMA rule of psp_load_non_psp_fw. The SMC is loaded in the loop
     * only where the PMFW is not centralized and autoload is off (Vega10); psp_v3_1_smu_reload_quirk
     * (a PMFW already running) cannot hold here, since the card is cold.
     */
    private boolean skipped(Ucode ucode) {
        if (ucode == Ucode.SMC) {
            return traits.pmfwCentralized() || traits.autoload();
        }
        return traits.oneSdmaImage() && ucode == Ucode.SDMA1;
    }

    private void load(IpFirmware fw) {
        run("LOAD_IP_FW " + fw.ucode(), () -> commands.loadIpFw(fw));
        loaded.add(new LoadedFirmware(fw.ucode().name(), fw.file(), fw.version()));
        if (fw.ucode() == Ucode.SMC) {
            pmfwLoaded = true;
        }
    }

    /** The sOS (with the version it reports) and the bootloader components that went before it. */
    private void recordSos() {
        String file = firmware.sos().file().name();
        loaded.add(new LoadedFirmware("SOS", file, sosVersion));
        for (PspComponent c : firmware.sos().components().values()) {
            if (!NOT_REPORTED.contains(c.kind())) {
                loaded.add(new LoadedFirmware(c.kind().name(), file, c.version()));
            }
        }
    }

    private void run(String name, Runnable step) {
        timed(name, () -> {
            step.run();
            return 0L;
        });
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
            throw new DeviceLostException(ctx.device().address() + ": removed during the PSP boot (after "
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

    /** The TMR size: LOAD_TOC's answer, or the fixed 4 MiB without a TOC. */
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

    /** The images this boot loaded (the sOS and its bootloader components first); empty when nothing was booted. */
    public List<LoadedFirmware> loadedFirmware() {
        return List.copyOf(loaded);
    }

    /** Whether this boot handed the PMFW to the PSP (LOAD_IP_FW type SMU): the SMU answers from then on. */
    public boolean pmfwLoaded() {
        return pmfwLoaded;
    }
}
