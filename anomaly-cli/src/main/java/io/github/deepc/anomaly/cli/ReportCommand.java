package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.eval.report.HtmlReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anomaly report}: (re)writes the HTML report of an experiment's output folder. */
@Command(name = "report", description = "Write the HTML report (DIR/report/index.html) of an experiment's output folder.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--results", required = true, paramLabel = "DIR", description = "Output folder of 'experiment' (with results.csv).")
    Path results;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
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
}
