package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.report.HtmlReport;
import io.github.deepc.anomaly.eval.report.ScoreReport;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
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
import picocli.CommandLine;

/** {@code anomaly report}: (re)writes the HTML report of an experiment's output folder. */
@Command(name = "report", description = {"Write the HTML report (DIR/report/index.html) of an experiment's output folder,",
    "or, with --scores, a readable report of one scores CSV (summary, curves, histograms, confusion matrix, by class)."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", paramLabel = "DIR", description = "Output folder of 'experiment' (with results.csv).")
    Path results;

    @Option(names = "--scores", paramLabel = "FILE", description = "A scores CSV written by 'score' (instead of --results).")
    Path scores;

    @Option(names = "--out", paramLabel = "FILE", description = "With --scores: the HTML file (default: beside the CSV, .html).")
    Path out;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        if ((results == null) == (scores == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --results DIR and --scores FILE");
        }
        if (scores != null) {
            return scoresReport();
        }
        HtmlReport.Written w = HtmlReport.write(results);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", w.index().toString());
            m.put("charts", w.charts().size());
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().printf("wrote %s (%d charts)%n", w.index(), w.charts().size());
        }
        return 0;
    }

    private int scoresReport() throws Exception {
        List<ScoreRow> rows = ScoresCsv.read(scores);
        Threshold threshold = null;
        List<ScoreReport.Item> items = new ArrayList<>();
        for (ScoreRow r : rows) {
            items.add(new ScoreReport.Item(r, r.label() == Label.ABNORMAL ? "abnormal" : r.label() == Label.NORMAL ? "normal" : "unlabelled",
                    null, null, null));
        }
        String name = scores.getFileName().toString().replaceFirst("\\.csv$", "");
        Path file = out != null ? out : scores.resolveSibling(name + ".html");
        ScoreReport.write(file, "Anomaly scores: " + name, "", items, threshold, List.of("From " + scores + "."));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", file.toString());
            m.put("images", rows.size());
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().printf("wrote %s (%d images)%n", file, rows.size());
        }
        return 0;
    }
}
