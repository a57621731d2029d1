package io.github.deepc.anomaly.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.eval.experiment.CrossValidationSummary;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import io.github.deepc.anomaly.eval.experiment.ResultsCsv;
import io.github.deepc.anomaly.eval.experiment.RunResult;
import io.github.deepc.anomaly.eval.experiment.RunSpec;
import io.github.deepc.anomaly.eval.experiment.Summary;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.split.SplitCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the static HTML report of an experiment's output folder ({@link ExperimentRunner}) to
 * {@code <results>/report/index.html}: the summary table, failed runs, and per (pipeline, model, scorer)
 * combination the test ROC and precision-recall curves of every seed, a histogram of the normal and abnormal test
 * scores and a gallery of heat maps of the most and least abnormal test images (both of the first finished seed).
 * Charts are PNGs in {@code report/charts/}; heat maps are linked from the run folders. Works without a display.
 */
public final class HtmlReport {
    /** The report folder inside the results folder. */
    public static final String DIR = "report";
    /** The page inside the report folder. */
    public static final String INDEX = "index.html";
    private static final Logger LOG = LoggerFactory.getLogger(HtmlReport.class);

    private HtmlReport() {
    }

    /**
     * What {@link #write} produced.
     *
     * @param index  the HTML page
     * @param charts the chart PNGs
     */
    public record Written(Path index, List<Path> charts) {
        /** Copies the list. */
        public Written {
            charts = List.copyOf(charts);
        }
    }

