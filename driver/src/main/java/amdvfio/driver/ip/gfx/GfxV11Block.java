package amdvfio.driver.ip.gfx;

import amdvfio.amdgpu.HwIp;
import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.driver.GpuException;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.DetailedSteps;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The part of gfx_v11_0's hw_init that SDMA needs on GC 11 after a PSP boot
 * ({@code gfx_v11_0_hw_init}, {@code gfx_v11_0.c:4498-4549}): wait for the RLC to finish the
 * backdoor autoload AUTOLOAD_RLC started (it starts the SDMA threads the PSP loaded), then enable
 * the GC hub, which SDMA v6 translates through. amdgpu waits for {@code CP_STAT == 0} and
 * {@code RLC_RLCS_BOOTLOAD_STATUS.BOOTLOAD_COMPLETE == 1}; tinygrad waits for either, and its mock
 * answers BOOTLOAD_STATUS = 0x2 (spec amd-cold-boot.md §8 C4). We follow amdgpu. On a card reused
 * warm there is nothing to wait for.
 */
public final class GfxV11Block implements IpBlock, DetailedSteps {

    /**
     * amdgpu polls {@code adev->usec_timeout} (100 000) times with udelay(1): at least 100 ms. We
     * allow 1 s: the RLC boots IMU, RLC and MEC firmware, and a slow host should not fail the boot.
     */
    private static final long TIMEOUT_NANOS = 1_000_000_000L;

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final BooleanSupplier booted;
    private final List<BootStep> steps = new ArrayList<>();

    /** @param booted whether the PSP booted the card in this probe (AUTOLOAD_RLC was sent) */
    private GfxV11Block(DeviceContext ctx, GmcBlock gmc, BooleanSupplier booted) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.booted = booted;
    }

    /** GC 11 only (Navi31): GC 10 and 9 need no RLC wait for SDMA in this driver yet. */
    public static Optional<GfxV11Block> forProfile(DeviceContext ctx, GmcBlock gmc, BooleanSupplier booted) {
        return "navi31".equals(ctx.profile().name()) ? Optional.of(new GfxV11Block(ctx, gmc, booted)) : Optional.empty();
    }

    @Override
    public String name() {
        return "gfx_v11_0";
    }

    @Override
    public void swInit() {
        // registers only
    }

    @Override
    public void hwInit() {
        steps.clear();
        if (!booted.getAsBoolean()) {
            return;
        }
        long t0 = System.nanoTime();
        waitForRlcAutoload();
        steps.add(new BootStep(name(), "RLC autoload wait", Duration.ofNanos(System.nanoTime() - t0)));
        t0 = System.nanoTime();
        gmc.reenableHub(ctx.profile().sdmaHub()); // gfx_v11_0_gfxhub_enable: only after the autoload
        steps.add(new BootStep(name(), "GC hub enable", Duration.ofNanos(System.nanoTime() - t0)));
    }

    /** gfx_v11_0_wait_for_rlc_autoload_complete. */
    private void waitForRlcAutoload() {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            int cpStat = ctx.read(HwIp.GC, PspMailboxRegs.GC11_CP_STAT);
            int boot = ctx.read(HwIp.GC, PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS);
            if (cpStat == 0 && PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.get(boot) == 1) {
                return;
            }
            ctx.checkPresent("RLC autoload wait");
            if (ctx.lost()) {
                throw new amdvfio.driver.DeviceLostException(ctx.device().address() + ": removed during the RLC autoload wait");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new GpuException(String.format("%s: the RLC autoload did not complete in %d ms (CP_STAT 0x%08x,"
                        + " RLC_RLCS_BOOTLOAD_STATUS 0x%08x): the GC firmware did not start", ctx.device().address(),
                        TIMEOUT_NANOS / 1_000_000, cpStat, boot));
            }
            LockSupport.parkNanos(10_000);
        }
    }

    @Override
    public List<BootStep> bootSteps() {
        return List.copyOf(steps);
    }

    @Override
    public void earlyFini() {
        // the RLC keeps running; GMC's early fini turns the hub off
    }

    @Override
    public void lateFini() {
    }
}
