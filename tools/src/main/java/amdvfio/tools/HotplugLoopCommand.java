package amdvfio.tools;

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
import java.util.function.ToLongFunction;

/**
 * {@code amdvfio hotplug-loop}: the scripted remove/rescan (or unbind/bind) loop under load, the
 * testbench form of IGT's hotreplug and SPDK's sw_hotplug. Each iteration measures the time to
 * the loss signal, to the release, and until the device is back and healthy, and checks leaks.
 */
@Command(name = "hotplug-loop", mixinStandardHelpOptions = true,
        description = {"Remove and bring back the device under load, N times or for a duration.",
                "With a workload running,",
                "measuring time to the loss signal, to the release and until the device is back and healthy.",
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

    @Option(names = "--json", description = "Print one JSON document (every iteration and the summary).")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

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
        List<Cycle.Result> results = new ArrayList<>();
        long started = System.nanoTime();
        boolean interrupted = false;
        try (Testbench tb = device.open(spec, null)) {
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
                    results.add(o.result());
                    if (o.next() == null) {
                        s.close();
                        s = null;
                        break;
                    }
                    s = o.next();
                    long failures = results.stream().filter(r -> !r.ok()).count();
                    bar.stepTo(duration != null ? (System.nanoTime() - started) / 1_000_000_000L : i,
                            failures == 0 ? "ok" : failures + " failed");
                    if (!o.result().ok()) {
                        break;
                    }
                }
            } catch (Cancellation.Cancelled c) {
                interrupted = true;
            } finally {
                if (s != null) {
                    s.close();
                }
                err.println();
                err.flush();
            }
            String finalLeak = Leaks.settle(baseline, 2000);
            long elapsed = System.nanoTime() - started;
            print(out, tb, results, finalLeak, elapsed, interrupted);
            if (interrupted) {
                throw new Cancellation.Cancelled();
            }
            boolean failed = results.stream().anyMatch(r -> !r.ok()) || !finalLeak.isEmpty();
            if (failed) {
                Cycle.Result bad = results.stream().filter(r -> !r.ok()).findFirst().orElse(null);
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

    private void print(PrintWriter out, Testbench tb, List<Cycle.Result> results, String finalLeak, long elapsed,
                       boolean interrupted) {
        long healthy = results.stream().filter(Cycle.Result::ok).count();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", tb.describe());
            doc.put("removal", mode);
            doc.put("workload", workload);
            doc.put("clients", clients);
            doc.put("iterations", results.size());
            doc.put("healthy", healthy);
            doc.put("failures", results.size() - healthy);
            doc.put("interrupted", interrupted);
            doc.put("seconds", Math.round(elapsed / 1e6) / 1e3);
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("toSignal", stat(results, Cycle.Result::toSignal));
            stats.put("earlyFini", stat(results, Cycle.Result::earlyFini));
            stats.put("toRelease", stat(results, Cycle.Result::toRelease));
            stats.put("toHealthy", stat(results, Cycle.Result::toHealthy));
            doc.put("statsMs", stats);
            doc.put("leakAfterLoop", finalLeak.isEmpty() ? null : finalLeak);
            doc.put("results", results.stream().map(Cycle.Result::json).toList());
            Report.json(out, doc);
            return;
        }
        out.println();
        out.printf("%-28s %10s %10s %10s%n", "per iteration (from removal)", "min", "median", "max");
        row(out, "loss signal (" + signalName(results) + ")", results, Cycle.Result::toSignal);
        row(out, "early fini", results, Cycle.Result::earlyFini);
        row(out, "released", results, Cycle.Result::toRelease);
        row(out, "back and healthy", results, Cycle.Result::toHealthy);
        long lost = results.stream().mapToLong(Cycle.Result::fencesLost).sum();
        long signaled = results.stream().mapToLong(Cycle.Result::fencesSignaled).sum();
        out.println();
        out.printf("iterations %d, healthy re-plugs %d, failures %d%s; fences signalled %d, completed with DEVICE_LOST %d%n",
                results.size(), healthy, results.size() - healthy, interrupted ? " (interrupted)" : "", signaled, lost);
        out.printf("leaks: %s; took %.1f s%n", finalLeak.isEmpty() && results.stream().allMatch(r -> r.leak().isEmpty())
                ? "none (descriptors, threads, device handles back to the start)" : finalLeak, elapsed / 1e9);
        for (Cycle.Result r : results) {
            if (!r.ok()) {
                out.printf("iteration %d FAILED: %s%n", r.iteration(), r.failure() != null ? r.failure() : "leak: " + r.leak());
            }
        }
        out.flush();
    }

    private static String signalName(List<Cycle.Result> results) {
        return results.stream().filter(r -> r.signal() != null).map(r -> r.signal().name()).findFirst().orElse("-");
    }

    private static Map<String, Object> stat(List<Cycle.Result> results, ToLongFunction<Cycle.Result> f) {
        long[] v = results.stream().mapToLong(f).filter(x -> x >= 0).toArray();
        long[] s = Report.stats(v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", Report.ms(s[0]));
        m.put("median", Report.ms(s[1]));
        m.put("max", Report.ms(s[2]));
        return m;
    }

    private static void row(PrintWriter out, String name, List<Cycle.Result> results, ToLongFunction<Cycle.Result> f) {
        long[] s = Report.stats(results.stream().mapToLong(f).filter(x -> x >= 0).toArray());
        out.printf("%-28s %10s %10s %10s%n", name, Report.time(s[0]), Report.time(s[1]), Report.time(s[2]));
    }
}
