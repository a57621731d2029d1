package io.github.deepc.anomaly.eval.report;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.metrics.RankingMetrics;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * A self-contained HTML report of one scored data set, for people: a summary in words, rounded figures, ROC and
 * precision-recall curves, score histograms with the threshold, the confusion matrix at the threshold, a breakdown
 * by group (anomaly kind or class) and a gallery (highest and lowest scores, worst mistakes) of original, heat map
 * and overlay side by side on one shared colour scale, with ground-truth outlines where masks are known.
 *
 * <p>Every chart and image is embedded as a base64 PNG, so the single file opens anywhere without a network.
 */
public final class ScoreReport {
    /** Images per gallery group. */
    static final int GALLERY = 6;
    /** Side in pixels at which gallery images are shown. */
    static final int VIEW = 192;

    private ScoreReport() {
    }

    /**
     * One scored image.
     *
     * @param row     its score row (path, label, score, decision)
     * @param group   what kind of image it is (anomaly kind or class name), shown in the breakdown; never null
     * @param image   the image the detector saw (after preprocessing), or null when not kept
     * @param heatmap its heat map (same size as {@code image}), or null
     * @param truth   ground-truth anomaly mask (row-major, same size as {@code image}), or null when unknown
     */
    public record Item(ScoreRow row, String group, GrayImage image, GrayImage heatmap, boolean[] truth) {
        /** Checks the fields. */
        public Item {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(group, "group");
            if (heatmap != null && image != null
                    && (heatmap.width() != image.width() || heatmap.height() != image.height())) {
                throw new IllegalArgumentException("heat map of " + row.path() + " is " + heatmap.width() + "x"
                        + heatmap.height() + " but its image is " + image.width() + "x" + image.height());
            }
            if (truth != null && image != null && truth.length != image.width() * image.height()) {
                throw new IllegalArgumentException("mask of " + row.path() + " has " + truth.length
                        + " pixels, its image " + image.width() * image.height());
            }
        }
    }

    /**
     * Writes the report atomically.
     *
     * @param file      the HTML file
     * @param title     the page title
     * @param detector  one line describing the detector (model, scorer, training data), may be empty
     * @param items     the scored images
     * @param threshold the decision threshold, or null when the detector has none
     * @param notes     extra lines shown under the summary (e.g. how the data were made), may be empty
     * @throws IOException when writing fails
     */
    public static void write(Path file, String title, String detector, List<Item> items, Threshold threshold,
                             List<String> notes) throws IOException {
        Csv.writeAtomically(file, html(title, detector, items, threshold, notes));
    }

    /**
     * The report as one HTML string (see {@link #write}).
     *
     * @param title     the page title
     * @param detector  one line describing the detector, may be empty
     * @param items     the scored images
     * @param threshold the decision threshold, or null
     * @param notes     extra lines shown under the summary, may be empty
     * @return the page
     * @throws IOException when an image cannot be encoded
     */
    public static String html(String title, String detector, List<Item> items, Threshold threshold,
                              List<String> notes) throws IOException {
        List<ScoreRow> rows = items.stream().map(Item::row).toList();
        List<ScoreRow> labelled = rows.stream().filter(r -> r.label() != Label.UNKNOWN).toList();
        long positives = labelled.stream().filter(r -> r.label() == Label.ABNORMAL).count();
        long negatives = labelled.size() - positives;
        boolean ranked = positives > 0 && negatives > 0;

        StringBuilder h = new StringBuilder(8192);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body><h1>").append(esc(title))
                .append("</h1>");
        if (!detector.isBlank()) {
            h.append("<p class=\"muted\">Detector: ").append(esc(detector)).append("</p>");
        }
        h.append("<h2>Summary</h2>");
        h.append("<p>").append(items.size()).append(" images: ").append(negatives).append(" normal, ")
                .append(positives).append(" abnormal");
        if (rows.size() > labelled.size()) {
            h.append(", ").append(rows.size() - labelled.size()).append(" without a label");
        }
        h.append(".</p>");
        if (ranked) {
            int[] y = labels(labelled);
            double[] s = scores(labelled);
            double auc = RankingMetrics.rocAuc(y, s);
            double ap = RankingMetrics.averagePrecision(y, s);
            h.append("<p class=\"big\">").append(aucSentence(auc)).append("</p>");
            h.append("<p>Average precision ").append(f2(ap)).append(" (a detector that ranks at random would get ")
                    .append(f2((double) positives / labelled.size()))
                    .append(", the share of abnormal images): of the images ranked at or above each abnormal one, on average ")
                    .append(pct(ap)).append(" are abnormal.</p>");
        } else {
            h.append("<p>ROC-AUC and average precision need both normal and abnormal labelled images.</p>");
        }
        for (String n : notes) {
            h.append("<p class=\"muted\">").append(esc(n)).append("</p>");
        }
        thresholdSection(h, labelled, threshold);
        if (ranked) {
            groupSection(h, items, threshold);
            h.append("<h2>Curves and score distributions</h2><div class=\"row\">");
            List<Charts.Series> series = List.of(new Charts.Series("all images", labelled));
            img(h, Charts.png(Charts.rocChart("ROC curve", series)), "ROC curve", 0);
            img(h, Charts.png(Charts.precisionRecallChart("Precision-recall curve", series)), "precision-recall curve", 0);
            img(h, Charts.png(Charts.histogramChart("Scores of normal and abnormal images", labelled,
                    threshold == null ? null : threshold.value())), "score histograms", 0);
            h.append("</div><p class=\"muted\">The ROC curve shows, for every possible threshold, the share of abnormal")
                    .append(" images flagged (true-positive rate) against the share of normal images flagged (false-positive")
                    .append(" rate); the diagonal is chance. The histograms show how far apart the two groups' scores lie")
                    .append(threshold == null ? "." : "; the black line is the threshold.").append("</p>");
        }
        gallery(h, items);
        h.append("</body></html>\n");
        return h.toString();
    }

