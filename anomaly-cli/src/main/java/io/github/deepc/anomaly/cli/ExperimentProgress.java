package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.eval.experiment.ExperimentListener;
import io.github.deepc.anomaly.eval.experiment.RunResult;
import io.github.deepc.anomaly.eval.experiment.RunSpec;
import java.io.PrintWriter;
import java.util.Locale;

/** Shows an experiment's progress on standard error: each run as it starts and ends, and its epochs. */
final class ExperimentProgress implements ExperimentListener {
    private final PrintWriter err;
    private final boolean quiet;
    private final ConsoleProgress console;

    ExperimentProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.console = new ConsoleProgress(err, quiet);
    }

    @Override
    public void onRunStarted(RunSpec run, int index, int total) {
        say(String.format(Locale.ROOT, "run %d/%d: %s", index, total, run));
    }

    @Override
    public void onRunFinished(RunResult r) {
        if (r.isOk()) {
            RunResult.Figures f = r.figures();
            say(String.format(Locale.ROOT, "  ok: test ROC-AUC %.4f  AP %.4f%s  (%.0fs)", f.testRocAuc(), f.testAp(),
                    f.validationRocAuc() == null ? "" : String.format(Locale.ROOT, "  validation ROC-AUC %.4f", f.validationRocAuc()),
                    f.seconds()));
        } else {
            say("  " + r.status() + ": " + r.reason());
        }
    }

    @Override
    public void onRunReused(RunResult r) {
        say("run " + r.id() + " finished earlier (" + r.status() + "), not redone");
    }

    @Override
    public void onEpoch(EpochReport report) {
        if (!quiet) {
            err.print("  ");
        }
        console.onEpoch(report);
    }

    @Override
    public void onItemFailed(String item, String reason) {
        // failed runs are reported by onRunFinished; failed images are worth a line
        boolean runFailure = !item.contains("/") && !item.contains("\\")
                && (reason.startsWith("failed: ") || reason.startsWith("skipped: "));
        if (runFailure) {
            return;
        }
        console.onItemFailed(item, reason);
    }

    private void say(String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }
}
