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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio soak}: random workloads and random removals for a duration, stopping at the
 * first failure and printing the seed that reproduces the run. Nothing grows with the run's
 * length: each round is reported as it ends (a JSON line with {@code --json}) and only running
 * counts and the phase histograms are kept, so an 8-hour soak needs the memory of a minute's.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Random workloads and removals for a duration; stops at the first failure and prints the seed to replay it.",
                "Reports p50/p90/p99/p99.9/max of each unplug phase; --json streams one line per round, then a summary line."})
final class SoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "60s",
            description = "How long to run (e.g. 30s, 8h). Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--seed", description = "Seed of the random choices (default: time-based, printed).")
    Long seed;

    @Option(names = "--json", description = "JSON lines: one object per round as it ends, then one summary object.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar (there is none when stderr is not a terminal).")
    boolean noProgress;

    @Mixin
    LatencyOptions latency;

    @Override
    public Integer call() throws Exception {
        long s0 = seed != null ? seed : System.nanoTime() & 0xFFFF_FFFFL;
        SplittableRandom rnd = new SplittableRandom(s0);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CycleTally tally = new CycleTally();
        long started = System.nanoTime();
        boolean interrupted = false;
        boolean released;
        try (Testbench tb = device.open(spec, null); PhaseLatencies lat = latency.recorder()) {
            if (tb instanceof HostTestbench h) {
                h.checkControllable(false, true);
            }
            Testbench.Removal[] kinds = tb.simulated() ? Testbench.Removal.values()
                    : new Testbench.Removal[] {Testbench.Removal.ORDERLY, Testbench.Removal.UNBIND};
            if (!json) {
                out.printf("soak on %s for %d s, seed %d%n", tb.describe(), duration.toSeconds(), s0);
                out.flush();
            }
            Session s = Session.open(tb);
            try (Progress bar = new Progress(err, "soak", Progress.seconds(duration), "s", !noProgress)) {
                for (int round = 1; System.nanoTime() - started < duration.toNanos(); round++) {
                    Cancellation.check();
                    Testbench.Removal how = kinds[rnd.nextInt(kinds.length)];
                    Workload.Kind kind = Workload.Kind.values()[rnd.nextInt(Workload.Kind.values().length)];
                    Cycle.Outcome o = Cycle.run(round, tb, s, how, kind, 1 + rnd.nextInt(4), rnd.nextLong());
                    s = o.next();
                    tally.add(o.result());
                    lat.record(o.result());
                    if (json) {
                        out.println(Report.jsonLine(o.result().json()));
                        out.flush();
                    }
                    bar.stepTo((System.nanoTime() - started) / 1_000_000_000L, round + " rounds");
                    if (!o.result().ok() || s == null) {
                        break;
                    }
                }
            } catch (Cancellation.Cancelled c) {
                interrupted = true;
            } finally {
                if (s != null) {
                    s.close();
                }
                released = s == null || s.released();
            }
            report(out, tally, lat, s0, System.nanoTime() - started, interrupted, released);
            latency.finish(lat, "amdvfio soak on " + tb.describe() + ", seed " + s0);
        }
        if (interrupted) {
            throw new Cancellation.Cancelled();
        }
        Cycle.Result failed = tally.firstFailure();
        if (failed != null) {
            throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, "round " + failed.iteration() + " (" + failed.removal().name().toLowerCase()
                    + "): " + (failed.failure() != null ? failed.failure() : "leak: " + failed.leak())
                    + "; replay with --seed " + s0);
        }
        return ExitCodes.OK;
    }

    private void report(PrintWriter out, CycleTally tally, PhaseLatencies lat, long s0, long elapsed, boolean interrupted,
                        boolean released) {
        Cycle.Result failed = tally.firstFailure();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", true);
            doc.put("seed", s0);
            doc.put("rounds", tally.rounds());
            doc.put("ok", failed == null);
            doc.put("interrupted", interrupted);
            doc.put("deviceReleased", released);
            doc.put("seconds", Math.round(elapsed / 1e6) / 1e3);
            doc.put("removals", tally.removalsJson());
            doc.put("boots", tally.bootsJson());
            doc.put("fencesSignaled", tally.fencesSignaled());
            doc.put("fencesDeviceLost", tally.fencesLost());
            doc.put("latencyMs", lat.json());
            doc.put("firstFailure", failed == null ? null : failed.json());
            out.println(Report.jsonLine(doc));
        } else {
            out.println();
            lat.print(out, "per round (from removal)", null);
            out.printf("%n%d round(s) in %.1f s (%s; came back: %s), %s%s; device released: %s; seed %d%n", tally.rounds(),
                    elapsed / 1e9, tally.removalsText(), tally.bootsText(), failed == null ? "no failure" : "FAILED at round " + failed.iteration(),
                    interrupted ? " (interrupted)" : "", released ? "yes" : "NO", s0);
        }
        out.flush();
    }
}
