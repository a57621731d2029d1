package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.io.Csv;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores images with a saved detector on Spark.
 *
 * <pre>{@code
 * SparkScorer scorer = SparkScorer.load(spark, "hdfs:///models/chest.detector");
 * Dataset<Row> scores = scorer.score(SampleRows.of(spark, "hdfs:///archive/chest", "NORMAL", 0));
 * SparkScorer.Summary s = scorer.write(scores, "hdfs:///out/chest-scores", OutputFormat.PARQUET);
 * }</pre>
 *
 * <p>The detector file's bytes are broadcast once; each executor JVM loads the detector lazily on its first task and
 * all its task slots share it ({@link ExecutorDetectors}). Scores equal the single-JVM {@code score} command's bit
 * for bit: the same sample ids seed the same per-image preprocessing and inference is per image. Every input row
 * gives one output row ({@link ScoreRows}); unreadable images carry an {@code error} instead of a score.
 */
public final class SparkScorer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkScorer.class);
    /** The scores file of {@link OutputFormat#CSV}. */
    public static final String SCORES_CSV = "scores.csv";
    /** The failures file of {@link OutputFormat#CSV}: {@code path,error}. */
    public static final String FAILURES_CSV = "failures.csv";
    /** The data set folder of {@link OutputFormat#PARQUET}. */
    public static final String SCORES_PARQUET = "scores.parquet";

    private final SparkSession spark;
    private final Broadcast<byte[]> detector;
    private final String heatmapDir;
    private final LongAccumulator scored;
    private final LongAccumulator failed;
    private final CollectionAccumulator<String> partitions;

    private SparkScorer(SparkSession spark, byte[] detectorBytes, String heatmapDir) {
        this.spark = spark;
        this.detector = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(detectorBytes);
        this.heatmapDir = heatmapDir;
        this.scored = spark.sparkContext().longAccumulator("anomaly images scored");
        this.failed = spark.sparkContext().longAccumulator("anomaly images failed");
        this.partitions = spark.sparkContext().collectionAccumulator("anomaly partition counts");
    }

    /**
     * @param spark    the session
     * @param detector a detector file saved by {@code train} (local path or Hadoop URI)
     * @return a scorer
     * @throws IOException when the file cannot be read
     */
    public static SparkScorer load(SparkSession spark, String detector) throws IOException {
        return new SparkScorer(spark, LocalFiles.readAll(detector, spark.sparkContext().hadoopConfiguration()), null);
    }

    /** @return the detector file's bytes */
    byte[] detectorBytes() {
        return detector.value();
    }

    /**
     * @param dir a folder on a file system every executor shares (local runs: any folder), or {@code null}
     * @return a scorer that also writes heat-map overlays (PNG, named like {@code score}'s) there
     */
    public SparkScorer withHeatmaps(String dir) {
        if (dir != null) {
            try {
                Files.createDirectories(Path.of(dir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create heat-map folder " + dir + ": " + e.getMessage(), e);
            }
        }
        return new SparkScorer(spark, detector.value(), dir);
    }

    /**
     * Scores sample rows ({@link SampleRows}) lazily: nothing runs until the result is written or collected.
     *
     * @param samples sample rows, e.g. from {@link SampleRows#of} or {@link SampleRows#fromPaths}
     * @return one {@link ScoreRows} row per input row
     */
    public Dataset<Row> score(Dataset<Row> samples) {
        Objects.requireNonNull(samples, "samples");
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        return samples.mapPartitions(new ScorePartition(detector, conf, heatmapDir, scored, failed, partitions),
                Encoders.row(ScoreRows.SCHEMA));
    }

    /**
     * What a {@link #write} did.
     *
     * @param output          the file or folder written
     * @param scored          images scored
     * @param failed          images that could not be scored (rows with an {@code error})
     * @param failures        per failed image, {@code path: error} (CSV format only; Parquet holds them in the data)
     * @param partitionCounts per partition, {@code partition -> [scored, failed]}
     * @param seconds         wall time
     */
    public record Summary(String output, long scored, long failed, List<String> failures, TreeMap<Integer, long[]> partitionCounts,
                          double seconds) {
    }

    /**
     * Runs the scoring and writes it: {@code out/scores.parquet} (all columns), or {@code out/scores.csv} in
     * {@code score}'s format (in input order; written atomically) plus {@code out/failures.csv} ({@code path,error}).
     * CSV gathers the rows on the driver, about 150 bytes each: use Parquet for many millions of images.
     *
     * @param scores   the result of {@link #score}
     * @param out      output folder (local, or any Hadoop URI for Parquet)
     * @param format   Parquet or CSV
     * @param listener hears the failed images (CSV) and progress
     * @return counts and timing
     * @throws IOException when writing fails
     */
    public Summary write(Dataset<Row> scores, String out, OutputFormat format, ProgressListener listener) throws IOException {
        long start = System.nanoTime();
        long scored0 = scored.value();
        long failed0 = failed.value();
        int parts0 = partitions.value().size();
        List<String> failures = new ArrayList<>();
        String output;
        try (TaskProgress progress = TaskProgress.attach(spark, "spark-score", listener)) {
            if (format == OutputFormat.PARQUET) {
                output = out.replaceAll("/+$", "") + "/" + SCORES_PARQUET;
                scores.write().mode(SaveMode.Overwrite).parquet(output);
            } else {
                if (!SampleRows.isLocal(out)) {
                    throw new IllegalArgumentException("--format csv writes a local file; use --format parquet for " + out);
                }
                Path dir = Path.of(out);
                Files.createDirectories(dir);
                List<ScoreRow> rows = new ArrayList<>();
                TreeMap<Long, ScoreRow> byOrdinal = new TreeMap<>();
                StringBuilder failuresCsv = new StringBuilder("path,error\n");
                Iterator<Row> it = scores.toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    String path = r.getAs(ScoreRows.PATH);
                    if (!r.isNullAt(5)) {
                        String error = r.getAs(ScoreRows.ERROR);
                        failures.add(path + ": " + error);
                        failuresCsv.append(Csv.quote(path)).append(',').append(Csv.quote(error)).append('\n');
                        listener.onItemFailed(path, error);
                        continue;
                    }
                    Integer decision = r.getAs(ScoreRows.DECISION);
                    byOrdinal.put(r.getAs(ScoreRows.ORDINAL), new ScoreRow(path, r.getAs(ScoreRows.PATIENT),
                            SampleRows.label(r.getAs(ScoreRows.LABEL)), r.<Double>getAs(ScoreRows.SCORE),
                            decision == null ? ScoreRow.NO_DECISION : decision));
                }
                rows.addAll(byOrdinal.values());
                Path file = dir.resolve(SCORES_CSV);
                Path tmp = dir.resolve(SCORES_CSV + ".tmp");
                ScoresCsv.write(tmp, rows);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Csv.writeAtomically(dir.resolve(FAILURES_CSV), failuresCsv.toString());
                output = file.toString();
            }
            if (progress.failedAttempts() > 0) {
                LOG.warn("{} task attempts failed and were retried by Spark; every row comes from one successful attempt",
                        progress.failedAttempts());
            }
        }
        TreeMap<Integer, long[]> perPartition = new TreeMap<>();
        List<String> counts = partitions.value();
        for (String c : counts.subList(Math.min(parts0, counts.size()), counts.size())) {
            String[] f = c.split(",");
            perPartition.merge(Integer.parseInt(f[0]), new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        Summary s = new Summary(output, scored.value() - scored0, failed.value() - failed0, failures, perPartition,
                (System.nanoTime() - start) / 1e9);
        LOG.info("wrote {}: {} scored, {} failed in {} s", output, s.scored(), s.failed(), String.format("%.1f", s.seconds()));
        return s;
    }
}
