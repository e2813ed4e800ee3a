package amdvfio.tools;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The progress bar of long commands, on stderr (so stdout stays a clean table or JSON document),
 * with the rate and ETA. Counts iterations, or elapsed seconds for a duration-bound run.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    Progress(PrintWriter err, String task, long total, String unit, boolean enabled) {
        if (!enabled) {
            bar = null;
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r');
                    err.print(line);
                    err.flush();
                }, 100))
                .build();
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
            bar.close();
        }
    }
}
