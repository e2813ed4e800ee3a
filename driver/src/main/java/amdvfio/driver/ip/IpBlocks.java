package amdvfio.driver.ip;

import amdvfio.driver.GpuException;
import amdvfio.driver.boot.BootStep;
import amdvfio.driver.boot.DetailedSteps;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the order of the IP blocks: init runs forward (common/NBIO → GMC → IH → SDMA, as
 * {@code amdgpu_discovery_set_ip_blocks}), fini in reverse ({@code amdgpu_device_ip_fini_early}).
 * A failing hook names its block; blocks already initialised are torn down again.
 *
 * <p>Threading: probe and close run on one thread each and never concurrently (the Gpu orders them).
 */
public final class IpBlocks {

    private final DeviceContext ctx;
    private final List<IpBlock> blocks;
    private final List<BootStep> steps = new ArrayList<>();
    private int swDone;
    private int hwDone;

    public IpBlocks(DeviceContext ctx, List<IpBlock> blocks) {
        this.ctx = ctx;
        this.blocks = List.copyOf(blocks);
    }

    /** swInit then hwInit on every block in order; on failure undoes what ran and rethrows. */
    public void init() {
        try {
            for (IpBlock b : blocks) {
                run(b, "sw_init", b::swInit);
                swDone++;
            }
            for (IpBlock b : blocks) {
                long t0 = System.nanoTime();
                run(b, "hw_init", b::hwInit);
                record(b, new BootStep(b.name(), "hw_init", Duration.ofNanos(System.nanoTime() - t0)));
                hwDone++;
                ctx.log().log(Level.DEBUG, "{0}: hw_init done", b.name());
            }
        } catch (RuntimeException e) {
            earlyFini();
            lateFini();
            throw e;
        }
    }

    /** earlyFini in reverse on the blocks whose hwInit ran; errors are logged, never thrown. */
    public void earlyFini() {
        for (int i = hwDone - 1; i >= 0; i--) {
            IpBlock b = blocks.get(i);
            try { // not quietly(b, ..., b::earlyFini): the removal path links no lambda on first use
                b.earlyFini();
            } catch (RuntimeException e) {
                failed(b, "early_fini", e);
            }
        }
        hwDone = 0;
    }

    /** lateFini in reverse on the blocks whose swInit ran. */
    public void lateFini() {
        for (int i = swDone - 1; i >= 0; i--) {
            IpBlock b = blocks.get(i);
            quietly(b, "late_fini", b::lateFini);
        }
        swDone = 0;
    }

    /** A block that reports its hw_init step by step is shown by its steps, any other by its hw_init as a whole. */
    private void record(IpBlock b, BootStep whole) {
        List<BootStep> detail = b instanceof DetailedSteps d ? d.bootSteps() : List.of();
        steps.addAll(detail.isEmpty() ? List.of(whole) : detail);
    }

    /** Each block's hw_init (or its steps, where it reports them) with its time, in the order they ran. */
    public List<BootStep> steps() {
        return List.copyOf(steps);
    }

    public List<IpBlock> blocks() {
        return blocks;
    }

    private static void run(IpBlock b, String hook, Runnable r) {
        try {
            r.run();
        } catch (GpuException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GpuException(hook + " of IP block <" + b.name() + "> failed: " + e.getMessage(), e);
        }
    }

    private void quietly(IpBlock b, String hook, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failed(b, hook, e);
        }
    }

    private void failed(IpBlock b, String hook, RuntimeException e) {
        ctx.log().log(Level.WARNING, hook + " of IP block <" + b.name() + "> failed", e);
    }

    /** Unused blocks list helper for tests that want the names in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        blocks.forEach(b -> n.add(b.name()));
        return n;
    }
}
