package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.cli.AnomalyCli;
import io.github.deepc.anomaly.cli.CommandExtension;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anomaly spark-score}: the {@code score} command on Spark. Found by the {@code anomaly} tool through
 * {@link CommandExtension} when this module (and Spark) are on the class path; also run by {@link SparkMain}.
 */
@Command(name = "spark-score", description = "Score images with a trained detector on Apache Spark; writes "
        + "DIR/scores.parquet (path,patient,label,score,decision,error,ordinal) or DIR/scores.csv in 'score''s format "
        + "plus DIR/failures.csv.")
public final class SparkScoreCommand implements CommandExtension {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2], spark://host:7077, yarn "
            + "(default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--detector", required = true, paramLabel = "FILE|URI", description = "A detector saved by 'train'.")
    String detector;

    @Option(names = "--data", required = true, paramLabel = "DIR|URI", description = "Images: a local folder (class folders, "
            + "loose images or MURA) or a Hadoop URI (hdfs://, s3a://...) of class folders.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR|URI", description = "Output folder.")
    String out;

    @Option(names = "--format", paramLabel = "parquet|csv", defaultValue = "parquet",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Partitions (Spark tasks) to split the images into (default: max(parallelism, images/1000)).")
    int partitions;

    @Option(names = "--heatmaps", paramLabel = "DIR", description = "Also write heat-map overlays (PNG) to this shared folder.")
    String heatmaps;

    @Option(names = "--json", description = "Print only a JSON summary line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        OutputFormat fmt = OutputFormat.parse(format);
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be at least 0, got " + partitions);
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        boolean preexisting = SparkSessions.running();
        SparkSession spark = SparkSessions.create(master, "anomaly spark-score");
        try {
            SparkScorer scorer = SparkScorer.load(spark, detector).withHeatmaps(heatmaps);
            String normalClass = ExecutorDetectors.normalClass(scorer);
            Dataset<Row> samples = SampleRows.of(spark, data, normalClass, partitions);
            long count = samples.count();
            if (!json) {
                err.printf("scoring %d images of %s on %s in %d partitions%n", count, data, spark.sparkContext().master(),
                        samples.rdd().getNumPartitions());
                err.flush();
            }
            ProgressListener progress = new ProgressListener() {
                private int lastPercent = -1;

                @Override
                public void onProgress(String task, int done, int total) {
                    int percent = total == 0 ? 100 : done * 100 / total;
                    if (!json && percent / 10 != lastPercent / 10) {
                        lastPercent = percent;
                        err.printf("%s: %d/%d%n", task, done, total);
                        err.flush();
                    }
                }

                @Override
                public void onItemFailed(String item, String reason) {
                    err.println("failed: " + item + ": " + reason);
                }
            };
            SparkScorer.Summary s = scorer.write(scorer.score(samples), out, fmt, progress);
            double rate = s.scored() / Math.max(s.seconds(), 1e-9);
            Map<String, Object> summary = new java.util.LinkedHashMap<>();
            summary.put("scores", s.output());
            summary.put("scored", s.scored());
            summary.put("failed", s.failed());
            summary.put("failures", s.failures());
            summary.put("partitions", s.partitionCounts().size());
            summary.put("failedPerPartition", s.partitionCounts().entrySet().stream().filter(e -> e.getValue()[1] > 0)
                    .collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), e -> e.getValue()[1],
                            (a, b) -> a, java.util.TreeMap::new)));
            summary.put("seconds", s.seconds());
            summary.put("scoreImagesPerSecond", rate);
            if (json) {
                outWriter.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(summary));
            } else {
                s.partitionCounts().forEach((p, c) -> {
                    if (c[1] > 0) {
                        err.printf("partition %d: %d scored, %d failed%n", p, c[0], c[1]);
                    }
                });
                outWriter.printf("wrote %s (%d scored, %d failed, %.1f images/s)%n", s.output(), s.scored(), s.failed(), rate);
            }
            outWriter.flush();
            err.flush();
            // the exit codes of score: some failed, none scored
            return s.scored() == 0 && s.failed() > 0 ? AnomalyCli.ALL_FAILED : s.failed() > 0 ? AnomalyCli.SOME_FAILED : 0;
        } finally {
            SparkSessions.stopIfOwned(spark, preexisting);
        }
    }
}
