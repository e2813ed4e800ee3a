package amdvfio.driver.reset;

import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.smu.SmuMailbox;
import amdvfio.vfio.unplug.LossReason;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.DetailedSteps;

/**
 * The first step of the bring-up, before any IP block touches the card: what state is it in, and
 * what must happen first (amdgpu's {@code need_reset_on_init} + {@code amdgpu_asic_reset} in
 * {@code amdgpu_device_init}, tinygrad's partial-boot check). Cold → boot. Warm from this driver's
 * own clean shutdown and sane → reuse. Warm from anything else → mode1 reset, then boot as cold.
 * Wedged → {@link CardWedgedException} with what the user can do. It never resets at PCI level.
 *
 * <p>It also keeps the run marker: "running" once the card is ours, "clean" when a close (or an
 * orderly removal) finds the card still there after every other block stopped.
 */
public final class ResetOnInitBlock implements IpBlock, DetailedSteps {

    private final DeviceContext ctx;
    private final CardRegisters regs;
    private final RunMarker marker;
    private final CardClassifier classifier;
    private final Mode1Reset mode1;
    private final ResetMethod method;
    private final Runnable beforeBoot;
    private CardClassifier.Result found;
    private long classifyNanos;
    private long actNanos;
    private volatile CardReport report;

    public ResetOnInitBlock(DeviceContext ctx, SmuMailbox smu, CardPolicy policy) {
        this(ctx, smu, policy, () -> { });
    }

    /**
     * @param beforeBoot run once the card is known to need a boot (cold, or warm from something
     *                   else), before this or any other block writes to it: reads the firmware, so a
     *                   missing or bad file is refused with the card untouched
     */
    public ResetOnInitBlock(DeviceContext ctx, SmuMailbox smu, CardPolicy policy, Runnable beforeBoot) {
        this.ctx = ctx;
        this.regs = CardRegisters.of(ctx.profile());
        this.marker = new RunMarker(ctx, regs);
        this.classifier = new CardClassifier(ctx, regs, marker, smu, policy);
        this.mode1 = new Mode1Reset(ctx, regs, smu, policy);
        this.method = ResetMethod.forProfile(ctx.profile());
        this.beforeBoot = beforeBoot;
    }

    @Override
    public String name() {
        return "reset_on_init";
    }

    /**
     * The one look at the card before the other blocks' sw_init (the GMC's clears the GART table in
     * VRAM): classify it, and if it must be booted, have the firmware read now. Classifying only
     * reads, except that a card marked clean by this driver is asked GetSmuVersion, and such a
     * card needs no firmware unless its SMU does not answer.
     */
    @Override
    public void swInit() {
        long t0 = System.nanoTime();
        found = classifier.classify(); // includes waiting for IFWI / the PSP bootloader to be ready
        classifyNanos = System.nanoTime() - t0;
        if (found.state() == CardState.COLD || found.state() == CardState.WARM_FOREIGN) {
            beforeBoot.run();
        }
    }

    @Override
    public void hwInit() {
        long t0 = System.nanoTime();
        report = switch (found.state()) {
            case COLD -> new CardReport(CardState.COLD, found.signature(), CardReport.Action.BOOT, ResetMethod.NONE,
                    Duration.ZERO, found.note());
            case WARM_OURS -> new CardReport(CardState.WARM_OURS, found.signature(), CardReport.Action.REUSE,
                    ResetMethod.NONE, Duration.ZERO, found.note());
            case WARM_FOREIGN -> resetThenBoot(found);
            case WEDGED -> throw new CardWedgedException(wedgedMessage(found));
        };
        marker.markRunning();
        actNanos = System.nanoTime() - t0;
        ctx.log().log(Level.INFO, "{0}: card {1} ({2}; {3})", ctx.device().address(), report.summary(),
                report.note(), report.signature());
    }

    private CardReport resetThenBoot(CardClassifier.Result found) {
        long t0 = System.nanoTime();
        mode1.run(method);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        CardClassifier.Result after = classifier.classify();
        if (after.state() != CardState.COLD) {
            throw new CardWedgedException(ctx.device().address() + ": after a " + method + " reset the card is "
                    + after.state().describe() + ", not cold (" + after.signature() + "); power-cycle the card");
        }
        return new CardReport(CardState.WARM_FOREIGN, found.signature(), CardReport.Action.RESET_THEN_BOOT, method,
                took, found.note());
    }

    private String wedgedMessage(CardClassifier.Result found) {
        String head = ctx.device().address() + ": the " + ctx.profile().name() + " cannot be started: " + found.note()
                + " (" + found.signature() + "). ";
        if (ResetMethod.pciResetWedges(ctx.profile())) {
            return head + "This is the Vega10/Navi10 \"AMD reset bug\": a PCI function or bus reset (vfio-pci resets "
                    + "the function when it is opened and released, and so does writing its sysfs 'reset') hit the "
                    + "card while its firmware ran, and its PSP cannot start again. Power-cycle the card (the "
                    + "Thunderbolt enclosure, or the machine), and load the vendor-reset module "
                    + "(https://github.com/gnif/vendor-reset) so the kernel resets this card in a way it survives.";
        }
        return head + "Power-cycle the card (the Thunderbolt enclosure, or the machine).";
    }

    @Override
    public void earlyFini() {
        LossReason why = ctx.lifecycle().lossReason();
        if ((why == LossReason.CLOSE || why == LossReason.REQ) && ctx.isPresent()) {
            marker.markClean(); // every block after this one has stopped its engine or interrupt
        }
    }

    @Override
    public void lateFini() {
        // nothing held
    }

    /** The classification (with the wait for the bootloader), then the reset if one ran. */
    @Override
    public List<BootStep> bootSteps() {
        if (report == null) {
            return List.of();
        }
        String act = report.action() == CardReport.Action.RESET_THEN_BOOT ? report.method() + " reset" : "mark running";
        return List.of(new BootStep(name(), "classify: " + report.found().describe(), Duration.ofNanos(classifyNanos)),
                new BootStep(name(), act, Duration.ofNanos(actNanos)));
    }

    /** What was found and done; null until hwInit ran. */
    public CardReport report() {
        return report;
    }

    /** Whether the card-state step decided to boot the card (cold, or after a reset); false until hwInit ran. */
    public boolean bootNeeded() {
        CardReport r = report;
        return r != null && r.action() != CardReport.Action.REUSE;
    }

    /** Whether the PMFW runs now: only on a card reused warm (a reset or a cold card has none until the PSP loads it). */
    public boolean pmfwRunning() {
        CardReport r = report;
        return r != null && r.action() == CardReport.Action.REUSE;
    }
}
