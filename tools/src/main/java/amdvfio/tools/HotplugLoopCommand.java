package amdvfio.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio hotplug-loop}: the scripted remove/rescan (or unbind/bind) loop under load, the
 * testbench form of IGT's hotreplug and SPDK's sw_hotplug. Each iteration measures the time to
 * the loss signal, to the release, and until the device is back and healthy, and checks leaks.
 */
@Command(name = "hotplug-loop", mixinStandardHelpOptions = true,
        description = {"Remove and bring back the device under load, N times or for a duration.",
                "With a workload running,",
                "measuring time to the loss signal, early fini, the release and until the device is back and healthy",
                "(p50/p90/p99/p99.9/max; --plot draws them, --histogram-log keeps HdrHistogram's interval log).",
                "On real hardware it writes sysfs remove/rescan (or unbind/bind) itself."},
        footer = {"", "Example: amdvfio hotplug-loop --sim navi10 --iterations 200"})
final class HotplugLoopCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "Iterations (default 10 unless --duration is given).")
    Integer iterations;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Run for this long instead (e.g. 30s, 10m).")
    Duration duration;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "remove",
            description = "remove (sysfs remove + rescan), unbind (unbind + bind), surprise or aer (simulator). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--workload", paramLabel = "KIND", defaultValue = "mixed",
            description = "What runs during each removal: copy, fill, mixed or idle. Default: ${DEFAULT-VALUE}.")
    String workload;

    @Option(names = "--clients", defaultValue = "2", description = "Clients submitting during each removal. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--force", description = "Take a device that drives a display or belongs to another driver.")
    boolean force;

    @Option(names = "--json", description = "JSON lines: one object per iteration as it ends, then one summary object.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar (there is none when stderr is not a terminal).")
    boolean noProgress;

    @Mixin
    LatencyOptions latency;

    @Override
    public Integer call() throws Exception {
        if (iterations != null && iterations <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--iterations must be a positive number, not " + iterations);
        }
        if (iterations != null && duration != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --iterations or --duration, not both");
        }
        if (clients < 1 || clients > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be between 1 and 64, not " + clients);
        }
        Testbench.Removal how = removal(spec, mode);
        Workload.Kind kind = kind(spec, workload);
        int n = iterations != null ? iterations : duration != null ? Integer.MAX_VALUE : 10;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CycleTally tally = new CycleTally();
        long started = System.nanoTime();
        boolean interrupted = false;
        boolean released;
        try (Testbench tb = device.open(spec, null); PhaseLatencies lat = latency.recorder()) {
            if (tb instanceof HostTestbench h) {
                h.checkControllable(force, how == Testbench.Removal.ORDERLY);
            }
            if (!json) {
                out.printf("hotplug-loop on %s: %s, %s workload, %d client(s), %s%n", tb.describe(),
                        how.name().toLowerCase(), kind.name().toLowerCase(), clients,
                        duration != null ? "for " + duration.toSeconds() + " s" : n + " iteration(s)");
                out.flush();
            }
            Leaks baseline = Leaks.now();
            Session s = Session.open(tb);
            long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
            long total = duration != null ? Progress.seconds(duration) : n;
            try (Progress bar = new Progress(err, "hotplug", total, duration != null ? "s" : "it", !noProgress)) {
                for (int i = 1; i <= n && System.nanoTime() < deadline; i++) {
                    Cancellation.check();
                    Cycle.Outcome o = Cycle.run(i, tb, s, how, kind, clients, i * 7919L);
                    tally.add(o.result());
                    lat.record(o.result());
                    s = o.next();
                    if (json) {
                        out.println(Report.jsonLine(o.result().json()));
                        out.flush();
                    } else if (!bar.shown()) {
                        out.println(o.result().line()); // a log without a progress bar still shows the loop moving
                        out.flush();
                    }
                    if (s == null || !o.result().ok()) {
                        break;
                    }
                    bar.stepTo(duration != null ? (System.nanoTime() - started) / 1_000_000_000L : i,
                            tally.failures() == 0 ? "ok" : tally.failures() + " failed");
                }
            } catch (Cancellation.Cancelled c) {
                interrupted = true;
            } finally {
                if (s != null) {
                    s.close();
                }
                released = s == null || s.released();
            }
            // after Ctrl-C there is no time to wait for threads to settle: the summary comes first
            String finalLeak = interrupted ? "" : Leaks.settle(baseline, 2000);
            long elapsed = System.nanoTime() - started;
            print(out, tb, tally, lat, finalLeak, elapsed, interrupted, released);
            latency.finish(lat, "amdvfio hotplug-loop on " + tb.describe() + ", " + how.name().toLowerCase() + " removal");
            if (interrupted) {
                throw new Cancellation.Cancelled();
            }
            Cycle.Result bad = tally.firstFailure();
            if (bad != null || !finalLeak.isEmpty()) {
                throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, bad == null ? "leak after the loop: " + finalLeak
                        : "iteration " + bad.iteration() + " failed: " + (bad.failure() != null ? bad.failure() : "leak: " + bad.leak()));
            }
        }
        return ExitCodes.OK;
    }

    static Testbench.Removal removal(CommandSpec spec, String mode) {
        return switch (mode) {
            case "remove", "orderly" -> Testbench.Removal.ORDERLY;
            case "unbind" -> Testbench.Removal.UNBIND;
            case "surprise" -> Testbench.Removal.SURPRISE;
            case "aer" -> Testbench.Removal.AER;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown --mode '" + mode + "'; choose remove, unbind, surprise or aer");
        };
    }

    static Workload.Kind kind(CommandSpec spec, String workload) {
        try {
            return Workload.Kind.parse(workload);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown --workload '" + workload + "'; choose copy, fill, mixed or idle");
        }
    }

    private void print(PrintWriter out, Testbench tb, CycleTally tally, PhaseLatencies lat, String finalLeak,
                       long elapsed, boolean interrupted, boolean released) {
        Cycle.Result bad = tally.firstFailure();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", true);
            doc.put("device", tb.describe());
            doc.put("removal", mode);
            doc.put("workload", workload);
            doc.put("clients", clients);
            doc.put("iterations", tally.rounds());
            doc.put("healthy", tally.healthy());
            doc.put("failures", tally.failures());
            doc.put("boots", tally.bootsJson());
            doc.put("interrupted", interrupted);
            doc.put("deviceReleased", released);
            doc.put("seconds", Math.round(elapsed / 1e6) / 1e3);
            doc.put("fencesSignaled", tally.fencesSignaled());
            doc.put("fencesDeviceLost", tally.fencesLost());
            doc.put("latencyMs", lat.json());
            doc.put("leakAfterLoop", finalLeak.isEmpty() ? null : finalLeak);
            doc.put("firstFailure", bad == null ? null : bad.json());
            out.println(Report.jsonLine(doc));
            out.flush();
            return;
        }
        out.println();
        lat.print(out, "per iteration (from removal)", tally.signalName());
        out.println();
        out.printf("iterations %d, healthy re-plugs %d, failures %d%s; fences signalled %d, completed with DEVICE_LOST %d%n",
                tally.rounds(), tally.healthy(), tally.failures(), interrupted ? " (interrupted)" : "",
                tally.fencesSignaled(), tally.fencesLost());
        out.printf("the card came back: %s%n", tally.bootsText());
        out.printf("device released: %s%n", released ? "yes" : "NO");
        out.printf("leaks: %s; took %.1f s%n", interrupted ? "not checked (interrupted)"
                : finalLeak.isEmpty() && bad == null ? "none (descriptors, threads, device handles back to the start)"
                : finalLeak.isEmpty() ? "see the failed iteration" : finalLeak, elapsed / 1e9);
        if (bad != null) {
            out.printf("iteration %d FAILED: %s%n", bad.iteration(), bad.failure() != null ? bad.failure() : "leak: " + bad.leak());
        }
        out.flush();
    }
}
