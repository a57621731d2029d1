package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.eval.io.Csv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The table of a grouped-cv experiment: one row per (pipeline, model, scorer, train limit) with the mean test ROC-AUC
 * and average precision over folds and seeds, the spread over folds and the spread over seeds kept apart, and
 * training and scoring time. With a {@link SelectionConfig}, each row also carries its mean on the choice folds and
 * on the confirmation folds, and the best row per train limit by the choice folds is marked, so the table states the
 * number it was chosen on next to the number it was confirmed on.
 *
 * <p>A <em>unit</em> is one fold of one repetition. Per unit, the seeds' values are averaged (seed-mean) and their
 * sample standard deviation taken. Mean = mean of the units' seed-means; fold std = sample standard deviation of the
 * units' seed-means; seed std = mean over the units of the standard deviation over seeds.
 *
 * @param rows         the rows, in experiment order
 * @param folds        the protocol's number of folds
 * @param confirmFolds the last folds held back for confirmation, 0 without selection
 */
public record CrossValidationSummary(List<Row> rows, int folds, int confirmFolds) {
    /** The header of the grouped-cv {@code summary.csv}. */
    public static final String CSV_HEADER = "model,scorer,pipeline,train_limit,runs,failed,folds,seeds,roc_auc_mean,"
            + "roc_auc_fold_std,roc_auc_seed_std,ap_mean,ap_fold_std,ap_seed_std,train_images_mean,train_seconds_mean,"
            + "score_seconds_mean,score_images_per_second_mean,chosen_on_roc_auc,confirmed_on_roc_auc,selected,reason";

    /** Copies the rows. */
    public CrossValidationSummary {
        rows = List.copyOf(rows);
    }

    /**
     * A metric over folds and seeds.
     *
     * @param mean    mean of the units' seed-means (NaN without values)
     * @param foldStd sample standard deviation of the units' seed-means (NaN with fewer than two units)
     * @param seedStd mean over units of the sample standard deviation over seeds (NaN without a unit of two seeds)
     * @param units   units with a value
     */
    public record FoldStat(double mean, double foldStd, double seedStd, int units) {
        /**
         * @param valuesPerUnit per unit, the values of its seeds (missing values left out)
         * @return the statistic
         */
        static FoldStat of(List<List<Double>> valuesPerUnit) {
            List<Double> means = new ArrayList<>();
            List<Double> stds = new ArrayList<>();
            for (List<Double> unit : valuesPerUnit) {
                Summary.Stat s = Summary.Stat.of(unit);
                if (s.n() > 0) {
                    means.add(s.mean());
                }
                if (s.n() > 1) {
                    stds.add(s.std());
                }
            }
            Summary.Stat overFolds = Summary.Stat.of(means);
            double seedStd = stds.isEmpty() ? Double.NaN : stds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            return new FoldStat(overFolds.mean(), overFolds.std(), seedStd, overFolds.n());
        }

        /** @return e.g. {@code 0.812 ± 0.021 / ± 0.004} (fold std, then seed std), {@code -} for no value */
        public String format() {
            if (units == 0) {
                return "-";
            }
            return String.format(Locale.ROOT, "%.3f ± %s / ± %s", mean, num(foldStd), num(seedStd));
        }

        private static String num(double d) {
            return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3f", d);
        }
    }

    /**
     * One combination at one train limit.
     *
     * @param combination          pipeline, model, scorer and train limit
     * @param runs                 successful runs
     * @param failed               failed or skipped runs
     * @param seeds                distinct training seeds among the successful runs
     * @param rocAuc               test ROC-AUC
     * @param ap                   test average precision
     * @param trainImages          mean training normals per run
     * @param trainSeconds         mean training wall time per run
     * @param scoreSeconds         mean scoring wall time per run
     * @param scoreImagesPerSecond mean scoring throughput
     * @param chosenOn             ROC-AUC over the choice folds (NaN without selection)
     * @param confirmedOn          ROC-AUC over the confirmation folds (NaN without selection)
     * @param selected             whether this row is the one chosen (best {@code chosenOn} at its train limit)
     * @param reason               the first failure's reason, or {@code null}
     */
    public record Row(RunSpec.Combination combination, int runs, int failed, int seeds, FoldStat rocAuc, FoldStat ap,
                      double trainImages, double trainSeconds, double scoreSeconds, double scoreImagesPerSecond,
                      FoldStat chosenOn, FoldStat confirmedOn, boolean selected, String reason) {
    }