    /** The ROC-AUC in words, as its probabilistic meaning. */
    static String aucSentence(double auc) {
        String verdict = auc >= 0.9 ? "the detector separates the two groups well"
                : auc >= 0.75 ? "useful, with overlap between the groups"
                : auc > 0.55 ? "weak: the groups overlap a lot"
                : auc >= 0.45 ? "no better than chance" : "worse than chance: abnormal images look more normal";
        return "ROC-AUC " + f2(auc) + ": a random abnormal image scores higher than a random normal one "
                + Math.round(auc * 100) + " % of the time (" + verdict + ").";
    }

    private static void thresholdSection(StringBuilder h, List<ScoreRow> labelled, Threshold threshold) {
        h.append("<h2>Decisions at the threshold</h2>");
        if (threshold == null) {
            h.append("<p>The detector has no stored threshold, so images are ranked but not called normal or abnormal"
                    + " (set one with <code>anomaly threshold</code>).</p>");
            return;
        }
        long tp = 0;
        long fn = 0;
        long fp = 0;
        long tn = 0;
        for (ScoreRow r : labelled) {
            boolean flagged = threshold.isAbnormal(r.score());
            if (r.label() == Label.ABNORMAL) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        h.append("<p>Threshold ").append(num(threshold.value())).append(" (").append(esc(threshold.method()));
        if (!threshold.description().isEmpty()) {
            h.append(": ").append(esc(threshold.description()));
        }
        h.append("): a score at or above it is called abnormal.");
        if (tp + fn > 0) {
            h.append(" It flags ").append(tp).append(" of ").append(tp + fn).append(" abnormal images (sensitivity ")
                    .append(pct((double) tp / (tp + fn))).append(")");
        }
        if (fp + tn > 0) {
            h.append(" and raises ").append(fp).append(" false alarms among ").append(fp + tn)
                    .append(" normal images (specificity ").append(pct((double) tn / (fp + tn))).append(")");
        }
        h.append(".</p><table class=\"cm\"><tr><th></th><th>called normal</th><th>called abnormal</th></tr>")
                .append("<tr><th>normal</th><td class=\"ok\">").append(tn).append("</td><td class=\"bad\">").append(fp)
                .append("</td></tr><tr><th>abnormal</th><td class=\"bad\">").append(fn).append("</td><td class=\"ok\">")
                .append(tp).append("</td></tr></table>");
    }

    private static void groupSection(StringBuilder h, List<Item> items, Threshold threshold) {
        Map<String, List<ScoreRow>> byGroup = new LinkedHashMap<>();
        List<ScoreRow> normals = new ArrayList<>();
        for (Item it : items) {
            if (it.row().label() == Label.NORMAL) {
                normals.add(it.row());
            } else if (it.row().label() == Label.ABNORMAL) {
                byGroup.computeIfAbsent(it.group(), g -> new ArrayList<>()).add(it.row());
            }
        }
        if (byGroup.isEmpty()) {
            return;
        }
        h.append("<h2>By kind</h2><p>Each abnormal group against all ").append(normals.size())
                .append(" normal images.</p><table><tr><th>group</th><th>images</th><th>ROC-AUC</th>")
                .append("<th>median score</th>").append(threshold == null ? "" : "<th>flagged</th>").append("</tr>");
        h.append("<tr><td>normal</td><td>").append(normals.size()).append("</td><td></td><td>")
                .append(num(median(normals))).append("</td>");
        if (threshold != null) {
            h.append("<td>").append(pct(flagged(normals, threshold))).append(" (false alarms)</td>");
        }
        h.append("</tr>");
        for (Map.Entry<String, List<ScoreRow>> e : byGroup.entrySet()) {
            List<ScoreRow> both = new ArrayList<>(normals);
            both.addAll(e.getValue());
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(e.getValue().size()).append("</td><td>")
                    .append(normals.isEmpty() ? "" : f2(RankingMetrics.rocAuc(labels(both), scores(both))))
                    .append("</td><td>").append(num(median(e.getValue()))).append("</td>");
            if (threshold != null) {
                h.append("<td>").append(pct(flagged(e.getValue(), threshold))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static void gallery(StringBuilder h, List<Item> items) throws IOException {
        List<Item> withImages = items.stream().filter(i -> i.image() != null).toList();
        if (withImages.isEmpty()) {
            return;
        }
        Comparator<Item> byScore = Comparator.comparingDouble(i -> i.row().score());
        List<Item> desc = withImages.stream().sorted(byScore.reversed()).toList();
        Map<String, List<Item>> groups = new LinkedHashMap<>();
        groups.put("Highest scores (most abnormal)", desc.stream().limit(GALLERY).toList());
        groups.put("Lowest scores (most normal)", withImages.stream().sorted(byScore).limit(GALLERY).toList());
        groups.put("Worst false alarms: normal images with the highest scores",
                pick(desc, i -> i.row().label() == Label.NORMAL));
        groups.put("Worst misses: abnormal images with the lowest scores",
                pick(withImages.stream().sorted(byScore).toList(), i -> i.row().label() == Label.ABNORMAL));
        double scale = sharedScale(groups.values().stream().flatMap(List::stream).collect(Collectors.toSet()));
        h.append("<h2>Gallery</h2>");
        if (scale > 0) {
            h.append("<p>Each image shows the input the detector saw | its heat map | the heat map over the input. All heat")
                    .append(" maps share one colour scale (0 to ").append(num(scale))
                    .append(", the 99.5th percentile of the shown heat; higher values saturate)")
                    .append(withImages.stream().anyMatch(i -> i.truth() != null)
                            ? "; the green outline is the ground-truth anomaly." : ".")
                    .append("</p><div class=\"bar\"><span>0</span>");
            img(h, colourBar(), "colour bar", 0);
            h.append("<span>").append(num(scale)).append("</span></div>");
        }
        for (Map.Entry<String, List<Item>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            h.append("<h3>").append(esc(g.getKey())).append("</h3><div class=\"gallery\">");
            for (Item it : g.getValue()) {
                figure(h, it, scale);
            }
            h.append("</div>");
        }
    }

    private static List<Item> pick(List<Item> ordered, Predicate<Item> which) {
        return ordered.stream().filter(which).limit(GALLERY).toList();
    }

    /** The 99.5th percentile of all shown heat values: one outlier pixel does not wash out every other map. */
    static double sharedScale(Set<Item> shown) {
        int n = 0;
        for (Item it : shown) {
            n += it.heatmap() == null ? 0 : it.heatmap().unsafePixels().length;
        }
        if (n == 0) {
            return 0;
        }
        float[] all = new float[n];
        int k = 0;
        for (Item it : shown) {
            if (it.heatmap() != null) {
                float[] p = it.heatmap().unsafePixels();
                boolean[] valid = it.heatmap().unsafeMask();
                for (int i = 0; i < p.length; i++) {
                    if (valid[i] && Float.isFinite(p[i])) {
                        all[k++] = p[i];
                    }
                }
            }
        }
        if (k == 0) {
            return 0;
        }
        float[] v = Arrays.copyOf(all, k);
        Arrays.sort(v);
        double q = v[Math.min(k - 1, (int) Math.floor(0.995 * (k - 1)))];
        return q > 0 ? q : v[k - 1] > 0 ? v[k - 1] : 0;
    }

    private static void figure(StringBuilder h, Item it, double scale) throws IOException {
        ScoreRow r = it.row();
        h.append("<figure>");
        img(h, png(outline(it.image(), HeatmapOverlay.renderGray(it.image()), it.truth())), "input", VIEW);
        if (it.heatmap() != null && scale > 0) {
            img(h, png(outline(it.image(), HeatmapOverlay.renderHeat(it.heatmap(), scale), it.truth())), "heat map", VIEW);
            img(h, png(outline(it.image(), HeatmapOverlay.renderScaled(it.image(), it.heatmap(), 0.85, scale), it.truth())),
                    "overlay", VIEW);
        }
        String name = Path.of(r.path()).getFileName() == null ? r.path() : Path.of(r.path()).getFileName().toString();
        h.append("<figcaption><b>").append(esc(name)).append("</b> · ").append(esc(label(r)));
        if (!it.group().equalsIgnoreCase(label(r))) {
            h.append(" (").append(esc(it.group())).append(")");
        }
        h.append(" · score ").append(num(r.score()));
        r.decisionIfAny().ifPresent(d -> h.append(" · called ").append(d == 1 ? "abnormal" : "normal"));
        h.append("</figcaption></figure>");
    }

    private static String label(ScoreRow r) {
        return switch (r.label()) {
            case NORMAL -> "normal";
            case ABNORMAL -> "abnormal";
            default -> "no label";
        };
    }

    /** Upscales (nearest neighbour, so pixels stay visible) and draws the mask's boundary in green. */
    private static BufferedImage outline(GrayImage geometry, BufferedImage small, boolean[] truth) {
        int w = geometry.width();
        int hgt = geometry.height();
        int f = Math.max(1, VIEW / Math.max(w, hgt));
        BufferedImage big = new BufferedImage(w * f, hgt * f, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(small, 0, 0, w * f, hgt * f, null);
        g.dispose();
        if (truth != null) {
            int green = new Color(0, 230, 64).getRGB();
            for (int y = 0; y < hgt; y++) {
                for (int x = 0; x < w; x++) {
                    if (!truth[y * w + x]) {
                        continue;
                    }
                    // one-screen-pixel line on each side of the mask that borders a non-mask pixel
                    if (x == 0 || !truth[y * w + x - 1]) {
                        vline(big, x * f, y * f, f, green);
                    }
                    if (x == w - 1 || !truth[y * w + x + 1]) {
                        vline(big, x * f + f - 1, y * f, f, green);
                    }
                    if (y == 0 || !truth[(y - 1) * w + x]) {
                        hline(big, x * f, y * f, f, green);
                    }
                    if (y == hgt - 1 || !truth[(y + 1) * w + x]) {
                        hline(big, x * f, y * f + f - 1, f, green);
                    }
                }
            }
        }
        return big;
    }

    private static void vline(BufferedImage img, int x, int y, int len, int rgb) {
        for (int k = 0; k < len; k++) {
            img.setRGB(x, y + k, rgb);
        }
    }

    private static void hline(BufferedImage img, int x, int y, int len, int rgb) {
        for (int k = 0; k < len; k++) {
            img.setRGB(x + k, y, rgb);
        }
    }

    private static byte[] colourBar() throws IOException {
        BufferedImage bar = new BufferedImage(256, 14, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            int c = HeatmapOverlay.colourRgb(x / 255.0);
            for (int y = 0; y < 14; y++) {
                bar.setRGB(x, y, c);
            }
        }
        return png(bar);
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }

    private static void img(StringBuilder h, byte[] png, String alt, int width) {
        h.append("<img alt=\"").append(esc(alt)).append("\"");
        if (width > 0) {
            h.append(" width=\"").append(width).append("\"");
        }
        h.append(" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">");
    }

    private static double flagged(List<ScoreRow> rows, Threshold t) {
        return rows.isEmpty() ? 0 : rows.stream().filter(r -> t.isAbnormal(r.score())).count() / (double) rows.size();
    }

    private static double median(List<ScoreRow> rows) {
        double[] s = scores(rows);
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int[] labels(List<ScoreRow> rows) {
        return rows.stream().mapToInt(r -> r.label().code()).toArray();
    }

    private static double[] scores(List<ScoreRow> rows) {
        return rows.stream().mapToDouble(ScoreRow::score).toArray();
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * v);
    }

    /** Three significant digits: scores range from 1e-4 (reconstruction errors) to thousands. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.3g", v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String esc(String s) {
        return HtmlReport.esc(s);
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1250px;color:#222}"
            + "h2{margin-top:1.6em;border-bottom:1px solid #ddd}.muted{color:#666}.big{font-size:1.2em}"
            + "table{border-collapse:collapse}td,th{padding:3px 12px;text-align:left;border-bottom:1px solid #eee}"
            + ".cm td{text-align:center;min-width:6em}.ok{background:#e3f4e3}.bad{background:#fbe3e3}"
            + ".row img{margin:4px}.gallery{display:flex;flex-wrap:wrap;gap:14px}"
            + "figure{margin:0;padding:6px;border:1px solid #ddd;border-radius:4px}"
            + "figure img{image-rendering:pixelated;margin-right:3px}figcaption{font-size:0.85em;max-width:600px}"
            + ".bar{display:flex;align-items:center;gap:8px}.bar img{height:14px;width:256px}";
}
