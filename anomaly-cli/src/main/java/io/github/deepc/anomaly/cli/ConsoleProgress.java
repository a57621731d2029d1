package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.PrintWriter;

/** Shows progress on the terminal (standard error): epochs with loss, images/s and time left; item failures. */
final class ConsoleProgress implements ProgressListener {
    private final PrintWriter err;
    private final boolean quiet;

    ConsoleProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void onEpoch(EpochReport r) {
        if (quiet) {
            return;
        }
        double left = r.seconds() * (r.epochs() - r.epoch());
        err.printf("epoch %d/%d  loss %.6f  %.1f images/s  %.1fs  time left %s%n", r.epoch(), r.epochs(), r.loss(),
                r.imagesPerSecond(), r.seconds(), duration(left));
        err.flush();
    }

    @Override
    public void onProgress(String task, int done, int total) {
        if (!quiet && total > 0 && (done == total || total >= 256)) {
            err.printf("%s %d/%d%n", task, done, total);
            err.flush();
        }
    }

    @Override
    public void onItemFailed(String item, String reason) {
        if (!quiet) {
            err.println("skipped " + item + ": " + reason);
            err.flush();
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
