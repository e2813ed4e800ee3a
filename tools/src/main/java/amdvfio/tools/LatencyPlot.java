package amdvfio.tools;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * {@code --plot FILE.png}: each phase's latency by percentile, the way HdrHistogram's plotter
 * draws it — percentile on a log scale of 1/(1−p), so 50%, 90%, 99%, 99.9% are evenly spaced and
 * the tail is visible — one panel per phase (their scales differ by orders of magnitude), drawn
 * with JFreeChart without a display ({@code java.awt.headless}).
 */
final class LatencyPlot {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    private LatencyPlot() {
    }

    /** Writes the PNG; a file that cannot be written is a {@link CommandFailure}. */
    static void write(Path file, PhaseLatencies lat, String title) {
        System.setProperty("java.awt.headless", "true");
        LogAxis percentile = new LogAxis("percentile");
        percentile.setBase(10);
        percentile.setTickUnit(new NumberTickUnit(1.0));
        percentile.setNumberFormatOverride(new PercentileFormat());
        double right = axisEnd(lat);
        percentile.setRange(1.0, right);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(percentile);
        plot.setGap(12);
        int i = 0;
        for (PhaseLatencies.Phase p : PhaseLatencies.Phase.values()) {
            Histogram h = lat.histogram(p);
            if (h.getTotalCount() > 0) {
                plot.add(panel(p, h, COLORS[i % COLORS.length], right), 1);
            }
            i++;
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        int height = 160 + 200 * Math.max(1, plot.getSubplots().size());
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, height);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot write the plot " + file + ": " + e.getMessage());
        }
    }

    /**
     * The right end of the percentile axis: the decade the sample count resolves (20 removals say
     * nothing about the 99.9th percentile), at least 99%, plus room for the last tick's label.
     */
    private static double axisEnd(PhaseLatencies lat) {
        long n = 1;
        for (PhaseLatencies.Phase p : PhaseLatencies.Phase.values()) {
            n = Math.max(n, lat.count(p));
        }
        return Math.max(100, Math.pow(10, Math.ceil(Math.log10(n)))) * 1.6;
    }

    private static XYPlot panel(PhaseLatencies.Phase p, Histogram h, Color color, double right) {
        XYSeries s = new XYSeries(p.label + " (" + h.getTotalCount() + "): " + p.meaning);
        for (HistogramIterationValue v : h.percentiles(5)) {
            double q = v.getPercentileLevelIteratedTo() / 100.0;
            if (q >= 1.0 || 1.0 / (1.0 - q) >= right) {
                break; // 100% is at infinity on this axis; the max is drawn as the last step
            }
            s.add(1.0 / (1.0 - q), h.highestEquivalentValue(v.getValueIteratedTo()) / 1e6);
        }
        s.add(right, h.getMaxValue() / 1e6);
        NumberAxis ms = new NumberAxis(p.label + " (ms)");
        ms.setAutoRangeIncludesZero(true);
        XYStepRenderer r = new XYStepRenderer();
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(s), null, ms, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** Tick labels of the 1/(1−p) axis as percentiles: 1 → 0%, 10 → 90%, 100 → 99%, 1000 → 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            double pct = 100.0 * (1.0 - 1.0 / x);
            String s = pct >= 99.0 ? String.format("%.4f", pct).replaceAll("0+$", "").replaceAll("\\.$", "")
                    : String.format("%.0f", pct);
            return to.append(s).append('%');
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only formatted");
        }
    }
}
