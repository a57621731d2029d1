package io.github.deepc.anomaly.core.progress;

/**
 * Receives progress of long-running work (training, preprocessing, scoring). Every method has an empty default,
 * so implement only what you show. Calls come from the working thread; keep them cheap.
 */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * A training epoch finished.
     *
     * @param report epoch number, loss and throughput
     */
    default void onEpoch(EpochReport report) {
    }

    /**
     * Part of a task is done.
     *
     * @param task  what is being done, e.g. "preprocess" or "score"
     * @param done  units finished
     * @param total units in all
     */
    default void onProgress(String task, int done, int total) {
    }

    /**
     * One item of a batch job failed; the job goes on without it.
     *
     * @param item   the item, e.g. a file path
     * @param reason why it failed
     */
    default void onItemFailed(String item, String reason) {
    }
}