    /**
     * @param results      the runs' results (those without a fold are ignored), in experiment order
     * @param folds        the protocol's number of folds
     * @param confirmFolds the last folds held back for confirmation, 0 for no selection
     * @return the summary
     */
    public static CrossValidationSummary of(List<RunResult> results, int folds, int confirmFolds) {
        if (confirmFolds < 0 || (confirmFolds > 0 && confirmFolds >= folds)) {
            throw new IllegalArgumentException("confirmation folds must be between 0 and " + (folds - 1) + ", got " + confirmFolds);
        }
        Map<RunSpec.Combination, List<RunResult>> by = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (r.fold() != null) {
                by.computeIfAbsent(r.combination(), k -> new ArrayList<>()).add(r);
            }
        }
        int lastChoiceFold = folds - confirmFolds;
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<RunSpec.Combination, List<RunResult>> e : by.entrySet()) {
            List<RunResult> ok = e.getValue().stream().filter(RunResult::isOk).toList();
            String reason = e.getValue().stream().filter(r -> !r.isOk()).map(r -> r.status() + ": " + r.reason())
                    .findFirst().orElse(null);
            FoldStat none = new FoldStat(Double.NaN, Double.NaN, Double.NaN, 0);
            rows.add(new Row(e.getKey(), ok.size(), e.getValue().size() - ok.size(),
                    (int) ok.stream().mapToLong(RunResult::seed).distinct().count(),
                    stat(ok, r -> true, RunResult.Figures::testRocAuc), stat(ok, r -> true, RunResult.Figures::testAp),
                    mean(ok, f -> (double) f.trainImages()), mean(ok, RunResult.Figures::trainSeconds),
                    mean(ok, f -> (f.validationImages() + f.testImages()) / f.scoreImagesPerSecond()),
                    mean(ok, RunResult.Figures::scoreImagesPerSecond),
                    confirmFolds == 0 ? none : stat(ok, r -> r.fold() <= lastChoiceFold, RunResult.Figures::testRocAuc),
                    confirmFolds == 0 ? none : stat(ok, r -> r.fold() > lastChoiceFold, RunResult.Figures::testRocAuc),
                    false, reason));
        }
        return new CrossValidationSummary(confirmFolds == 0 ? rows : markSelected(rows), folds, confirmFolds);
    }

    /** Marks, per train limit, the row with the best mean ROC-AUC on the choice folds (the first on ties). */
    private static List<Row> markSelected(List<Row> rows) {
        Map<TrainLimit, Row> best = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.chosenOn().units() == 0) {
                continue;
            }
            Row b = best.get(r.combination().trainLimit());
            if (b == null || r.chosenOn().mean() > b.chosenOn().mean()) {
                best.put(r.combination().trainLimit(), r);
            }
        }
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            boolean selected = best.get(r.combination().trainLimit()) == r;
            out.add(new Row(r.combination(), r.runs(), r.failed(), r.seeds(), r.rocAuc(), r.ap(), r.trainImages(),
                    r.trainSeconds(), r.scoreSeconds(), r.scoreImagesPerSecond(), r.chosenOn(), r.confirmedOn(), selected,
                    r.reason()));
        }
        return out;
    }

    private static FoldStat stat(List<RunResult> ok, Predicate<RunResult> keep, Function<RunResult.Figures, Double> f) {
        Map<List<Integer>, List<Double>> units = new LinkedHashMap<>();
        for (RunResult r : ok) {
            if (keep.test(r)) {
                Double v = f.apply(r.figures());
                List<Double> unit = units.computeIfAbsent(List.of(r.repetition() == null ? 0 : r.repetition(), r.fold()),
                        k -> new ArrayList<>());
                if (v != null && !v.isNaN()) {
                    unit.add(v);
                }
            }
        }
        return FoldStat.of(new ArrayList<>(units.values()));
    }

    private static double mean(List<RunResult> ok, Function<RunResult.Figures, Double> f) {
        return ok.stream().map(r -> f.apply(r.figures())).filter(Objects::nonNull).filter(d -> Double.isFinite(d))
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** @return the chosen rows, one per train limit that has one */
    public List<Row> selected() {
        return rows.stream().filter(Row::selected).toList();
    }

    /**
     * @param file where to write {@code summary.csv}
     * @throws IOException when writing fails
     */
    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            List<String> f = new ArrayList<>(List.of(r.combination().model(), r.combination().scorer(),
                    r.combination().pipeline(), r.combination().trainLimit().toString(), Integer.toString(r.runs()),
                    Integer.toString(r.failed()), Integer.toString(r.rocAuc().units()), Integer.toString(r.seeds())));
            for (FoldStat s : List.of(r.rocAuc(), r.ap())) {
                f.add(ResultsCsv.num(s.mean()));
                f.add(ResultsCsv.num(s.foldStd()));
                f.add(ResultsCsv.num(s.seedStd()));
            }
            for (double d : new double[] {r.trainImages(), r.trainSeconds(), r.scoreSeconds(), r.scoreImagesPerSecond(),
                r.chosenOn().mean(), r.confirmedOn().mean()}) {
                f.add(ResultsCsv.num(d));
            }
            f.add(Boolean.toString(r.selected()));
            f.add(r.reason() == null ? "" : r.reason());
            b.append(Csv.line(f)).append('\n');
        }
        Csv.writeAtomically(file, b.toString());
    }

    /**
     * @param title a heading
     * @return the table in Markdown, the selection and failures below it
     */
    public String toMarkdown(String title) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        boolean selection = confirmFolds > 0;
        b.append("| Model | Scorer | Pipeline | Train limit | ROC-AUC ± fold std / ± seed std | AP ± fold std / ± seed std");
        if (selection) {
            b.append(" | ROC-AUC chosen on | ROC-AUC confirmed on");
        }
        b.append(" | Folds | Seeds | Train images | Train s | Score s |\n|---|---|---|---|---|---|");
        b.append(selection ? "---|---|" : "").append("---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.runs() == 0) {
                continue;
            }
            b.append("| ").append(md(r.combination().model())).append(r.selected() ? " **(chosen)**" : "").append(" | ")
                    .append(md(r.combination().scorer())).append(" | ").append(md(r.combination().pipeline())).append(" | ")
                    .append(r.combination().trainLimit()).append(" | ").append(r.rocAuc().format()).append(" | ")
                    .append(r.ap().format()).append(" | ");
            if (selection) {
                b.append(r.chosenOn().format()).append(" | ").append(r.confirmedOn().format()).append(" | ");
            }
            b.append(r.rocAuc().units()).append(" | ").append(r.seeds())
                    .append(r.failed() > 0 ? " (" + r.failed() + " runs failed)" : "").append(" | ")
                    .append(fmt(r.trainImages(), "%.0f")).append(" | ").append(fmt(r.trainSeconds(), "%.1f")).append(" | ")
                    .append(fmt(r.scoreSeconds(), "%.1f")).append(" |\n");
        }
        if (selection) {
            b.append("\nSelection: ranked by mean test ROC-AUC on folds 1-").append(folds - confirmFolds)
                    .append(", confirmed on fold").append(confirmFolds > 1 ? "s " : " ").append(folds - confirmFolds + 1)
                    .append(confirmFolds > 1 ? "-" + folds : "").append(" (every repetition), which took no part in the choice.\n\n");
            for (Row r : selected()) {
                b.append("- ").append(md(r.combination().toString())).append(String.format(Locale.ROOT,
                        ": chosen on %.3f, confirmed on %.3f\n", r.chosenOn().mean(), r.confirmedOn().mean()));
            }
        }
        List<Row> failed = rows.stream().filter(r -> r.reason() != null).toList();
        if (!failed.isEmpty()) {
            b.append("\nFailed or skipped runs:\n\n");
            for (Row r : failed) {
                b.append("- ").append(md(r.combination().toString())).append(": ").append(md(r.reason())).append('\n');
            }
        }
        b.append("\nPatient-grouped ").append(folds).append("-fold cross-validation: every labelled image is tested once per"
                + " repetition. Mean over folds and seeds; fold std = standard deviation over the folds of the seed means;"
                + " seed std = mean over the folds of the standard deviation over the seeds. Times are per run.\n");
        return b.toString();
    }

    /**
     * @param limit a train limit
     * @return the chosen row at that limit, if any
     */
    public Optional<Row> selected(TrainLimit limit) {
        return selected().stream().filter(r -> r.combination().trainLimit().equals(limit)).findFirst();
    }

    private static String fmt(double v, String f) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, f, v);
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
