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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio soak}: random workloads and random removals for a duration, stopping at the
 * first failure and printing the seed that reproduces the run.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Random workloads and removals for a duration; stops at the first failure and prints the seed to replay it.")
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

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        long s0 = seed != null ? seed : System.nanoTime() & 0xFFFF_FFFFL;
        SplittableRandom rnd = new SplittableRandom(s0);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Cycle.Result> results = new ArrayList<>();
        long started = System.nanoTime();
        boolean interrupted = false;
        Cycle.Result failed = null;
        try (Testbench tb = device.open(spec, null)) {
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
                    results.add(o.result());
                    s = o.next();
                    bar.stepTo((System.nanoTime() - started) / 1_000_000_000L, round + " rounds");
                    if (!o.result().ok() || s == null) {
                        failed = o.result();
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
            }
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("seed", s0);
            doc.put("rounds", results.size());
            doc.put("ok", failed == null);
            doc.put("interrupted", interrupted);
            doc.put("firstFailure", failed == null ? null : failed.json());
            doc.put("results", results.stream().map(Cycle.Result::json).toList());
            Report.json(out, doc);
        } else {
            out.printf("%d round(s) in %.1f s, %s; seed %d%n", results.size(), (System.nanoTime() - started) / 1e9,
                    failed == null ? "no failure" : "FAILED at round " + failed.iteration(), s0);
        }
        if (interrupted) {
            throw new Cancellation.Cancelled();
        }
        if (failed != null) {
            throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, "round " + failed.iteration() + " (" + failed.removal().name().toLowerCase()
                    + "): " + (failed.failure() != null ? failed.failure() : "leak: " + failed.leak())
                    + "; replay with --seed " + s0);
        }
        return ExitCodes.OK;
    }
}
