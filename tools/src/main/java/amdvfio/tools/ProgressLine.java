package amdvfio.tools;

import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

import java.time.Duration;

/**
 * One progress line: {@code hotplug  42% [=====>      ] 5/12 it  2.4 it/s  ETA 0:00:03  ok}. The
 * rate is left out until there is one to show (the library's renderer prints {@code ? it/s} then),
 * and the count, unit and message are separated by spaces so they never run together.
 */
final class ProgressLine implements ProgressBarRenderer {

    private static final int BAR = 24;

    private final String unit;
    private final boolean showRate;

    ProgressLine(String unit, boolean showRate) {
        this.unit = unit;
        this.showRate = showRate;
    }

    @Override
    public String render(ProgressState s, int maxLength) {
        String line = line(s.getTaskName(), s.getCurrent() - s.getStart(), s.getCurrent(), s.getMax(),
                s.getElapsedAfterStart(), s.getExtraMessage());
        return line.length() > maxLength && maxLength > 0 ? line.substring(0, maxLength) : line;
    }

    /** The line for {@code current} of {@code max}, {@code done} of them since this run started {@code elapsed} ago. */
    String line(String task, long done, long current, long max, Duration elapsed, String extra) {
        long total = Math.max(1, max);
        double f = Math.min(1.0, Math.max(0.0, (double) current / total));
        int full = (int) (f * BAR);
        StringBuilder sb = new StringBuilder(task).append(String.format(" %3d%% [", (int) (f * 100)));
        sb.append("=".repeat(full)).append(full < BAR ? ">" : "").append(" ".repeat(Math.max(0, BAR - full - 1))).append("] ");
        sb.append(current).append('/').append(max).append(' ').append(unit);
        if (showRate && done > 0 && elapsed.toMillis() >= 1000) {
            sb.append(String.format("  %.1f %s/s", done * 1000.0 / elapsed.toMillis(), unit));
        }
        if (done > 0 && current < total) {
            long etaSeconds = elapsed.toMillis() * (total - current) / done / 1000;
            sb.append(String.format("  ETA %d:%02d:%02d", etaSeconds / 3600, etaSeconds / 60 % 60, etaSeconds % 60));
        }
        if (extra != null && !extra.isEmpty()) {
            sb.append("  ").append(extra);
        }
        return sb.toString();
    }
}
