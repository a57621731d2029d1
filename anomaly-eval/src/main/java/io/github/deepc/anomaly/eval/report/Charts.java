package io.github.deepc.anomaly.eval.report;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.metrics.PrecisionRecallCurve;
import io.github.deepc.anomaly.eval.metrics.RankingMetrics;
import io.github.deepc.anomaly.eval.metrics.RocCurve;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of the report, drawn with XChart on off-screen images only, so no display is needed. The library leaves
 * {@code java.awt.headless} to the application (the {@code anomaly} tool sets it; on Linux without {@code DISPLAY}
 * the JDK is headless anyway).
 */
public final class Charts {
    /** Chart width in pixels. */
    static final int WIDTH = 520;
    /** Chart height in pixels. */
    static final int HEIGHT = 400;
    private static final int BINS = 30;
    private static final Color NORMAL = new Color(0, 114, 178, 150);
    private static final Color ABNORMAL = new Color(213, 94, 0, 150);

    private Charts() {
    }

    /**
     * One labelled score set of a chart, e.g. one seed.
     *
     * @param name the legend name
     * @param rows the scored rows (both classes needed; unlabelled rows are ignored)
     */
    public record Series(String name, List<ScoreRow> rows) {
        int[] labels() {
            return labelled().stream().mapToInt(r -> r.label().code()).toArray();
        }

        double[] scores() {
            return labelled().stream().mapToDouble(ScoreRow::score).toArray();
        }

        private List<ScoreRow> labelled() {
            return rows.stream().filter(r -> r.label() != Label.UNKNOWN).toList();
        }
    }

    /**
     * ROC curves, one per series, with the chance diagonal.
     *
     * @param file   the PNG to write
     * @param title  the chart title
     * @param series the score sets
     * @throws IOException when writing fails
     */
    public static void roc(Path file, String title, List<Series> series) throws IOException {
        save(rocChart(title, series), file);
    }

    static XYChart rocChart(String title, List<Series> series) {
        XYChart chart = xy(title, "false-positive rate", "true-positive rate");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        addLine(chart, "chance", new double[] {0, 1}, new double[] {0, 1}).setLineColor(Color.LIGHT_GRAY);
        for (Series s : series) {
            RocCurve c = RankingMetrics.rocCurve(s.labels(), s.scores());
            double auc = RankingMetrics.rocAuc(s.labels(), s.scores());
            addLine(chart, String.format(Locale.ROOT, "%s (AUC %.3f)", s.name(), auc), c.fpr(), c.tpr());
        }
        return chart;
    }

    /**
     * Precision-recall curves, one per series, with the prevalence of the first series as baseline.
     *
     * @param file   the PNG to write
     * @param title  the chart title
     * @param series the score sets
     * @throws IOException when writing fails
     */
    public static void precisionRecall(Path file, String title, List<Series> series) throws IOException {
        save(precisionRecallChart(title, series), file);
    }

    static XYChart precisionRecallChart(String title, List<Series> series) {
        XYChart chart = xy(title, "recall", "precision");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        if (!series.isEmpty()) {
            int[] y = series.get(0).labels();
            double prevalence = (double) java.util.Arrays.stream(y).sum() / Math.max(1, y.length);
            addLine(chart, String.format(Locale.ROOT, "prevalence %.2f", prevalence), new double[] {0, 1},
                    new double[] {prevalence, prevalence}).setLineColor(Color.LIGHT_GRAY);
        }
        for (Series s : series) {
            PrecisionRecallCurve c = RankingMetrics.precisionRecallCurve(s.labels(), s.scores());
            double ap = RankingMetrics.averagePrecision(s.labels(), s.scores());
            XYSeries line = addLine(chart, String.format(Locale.ROOT, "%s (AP %.3f)", s.name(), ap), c.recall(), c.precision());
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        return chart;
    }

    /**
     * Histograms of the normal and the abnormal scores of one score set, on shared bins.
     *
     * @param file  the PNG to write
     * @param title the chart title
     * @param rows  the scored rows
     * @throws IOException when writing fails
     */
    public static void histogram(Path file, String title, List<ScoreRow> rows) throws IOException {
        save(histogramChart(title, rows, null), file);
    }

    /** Histograms as {@link #histogram}, with a vertical line at the threshold when there is one. */
    static XYChart histogramChart(String title, List<ScoreRow> rows, Double threshold) {
        List<Double> normal = new ArrayList<>();
        List<Double> abnormal = new ArrayList<>();
        for (ScoreRow r : rows) {
            if (r.label() == Label.NORMAL) {
                normal.add(r.score());
            } else if (r.label() == Label.ABNORMAL) {
                abnormal.add(r.score());
            }
        }
        double min = rows.stream().mapToDouble(ScoreRow::score).min().orElse(0);
        double max = rows.stream().mapToDouble(ScoreRow::score).max().orElse(1);
        if (!(max > min)) {
            double pad = Math.max(Math.abs(min) * 0.01, 1e-9);
            min -= pad;
            max += pad;
        }
        XYChart chart = xy(title, "score", "images");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(min, max));
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        addHistogram(chart, "normal (" + normal.size() + ")", normal, min, max, NORMAL);
        addHistogram(chart, "abnormal (" + abnormal.size() + ")", abnormal, min, max, ABNORMAL);
        if (threshold != null && Double.isFinite(threshold)) {
            double top = Math.max(1, Math.max(new Histogram(normal.isEmpty() ? List.of(min) : normal, BINS, min, max)
                    .getyAxisData().stream().mapToDouble(Number::doubleValue).max().orElse(1),
                    new Histogram(abnormal.isEmpty() ? List.of(min) : abnormal, BINS, min, max)
                    .getyAxisData().stream().mapToDouble(Number::doubleValue).max().orElse(1)));
            XYSeries line = addLine(chart, "threshold", new double[] {threshold, threshold}, new double[] {0, top});
            line.setLineColor(Color.BLACK);
        }
        return chart;
    }

    /** Tick labels that stay short for scores of any magnitude (reconstruction errors are often ~1e-3). */
    static String decimalPattern(double min, double max) {
        double big = Math.max(Math.abs(min), Math.abs(max));
        return max - min < 0.01 || big >= 1e4 ? "0.0##E0" : "0.###";
    }

    private static void addHistogram(XYChart chart, String name, List<Double> values, double min, double max, Color colour) {
        if (values.isEmpty()) {
            return;
        }
        Histogram h = new Histogram(values, BINS, min, max);
        XYSeries s = chart.addSeries(name, h.getxAxisData(), h.getyAxisData());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(colour);
        s.setLineColor(colour.darker());
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setLegendBackgroundColor(new Color(255, 255, 255, 200));
        chart.getStyler().setChartTitleBoxVisible(false);
        return chart;
    }

    private static XYSeries addLine(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return s;
    }

    private static void save(XYChart chart, Path file) throws IOException {
        Csv.writeAtomically(file, png(chart));
    }

    static byte[] png(XYChart chart) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        return png.toByteArray();
    }
}