    /**
     * @param resultsDir an experiment's output folder (with {@code results.csv})
     * @return the page and charts written
     * @throws IOException when {@code results.csv} is missing or the report cannot be written
     */
    public static Written write(Path resultsDir) throws IOException {
        List<String> ids = ResultsCsv.readRunIds(resultsDir.resolve(ExperimentRunner.RESULTS_FILE));
        List<RunResult> results = new ArrayList<>();
        for (String id : ids) {
            Optional<RunResult> r = RunResult.readIfPresent(resultsDir.resolve(ExperimentRunner.RUNS_DIR).resolve(id));
            if (r.isPresent()) {
                results.add(r.get());
            } else {
                LOG.warn("run {} is listed in results.csv but has no readable run.json; left out of the report", id);
            }
        }
        Path reportDir = resultsDir.resolve(DIR);
        Path chartDir = reportDir.resolve("charts");
        Files.createDirectories(chartDir);
        String title = "Experiment";
        String description = null;
        CrossValidationSummary crossValidation = null;
        Path config = resultsDir.resolve(ExperimentRunner.CONFIG_FILE);
        if (Files.isRegularFile(config)) {
            JsonNode n = new ObjectMapper().readTree(config.toFile());
            title = n.path("name").asText(title);
            description = n.hasNonNull("description") ? n.get("description").asText() : null;
            ExperimentConfig c = ExperimentConfig.read(config);
            if (c.protocol().isCrossValidation()) {
                crossValidation = ExperimentRunner.crossValidationSummary(c, results);
            }
        }
        Summary summary = Summary.of(results);
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
                        + "table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
                        + "th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}"
                        + "figure{display:inline-block;margin:6px;text-align:center;font-size:small}"
                        + "figure img.h{width:128px;height:128px;image-rendering:pixelated}"
                        + ".fail{color:#a00}</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n");
        if (description != null) {
            html.append("<p>").append(esc(description)).append("</p>\n");
        }
        Path splitFile = resultsDir.resolve(ExperimentRunner.SPLIT_FILE);
        if (Files.isRegularFile(splitFile)) {
            html.append("<p>Split: ").append(esc(SplitCsv.read(splitFile).describe())).append(" (<a href=\"../")
                    .append(ExperimentRunner.SPLIT_FILE).append("\">split.csv</a>)</p>\n");
        }
        if (crossValidation != null) {
            // a pooled mean +- std would mix the fold spread with the seed spread: show them apart, as summary.md does
            table(html, crossValidation);
        } else {
            table(html, summary);
        }
        List<RunResult> failed = results.stream().filter(r -> !r.isOk()).toList();
        if (!failed.isEmpty()) {
            html.append("<h2>Failed or skipped runs</h2>\n<ul>\n");
            for (RunResult r : failed) {
                html.append("<li class=\"fail\">").append(esc(r.combination() + ", seed " + r.seed())).append(": ")
                        .append(esc(r.status())).append(" &mdash; ").append(esc(String.valueOf(r.reason()))).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        List<Path> charts = new ArrayList<>();
        for (Summary.Row row : summary.rows()) {
            List<RunResult> ok = results.stream().filter(r -> r.isOk() && r.combination().equals(row.combination())).toList();
            if (!ok.isEmpty()) {
                combination(html, resultsDir, chartDir, row.combination(), ok, charts);
            }
        }
        html.append("<p>Tables: <a href=\"../").append(ExperimentRunner.RESULTS_FILE).append("\">results.csv</a>, <a href=\"../")
                .append(ExperimentRunner.SUMMARY_CSV).append("\">summary.csv</a>, <a href=\"../").append(ExperimentRunner.SUMMARY_MD)
                .append("\">summary.md</a>.</p>\n</body></html>\n");
        Path index = reportDir.resolve(INDEX);
        Csv.writeAtomically(index, html.toString());
        return new Written(index, charts);
    }

    private static void table(StringBuilder html, Summary summary) {
        html.append("<h2>Summary</h2>\n<table><tr><th>Model</th><th>Scorer</th><th>Pipeline</th><th>Val ROC-AUC</th>"
                + "<th>Val AP</th><th>Test ROC-AUC</th><th>Test AP</th><th>Test F1</th><th>Seeds</th><th>Train s</th>"
                + "<th>Train img/s</th><th>Score img/s</th></tr>\n");
        for (Summary.Row r : summary.rows()) {
            html.append("<tr><td>").append(esc(r.combination().model())).append("</td><td>").append(esc(r.combination().scorer()))
                    .append("</td><td>").append(esc(r.combination().pipeline())).append("</td>");
            for (Summary.Stat s : List.of(r.validationRocAuc(), r.validationAp(), r.testRocAuc(), r.testAp(), r.testF1())) {
                html.append("<td class=\"n\">").append(esc(s.format())).append("</td>");
            }
            html.append("<td class=\"n\">").append(r.runs()).append(r.failed() > 0 ? " <span class=\"fail\">(" + r.failed()
                    + " failed)</span>" : "").append("</td>");
            for (Summary.Stat s : List.of(r.trainSeconds(), r.trainImagesPerSecond(), r.scoreImagesPerSecond())) {
                html.append("<td class=\"n\">").append(Double.isNaN(s.mean()) ? "-" : String.format(Locale.ROOT, "%.1f", s.mean()))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>Mean &plusmn; sample standard deviation over the seeds that finished; test F1 at the"
                + " threshold that maximises F1 on validation.</p>\n");
    }

    private static void table(StringBuilder html, CrossValidationSummary cv) {
        boolean selection = cv.confirmFolds() > 0;
        html.append("<h2>Summary</h2>\n<table><tr><th>Model</th><th>Scorer</th><th>Pipeline</th><th>Train limit</th>"
                + "<th>Test ROC-AUC &plusmn; fold std / &plusmn; seed std</th><th>Test AP &plusmn; fold std / &plusmn; seed std</th>")
                .append(selection ? "<th>ROC-AUC chosen on</th><th>ROC-AUC confirmed on</th>" : "")
                .append("<th>Folds</th><th>Seeds</th><th>Train images</th><th>Train s</th><th>Score s</th></tr>\n");
        for (CrossValidationSummary.Row r : cv.rows()) {
            if (r.runs() == 0) {
                continue;
            }
            html.append("<tr><td>").append(esc(r.combination().model())).append(r.selected() ? " <b>(chosen)</b>" : "")
                    .append("</td><td>").append(esc(r.combination().scorer())).append("</td><td>")
                    .append(esc(r.combination().pipeline())).append("</td><td>").append(esc(String.valueOf(r.combination().trainLimit())))
                    .append("</td>");
            List<CrossValidationSummary.FoldStat> stats = selection
                    ? List.of(r.rocAuc(), r.ap(), r.chosenOn(), r.confirmedOn()) : List.of(r.rocAuc(), r.ap());
            for (CrossValidationSummary.FoldStat s : stats) {
                html.append("<td class=\"n\">").append(esc(s.format())).append("</td>");
            }
            html.append("<td class=\"n\">").append(r.rocAuc().units()).append("</td><td class=\"n\">").append(r.seeds())
                    .append(r.failed() > 0 ? " <span class=\"fail\">(" + r.failed() + " failed)</span>" : "").append("</td>");
            for (double v : new double[] {r.trainImages(), r.trainSeconds(), r.scoreSeconds()}) {
                html.append("<td class=\"n\">").append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>Patient-grouped ").append(cv.folds()).append("-fold cross-validation: mean over folds and"
                + " seeds; fold std = standard deviation over the folds of the seed means; seed std = mean over the folds of the"
                + " standard deviation over the seeds.")
                .append(selection ? " Chosen on folds 1-" + (cv.folds() - cv.confirmFolds()) + ", confirmed on the rest." : "")
                .append("</p>\n");
    }

    private static void combination(StringBuilder html, Path resultsDir, Path chartDir, RunSpec.Combination c,
                                    List<RunResult> ok, List<Path> charts) {
        String slug = c.slug();
        html.append("<h2 id=\"").append(esc(slug)).append("\">").append(esc(c.toString())).append("</h2>\n");
        try {
            List<Charts.Series> series = new ArrayList<>();
            for (RunResult r : ok) {
                Path scores = runDir(resultsDir, r).resolve(ExperimentRunner.TEST_SCORES);
                series.add(new Charts.Series("seed " + r.seed(), ScoresCsv.read(scores)));
            }
            String name = c.model() + " + " + c.scorer();
            Path roc = chartDir.resolve(slug + "-roc.png");
            Charts.roc(roc, "ROC (test): " + name, series);
            Path pr = chartDir.resolve(slug + "-pr.png");
            Charts.precisionRecall(pr, "Precision-recall (test): " + name, series);
            Path hist = chartDir.resolve(slug + "-hist.png");
            Charts.histogram(hist, "Test scores, " + series.get(0).name() + ": " + name, series.get(0).rows());
            for (Path p : List.of(roc, pr, hist)) {
                charts.add(p);
                html.append("<img src=\"charts/").append(esc(p.getFileName().toString())).append("\" alt=\"")
                        .append(esc(p.getFileName().toString())).append("\" width=\"").append(Charts.WIDTH).append("\">\n");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("charts of {} could not be drawn: {}", c, e.getMessage());
            html.append("<p class=\"fail\">Charts could not be drawn: ").append(esc(String.valueOf(e.getMessage()))).append("</p>\n");
        }
        RunResult first = ok.get(0);
        if (!first.heatmaps().isEmpty()) {
            html.append("<h3>Most abnormal (top) and least abnormal (bottom) test images, seed ").append(first.seed())
                    .append("</h3>\n<div>");
            String lastEnd = null;
            for (RunResult.HeatmapEntry h : first.heatmaps()) {
                String end = h.rank().startsWith("top") ? "top" : "bottom";
                if (lastEnd != null && !end.equals(lastEnd)) {
                    html.append("</div>\n<div>");
                }
                lastEnd = end;
                String src = "../" + ExperimentRunner.RUNS_DIR + "/" + first.id() + "/" + h.file();
                String img = Path.of(h.image()).getFileName().toString();
                html.append("<figure><img class=\"h\" src=\"").append(esc(src)).append("\" alt=\"").append(esc(h.rank()))
                        .append("\"><figcaption>").append(esc(h.rank())).append(" ")
                        .append(h.label() == 1 ? "abnormal" : h.label() == 0 ? "normal" : "unlabelled").append("<br>")
                        .append(esc(img)).append("<br>").append(String.format(Locale.ROOT, "%.5g", h.score()))
                        .append("</figcaption></figure>");
            }
            html.append("</div>\n");
        }
    }

    private static Path runDir(Path resultsDir, RunResult r) {
        return resultsDir.resolve(ExperimentRunner.RUNS_DIR).resolve(r.id());
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
