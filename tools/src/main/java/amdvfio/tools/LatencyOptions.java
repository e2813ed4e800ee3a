package amdvfio.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The latency outputs of hotplug-loop, soak and watch, shared as a picocli mixin: the percentile
 * table is always printed; {@code --plot} draws it, {@code --histogram-log} keeps HdrHistogram's
 * interval log of a long run.
 */
final class LatencyOptions {

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Draw each phase's latency by percentile into a PNG at the end.")
    Path plot;

    @Option(names = "--histogram-log", paramLabel = "FILE",
            description = "Write HdrHistogram's interval log of the phase latencies (one histogram per phase per interval).")
    Path histogramLog;

    @Option(names = "--log-interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "10s",
            description = "Interval of --histogram-log. Default: ${DEFAULT-VALUE}.")
    Duration logInterval;

    /** The recorder for a run: writes the interval log if one was asked for. */
    PhaseLatencies recorder() {
        return new PhaseLatencies(histogramLog == null ? null : IntervalLog.open(histogramLog, logInterval));
    }

    /** At the end of a run (also an interrupted one): the plot, if asked for. */
    void finish(PhaseLatencies lat, String title) {
        if (plot != null) {
            LatencyPlot.write(plot, lat, title);
        }
    }
}
