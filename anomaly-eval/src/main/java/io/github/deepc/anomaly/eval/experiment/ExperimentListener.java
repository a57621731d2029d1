package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.progress.ProgressListener;

/**
 * A {@link ProgressListener} that also hears about whole runs. Pass one to {@link ExperimentRunner#run}; a plain
 * {@link ProgressListener} gets epochs, scoring progress ({@code "score"}), run progress ({@code "experiment"}) and
 * failed items only.
 */
public interface ExperimentListener extends ProgressListener {
    /**
     * A run starts (it had no finished result).
     *
     * @param run   the run
     * @param index 1-based position among all runs
     * @param total number of runs
     */
    default void onRunStarted(RunSpec run, int index, int total) {
    }

    /**
     * A run finished: ok, failed or skipped.
     *
     * @param result its result
     */
    default void onRunFinished(RunResult result) {
    }

    /**
     * A run was finished by an earlier invocation and is not redone.
     *
     * @param result the earlier result
     */
    default void onRunReused(RunResult result) {
    }
}
