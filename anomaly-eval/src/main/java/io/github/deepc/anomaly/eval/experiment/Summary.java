package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.eval.io.Csv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The research table: one row per (pipeline, model, scorer) combination with the mean and sample standard deviation
 * (n - 1; none for a single run) over its successful seeds of ROC-AUC and average precision on validation and test,
 * and mean training time and throughputs. Written as {@code summary.csv} and {@code summary.md}.
 *
 * @param rows the combinations, in experiment order
 */
public record Summary(List<Row> rows) {
    /** The header of {@code summary.csv}. */
    public static final String CSV_HEADER = "model,scorer,pipeline,runs,failed,validation_roc_auc_mean,validation_roc_auc_std,"
            + "validation_ap_mean,validation_ap_std,test_roc_auc_mean,test_roc_auc_std,test_ap_mean,test_ap_std,"
            + "test_f1_mean,test_f1_std,train_seconds_mean,train_images_per_second_mean,score_images_per_second_mean,reason";

    /** Copies the rows. */
    public Summary {
        rows = List.copyOf(rows);
    }

    /**
     * A mean and standard deviation.
     *
     * @param mean the mean, NaN without values
     * @param std  the sample standard deviation, NaN with fewer than two values
     * @param n    the number of values
     */
    public record Stat(double mean, double std, int n) {
        static Stat of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> d != null && !d.isNaN()).toList();
            if (v.isEmpty()) {
                return new Stat(Double.NaN, Double.NaN, 0);
            }
            double mean = v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
            if (v.size() < 2) {
                return new Stat(mean, Double.NaN, 1);
            }
            double ss = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
            return new Stat(mean, Math.sqrt(ss / (v.size() - 1)), v.size());
        }

        /** @return e.g. {@code 0.812 ± 0.013}, {@code 0.812} for one value, {@code -} for none */
        public String format() {
            if (n == 0) {
                return "-";
            }
            return n < 2 ? String.format(Locale.ROOT, "%.3f", mean) : String.format(Locale.ROOT, "%.3f ± %.3f", mean, std);
        }
    }

    /**
     * One combination.
     *
     * @param combination          pipeline, model and scorer
     * @param runs                 successful runs (seeds)
     * @param failed               failed or skipped runs
     * @param validationRocAuc     validation ROC-AUC
     * @param validationAp         validation average precision
     * @param testRocAuc           test ROC-AUC
     * @param testAp               test average precision
     * @param testF1               test F1 at the validation F1 threshold
     * @param trainSeconds         training wall time
     * @param trainImagesPerSecond training throughput
     * @param scoreImagesPerSecond scoring throughput
     * @param reason               the first failure's reason, or {@code null}
     */
    public record Row(RunSpec.Combination combination, int runs, int failed, Stat validationRocAuc, Stat validationAp,
                      Stat testRocAuc, Stat testAp, Stat testF1, Stat trainSeconds, Stat trainImagesPerSecond,
                      Stat scoreImagesPerSecond, String reason) {
    }

    /**
     * @param results the runs' results, in experiment order
     * @return the summary
     */
    public static Summary of(List<RunResult> results) {
        Map<RunSpec.Combination, List<RunResult>> by = new LinkedHashMap<>();
        for (RunResult r : results) {
            by.computeIfAbsent(r.combination(), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<RunSpec.Combination, List<RunResult>> e : by.entrySet()) {
            List<RunResult.Figures> ok = e.getValue().stream().filter(RunResult::isOk).map(RunResult::figures).toList();
            String reason = e.getValue().stream().filter(r -> !r.isOk()).map(r -> r.status() + ": " + r.reason())
                    .findFirst().orElse(null);
            rows.add(new Row(e.getKey(), ok.size(), e.getValue().size() - ok.size(),
                    stat(ok, RunResult.Figures::validationRocAuc), stat(ok, RunResult.Figures::validationAp),
                    stat(ok, RunResult.Figures::testRocAuc), stat(ok, RunResult.Figures::testAp),
                    stat(ok, RunResult.Figures::testF1), stat(ok, f -> f.trainSeconds()),
                    stat(ok, RunResult.Figures::trainImagesPerSecond), stat(ok, f -> f.scoreImagesPerSecond()), reason));
        }
        return new Summary(rows);
    }

    private static Stat stat(List<RunResult.Figures> figures, Function<RunResult.Figures, Double> f) {
        return Stat.of(figures.stream().map(f).toList());
    }

    /**
     * @param file where to write {@code summary.csv}
     * @throws IOException when writing fails
     */
    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            List<String> f = new ArrayList<>(List.of(r.combination().model(), r.combination().scorer(), r.combination().pipeline(),
                    Integer.toString(r.runs()), Integer.toString(r.failed())));
            for (Stat s : List.of(r.validationRocAuc(), r.validationAp(), r.testRocAuc(), r.testAp(), r.testF1())) {
                f.add(ResultsCsv.num(s.mean()));
                f.add(ResultsCsv.num(s.std()));
            }
            f.add(ResultsCsv.num(r.trainSeconds().mean()));
            f.add(ResultsCsv.num(r.trainImagesPerSecond().mean()));
            f.add(ResultsCsv.num(r.scoreImagesPerSecond().mean()));
            f.add(r.reason() == null ? "" : r.reason());
            b.append(Csv.line(f)).append('\n');
        }
        Csv.writeAtomically(file, b.toString());
    }

    /**
     * @param title a heading
     * @return the table in Markdown, failures listed below it
     */
    public String toMarkdown(String title) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        b.append("| Model | Scorer | Pipeline | Val ROC-AUC | Val AP | Test ROC-AUC | Test AP | Test F1 | Seeds | Train s | Train img/s | Score img/s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.runs() == 0) {
                continue; // nothing finished: listed with its reason below instead of a row of dashes
            }
            b.append("| ").append(md(r.combination().model())).append(" | ").append(md(r.combination().scorer())).append(" | ")
                    .append(md(r.combination().pipeline())).append(" | ").append(r.validationRocAuc().format()).append(" | ")
                    .append(r.validationAp().format()).append(" | ").append(r.testRocAuc().format()).append(" | ")
                    .append(r.testAp().format()).append(" | ").append(r.testF1().format()).append(" | ")
                    .append(r.runs()).append(r.failed() > 0 ? " (" + r.failed() + " failed)" : "").append(" | ")
                    .append(fmt(r.trainSeconds().mean(), "%.1f")).append(" | ").append(fmt(r.trainImagesPerSecond().mean(), "%.1f"))
                    .append(" | ").append(fmt(r.scoreImagesPerSecond().mean(), "%.1f")).append(" |\n");
        }
        List<Row> failed = rows.stream().filter(r -> r.reason() != null).toList();
        if (!failed.isEmpty()) {
            b.append("\nFailed or skipped runs:\n\n");
            for (Row r : failed) {
                b.append("- ").append(md(r.combination().toString())).append(": ").append(md(r.reason())).append('\n');
            }
        }
        b.append("\nMean ± sample standard deviation over the seeds that finished. Test F1 is measured at the threshold"
                + " that maximises F1 on validation.\n");
        return b.toString();
    }

    private static String fmt(double v, String f) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, f, v);
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
