package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a job's progress in tasks (Spark's unit of work: one partition) to a {@link ProgressListener}, and logs
 * failed task attempts, which Spark retries. Attached for the duration of one write.
 */
final class TaskProgress extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskProgress.class);
    private final SparkSession spark;
    private final String task;
    private final ProgressListener listener;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();

    private TaskProgress(SparkSession spark, String task, ProgressListener listener) {
        this.spark = spark;
        this.task = task;
        this.listener = listener;
    }

    static TaskProgress attach(SparkSession spark, String task, ProgressListener listener) {
        TaskProgress p = new TaskProgress(spark, task, listener);
        spark.sparkContext().addSparkListener(p);
        return p;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        total.addAndGet(stage.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().successful()) {
            listener.onProgress(task + " tasks", done.incrementAndGet(), Math.max(total.get(), done.get()));
        } else {
            failedAttempts.incrementAndGet();
            LOG.warn("{}: task {} (partition {}, attempt {}) failed: {}; Spark retries it", task, end.taskInfo().taskId(),
                    end.taskInfo().partitionId(), end.taskInfo().attemptNumber(), end.reason());
        }
    }

    /** @return task attempts that failed so far */
    int failedAttempts() {
        return failedAttempts.get();
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(this);
    }
}
