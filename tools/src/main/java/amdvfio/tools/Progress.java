package amdvfio.tools;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The progress bar of long commands, on stderr (so stdout stays a clean table or JSON document),
 * with the rate and ETA. Counts iterations, or elapsed seconds for a duration-bound run. Drawn
 * only when stderr is a terminal ({@link Terminal}).
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final PrintWriter err;
    /** Written by the library's one consumer thread only. */
    private int lastLength;

    Progress(PrintWriter err, String task, long total, String unit, boolean enabled) {
        this.err = err;
        if (!enabled || !Terminal.stderrIsTerminal()) {
            bar = null;
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setRenderer(new ProgressLine(unit, !unit.equals("s")))
                .setUpdateIntervalMillis(200)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r');
                    err.print(line);
                    err.print(" ".repeat(Math.max(0, lastLength - line.length()))); // blank what a longer line left
                    lastLength = line.length();
                    err.flush();
                }, 100))
                .build();
    }

    /** Whether the bar is drawn (asked for, and stderr is a terminal). */
    boolean shown() {
        return bar != null;
    }

    void stepTo(long n, String extra) {
        if (bar != null) {
            bar.stepTo(n);
            bar.setExtraMessage(extra);
        }
    }

    static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close(); // renders the last state
            err.println(); // and ends its line, so what follows starts on its own
            err.flush();
        }
    }
}
