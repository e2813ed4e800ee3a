package amdvfio.tools;

import amdvfio.driver.boot.BootReport;
import amdvfio.driver.client.GpuClient;
import amdvfio.vfio.sysfs.UeventMonitor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio watch}: for a physical eGPU testbench. Waits for the device to arrive, binds it to
 * vfio-pci, opens it and runs a health check; when it goes away, reports the teardown timeline;
 * counts plug/unplug cycles until stopped. On the simulator ({@code --sim}) the plug and unplug
 * events are simulated every {@code --interval}.
 *
 * <p>Arrival on real hardware is seen through the kernel's uevents (a NETLINK_KOBJECT_UEVENT
 * socket, {@link UeventMonitor}), re-checking sysfs on every event so a dropped event costs
 * nothing; where that socket is refused (no CAP_NET_ADMIN) it polls sysfs every 100 ms as SPDK
 * does. Removal is seen by the driver through the VFIO REQ/ERR eventfds.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"eGPU testbench: health-check the device on each arrival, report each teardown.",
                "Wait for the device to be plugged in, bind it to vfio-pci, open it and check its health;",
                "when it is unplugged, report the teardown timeline; count cycles until stopped (Ctrl-C)."})
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--cycles", paramLabel = "N", description = "Stop after N plug/unplug cycles (default: until Ctrl-C).")
    Integer cycles;

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "500ms",
            description = "Simulator: time between simulated plug and unplug events. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--force", description = "On arrival, bind the group even what bind's safety checks refuse.")
    boolean force;

    @Option(names = "--authorize", description = "Authorize a connected, unauthorized Thunderbolt device (as boltctl authorize).")
    boolean authorize;

    @Option(names = "--json", description = "Print one JSON document per event (JSON lines).")
    boolean json;

    @Mixin
    LatencyOptions latency;

    @Override
    public Integer call() throws Exception {
        if (cycles != null && cycles <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cycles must be a positive number, not " + cycles);
        }
        PrintWriter out = spec.commandLine().getOut();
        int done = 0;
        boolean interrupted = false;
        String watched = "";
        PhaseLatencies lat = latency.recorder();
        try (lat; Testbench tb = device.openAwaitingArrival(spec)) {
            watched = tb.describe();
            if (!json) {
                out.printf("watching %s; unplug and plug it (Ctrl-C to stop)%n", tb.describe());
                out.flush();
            }
            boolean first = true;
            while (cycles == null || done < cycles) {
                Cancellation.check();
                awaitArrival(tb, first);
                first = false;
                long t0 = System.nanoTime();
                List<Checks.Item> health = new ArrayList<>();
                Session s = Session.open(tb);
                try {
                    try (GpuClient c = s.gpu.openClient()) {
                        health.add(Checks.ringTest(c, 0));
                        health.addAll(Checks.copyFill(c, 0, 64 << 10, done));
                    }
                    boolean ok = health.stream().allMatch(Checks.Item::ok);
                    BootReport boot = s.gpu.bootReport();
                    event(out, "arrived", Map.of("cycle", done + 1, "healthy", ok, "msToHealthy", Report.ms(System.nanoTime() - t0),
                                    "boot", BootSummary.json(boot)),
                            String.format("arrived: %s, bound, opened (%s), health check %s in %s", s.gpu.profile(),
                                    BootSummary.line(boot), ok ? "passed" : "FAILED", Report.time(System.nanoTime() - t0)));
                    lat.record(PhaseLatencies.Phase.BOOT, boot.total().toNanos());
                    lat.record(PhaseLatencies.Phase.TO_HEALTHY, System.nanoTime() - t0);
                    long removedAt = -1; // known on the simulator only: a real unplug is seen first by its signal
                    if (tb instanceof SimTestbench) {
                        Cancellation.sleep(interval.toMillis());
                        removedAt = System.nanoTime();
                        tb.remove(Testbench.Removal.ORDERLY);
                    }
                    LossWatch.Event ev;
                    long tWait = System.nanoTime();
                    do {
                        Cancellation.check();
                        ev = s.watch.await(Duration.ofMillis(200));
                    } while (ev == null);
                    s.awaitDetached(Cycle.LOSS_TIMEOUT); // the driver's early fini, then the handle closes
                    var td = s.gpu.teardownReport();
                    long early = td.nanosIn(amdvfio.vfio.unplug.Lifecycle.State.UNPLUGGING);
                    boolean released = s.released();
                    long release = td.enteredAfterTrigger(amdvfio.vfio.unplug.Lifecycle.State.DETACHED);
                    List<String> steps = td.steps().stream().map(x -> x.name() + " " + Report.time(x.nanos())).toList();
                    done++;
                    recordTeardown(lat, removedAt, ev, early, release);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("cycle", done);
                    m.put("signal", ev.reason().name());
                    m.put("msEarlyFini", Report.ms(early));
                    m.put("msSignalToRelease", Report.ms(release));
                    m.put("released", released);
                    m.put("msAttached", Report.ms(ev.atNanos() - tWait));
                    m.put("steps", steps);
                    event(out, "removed", m, String.format("removed (%s): early fini %s, released %s after the signal; "
                            + "%d cycle(s)%n  teardown: %s", ev.reason(), Report.time(early), Report.time(release), done,
                            String.join(", ", steps)));
                } finally {
                    s.close();
                }
            }
        } catch (Cancellation.Cancelled | InterruptedException c) {
            interrupted = true; // the device is released; the count and the latencies so far are still reported
        }
        summary(out, done, interrupted, lat);
        latency.finish(lat, "amdvfio watch on " + watched);
        if (interrupted) {
            throw new Cancellation.Cancelled();
        }
        return ExitCodes.OK;
    }

    /** Removal (simulator) or signal (hardware: the earliest moment known) to the loss signal and the release. */
    private static void recordTeardown(PhaseLatencies lat, long removedAt, LossWatch.Event ev, long early, long release) {
        long from = removedAt >= 0 ? removedAt : ev.atNanos();
        lat.record(PhaseLatencies.Phase.TO_SIGNAL, removedAt >= 0 ? ev.atNanos() - removedAt : -1);
        lat.record(PhaseLatencies.Phase.EARLY_FINI, early);
        lat.record(PhaseLatencies.Phase.TO_RELEASE, release < 0 ? -1 : ev.atNanos() - from + release);
    }

    private void summary(PrintWriter out, int done, boolean interrupted, PhaseLatencies lat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cycles", done);
        m.put("interrupted", interrupted);
        m.put("latencyMs", lat.json());
        String human = String.format("%d plug/unplug cycle(s)%s", done, interrupted ? " (interrupted)" : "");
        if (!json && done > 0) {
            out.println();
            lat.print(out, "per cycle", null);
        }
        event(out, "stopped", m, human);
    }

    private void awaitArrival(Testbench tb, boolean first) {
        if (tb instanceof SimTestbench sim) {
            if (!first) {
                Cancellation.sleep(interval.toMillis());
                tb.bringBack(Cycle.BACK_TIMEOUT); // the simulated plug event
            }
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        new HostArrival((HostTestbench) tb, force, authorize,
                f -> event(out, "diagnostic", Map.of("kind", f.kind().name(), "subject", f.subject(), "what", f.what(),
                        "fix", f.fix()), f.what() + "\n  → " + f.fix()),
                id -> event(out, "authorized", Map.of("thunderbolt", id), "authorized Thunderbolt device " + id)).await();
    }

    private void event(PrintWriter out, String kind, Map<String, Object> fields, String human) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", kind);
            m.putAll(fields);
            out.println(Report.jsonLine(m));
        } else {
            out.println(human);
        }
        out.flush();
    }
}
