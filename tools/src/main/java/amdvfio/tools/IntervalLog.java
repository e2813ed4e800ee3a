package amdvfio.tools;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * HdrHistogram's interval log for long runs: every {@code interval}, one histogram per phase
 * (tagged with the phase's JSON key) of the latencies recorded in that interval, so an 8-hour soak
 * shows whether the tail drifts. Readable by HdrHistogram's HistogramLogReader, HistogramLogProcessor
 * and HdrHistogram's online plotter. Nanosecond values; the max column is in milliseconds.
 */
final class IntervalLog implements AutoCloseable {

    private final HistogramLogWriter writer;
    private final long intervalMillis;
    private final Map<PhaseLatencies.Phase, Histogram> current = new EnumMap<>(PhaseLatencies.Phase.class);
    private long intervalStartMillis;

    private IntervalLog(HistogramLogWriter writer, Duration interval) {
        this.writer = writer;
        this.intervalMillis = interval.toMillis();
        this.intervalStartMillis = System.currentTimeMillis();
        for (PhaseLatencies.Phase p : PhaseLatencies.Phase.values()) {
            current.put(p, new Histogram(3));
        }
        writer.outputLogFormatVersion();
        writer.outputComment("amdvfio unplug phase latencies in nanoseconds; tags: "
                + String.join(", ", java.util.Arrays.stream(PhaseLatencies.Phase.values()).map(p -> p.key).toList()));
        writer.setBaseTime(intervalStartMillis);
        writer.outputBaseTime(intervalStartMillis);
        writer.outputStartTime(intervalStartMillis);
        writer.outputLegend();
    }

    /** Opens {@code file} for writing; a file that cannot be created is a {@link CommandFailure}. */
    static IntervalLog open(Path file, Duration interval) {
        try {
            return new IntervalLog(new HistogramLogWriter(file.toFile()), interval);
        } catch (FileNotFoundException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot write the histogram log " + file + ": " + e.getMessage());
        }
    }

    void record(PhaseLatencies.Phase phase, long nanos) {
        long now = System.currentTimeMillis();
        if (now - intervalStartMillis >= intervalMillis) {
            flush(now);
        }
        current.get(phase).recordValue(nanos);
    }

    private void flush(long now) {
        for (Map.Entry<PhaseLatencies.Phase, Histogram> e : current.entrySet()) {
            Histogram h = e.getValue();
            if (h.getTotalCount() == 0) {
                continue;
            }
            h.setStartTimeStamp(intervalStartMillis);
            h.setEndTimeStamp(now);
            h.setTag(e.getKey().key);
            writer.outputIntervalHistogram(h);
            h.reset();
        }
        intervalStartMillis = now;
    }

    @Override
    public void close() {
        flush(System.currentTimeMillis());
        writer.close();
    }
}
