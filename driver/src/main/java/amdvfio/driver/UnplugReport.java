package amdvfio.driver;

import amdvfio.vfio.unplug.RerouteReport;
import amdvfio.vfio.unplug.TeardownReport;
import java.util.List;

/**
 * Everything the driver knows about a device's teardown, for users and tools (the CLI prints it):
 * the lifecycle's timeline (reason, state times, one entry per early/late-fini step with its
 * duration and failure), the fate of every buffer's contents, the client-mapping reroute, and
 * the non-fatal AER errors that were reported and survived.
 *
 * <p>Early-fini step names, in the order they run: {@value Gpu#STEP_SAVE_VRAM},
 * {@value Gpu#STEP_GUARD}, {@value Gpu#STEP_STOP_SCHEDULERS}, {@value Gpu#STEP_IRQS_OFF},
 * {@value Gpu#STEP_FORCE_COMPLETE}, {@value Gpu#STEP_REROUTE}, {@value Gpu#STEP_RELEASE_DEVICE}.
 *
 * @param teardown      the lifecycle's report ({@code teardown.state()}, {@code step(name)}, {@code nanosIn(UNPLUGGING)})
 * @param buffers       one entry per buffer alive at the loss; empty before any loss
 * @param reroute       the reroute of client mappings, or null before it ran
 * @param nonFatalAer   ERR events after which the device still answered (reported, survived)
 */
public record UnplugReport(TeardownReport teardown, List<BufferFate> buffers, RerouteReport reroute, long nonFatalAer) {

    public UnplugReport {
        buffers = List.copyOf(buffers);
    }

    /** Buffers whose contents ended with {@code fate}. */
    public long count(BufferFate.Fate fate) {
        return buffers.stream().filter(b -> b.fate() == fate).count();
    }
}
