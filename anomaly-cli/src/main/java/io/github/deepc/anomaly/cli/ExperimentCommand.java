package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.eval.experiment.CrossValidationSummary;
import io.github.deepc.anomaly.core.io.OutputLock;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import io.github.deepc.anomaly.eval.experiment.RunResult;
import io.github.deepc.anomaly.eval.experiment.Summary;
import io.github.deepc.anomaly.eval.report.HtmlReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly experiment}: runs an experiment file (every pipeline/model/scorer combination per seed), resumably,
 * and writes results, summary and the HTML report.
 */
@Command(name = "experiment", description = {"Run an experiment file: train and evaluate every pipeline/model/scorer"
        + " combination once per seed; writes results.csv, summary.md/csv and report/index.html.",
    "Started again with the same --out, it resumes: finished runs are not redone."})
final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment JSON (see experiments/README.md); relative paths in it are relative to its folder.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; reuse it to resume.")
    Path out;

    @Option(names = "--retry-failed", description = "Also redo runs that failed or were skipped before.")
    boolean retryFailed;

    @Option(names = "--no-report", description = "Do not write the HTML report.")
    boolean noReport;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        ExperimentConfig c = ExperimentConfig.read(config);
        Path base = config.toAbsolutePath().getParent();
        OutputPaths.requireFolder(out, "--out");
        ExperimentRunner.Outcome o;
        Path report;
        // one writer per output folder: a second experiment on it is refused, not interleaved
        try (OutputLock lock = OutputLock.forFolder(out)) {
            o = new ExperimentRunner().retryFailed(retryFailed)
                    .run(c, base, out, new ExperimentProgress(spec.commandLine().getErr(), json));
            report = noReport ? null : HtmlReport.write(out).index();
        }
        Summary summary = o.summary();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("out", out.toString());
            m.put("runs", o.results().size());
            m.put("ran", o.ran());
            m.put("reused", o.reused());
            m.put("failed", o.failed());
            m.put("split", o.splitDescription());
            m.put("results", out.resolve(ExperimentRunner.RESULTS_FILE).toString());
            m.put("summary", out.resolve(ExperimentRunner.SUMMARY_MD).toString());
            m.put("report", report == null ? null : report.toString());
            m.put("combinations", combinations(summary));
            o.crossValidation().ifPresent(cv -> m.put("crossValidation", crossValidation(cv)));
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().print(o.summaryMarkdown(c.name()));
            spec.commandLine().getOut().printf("%n%d runs (%d done now, %d reused, %d failed or skipped); results: %s%s%n",
                    o.results().size(), o.ran(), o.reused(), o.failed(), out.resolve(ExperimentRunner.RESULTS_FILE),
                    report == null ? "" : "; report: " + report);
        }
        if (o.failed() == o.results().size()) {
            RunResult first = o.results().get(0);
            throw new IllegalStateException("all " + o.results().size() + " runs failed or were skipped; first: " + first.reason());
        }
        return 0;
    }

    private static List<Map<String, Object>> combinations(Summary summary) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Summary.Row r : summary.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.combination().model());
            m.put("scorer", r.combination().scorer());
            m.put("pipeline", r.combination().pipeline());
            m.put("runs", r.runs());
            m.put("failed", r.failed());
            m.put("validationRocAuc", mean(r.validationRocAuc()));
            m.put("validationAp", mean(r.validationAp()));
            m.put("testRocAuc", mean(r.testRocAuc()));
            m.put("testRocAucStd", Double.isNaN(r.testRocAuc().std()) ? null : r.testRocAuc().std());
            m.put("testAp", mean(r.testAp()));
            m.put("reason", r.reason());
            list.add(m);
        }
        return list;
    }

    /** Grouped-cv rows: mean, fold and seed spreads, and the chosen-on / confirmed-on numbers with selection. */
    private static List<Map<String, Object>> crossValidation(CrossValidationSummary cv) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CrossValidationSummary.Row r : cv.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.combination().model());
            m.put("scorer", r.combination().scorer());
            m.put("pipeline", r.combination().pipeline());
            m.put("trainLimit", r.combination().trainLimit().json());
            m.put("runs", r.runs());
            m.put("failed", r.failed());
            m.put("rocAuc", orNull(r.rocAuc().mean()));
            m.put("rocAucFoldStd", orNull(r.rocAuc().foldStd()));
            m.put("rocAucSeedStd", orNull(r.rocAuc().seedStd()));
            m.put("ap", orNull(r.ap().mean()));
            m.put("chosenOnRocAuc", orNull(r.chosenOn().mean()));
            m.put("confirmedOnRocAuc", orNull(r.confirmedOn().mean()));
            m.put("selected", r.selected());
            list.add(m);
        }
        return list;
    }

    private static Double orNull(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static Double mean(Summary.Stat s) {
        return Double.isNaN(s.mean()) ? null : s.mean();
    }
}
