package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark, not a test: scoring throughput of the single-JVM API ({@code scoreAll}, what {@code score} runs) against
 * Spark {@code local[1]} and {@code local[2]} (Parquet output) on one data folder, and the resident set size of a
 * {@code local[4]} executor (4 task slots) over two passes of the folder.
 *
 * <pre>
 * java -cp 'anomaly-spark/target/test-classes:anomaly-spark/target/classes:anomaly-spark/target/lib/*' \
 *     io.github.deepc.anomaly.spark.SparkScoreBenchmark ../shared/data/chest-xray/train [trainImages] [size]
 * </pre>
 */
public final class SparkScoreBenchmark {
    private SparkScoreBenchmark() {
    }

    /**
     * @param args data folder, training images (default 200), image size (default 32)
     * @throws IOException when the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/chest-xray/train");
        int train = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(data);
        Path work = Files.createTempDirectory("anomaly-spark-bench-");
        Path detector = work.resolve("bench.detector");
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(DetectorDefaults.recommendedPipeline(size)).build()) {
            d.fit(ds.normals().subList(0, Math.min(train, ds.normals().size())), ProgressListener.NONE);
            d.save(detector);
        }
        int n = ds.size();
        System.out.printf("data %s: %d images; detector: recommended (equalize, %d px, pca, cosine knn), %d training images%n",
                data, n, size, train);
        System.out.printf("cores %d, rss at start %d MiB%n", Runtime.getRuntime().availableProcessors(), rssMiB());

        try (AnomalyDetector d = AnomalyDetector.load(detector)) {
            d.scoreAll(ds.samples().subList(0, Math.min(256, n)), ProgressListener.NONE); // warm-up
            long t0 = System.nanoTime();
            BatchResult<Detection> r = d.scoreAll(ds.samples(), ProgressListener.NONE);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("single JVM scoreAll: %d images in %.2f s = %.0f images/s (%.0f us/image)%n", r.results().size(), s,
                    r.results().size() / s, s * 1e6 / n);
        }
        for (String master : new String[] {"local[1]", "local[2]"}) {
            SparkSession spark = SparkSessions.create(master, "anomaly spark benchmark");
            try {
                SparkScorer scorer = SparkScorer.load(spark, detector.toString());
                Dataset<Row> samples = SampleRows.of(spark, data.toString(), "NORMAL", 0);
                scorer.score(SampleRows.of(spark, data.toString(), "NORMAL", 2).limit(256)).count(); // warm-up, loads the detector
                for (int rep = 0; rep < 2; rep++) {
                    long t0 = System.nanoTime();
                    SparkScorer.Summary sum = scorer.write(scorer.score(samples), work.resolve("out-" + rep).toString(),
                            OutputFormat.PARQUET, ProgressListener.NONE);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("spark %s (%d partitions), pass %d: %d images in %.2f s = %.0f images/s (%.0f us/image)%n",
                            master, sum.partitionCounts().size(), rep + 1, sum.scored(), s, sum.scored() / s, s * 1e6 / n);
                }
            } finally {
                spark.stop();
            }
        }
        SparkSession spark = SparkSessions.create("local[4]", "anomaly spark memory");
        try {
            SparkScorer scorer = SparkScorer.load(spark, detector.toString());
            Dataset<Row> samples = SampleRows.of(spark, data.toString(), "NORMAL", 8);
            long total = 0;
            for (int pass = 1; pass <= 3; pass++) {
                total += scorer.write(scorer.score(samples), work.resolve("mem").toString(), OutputFormat.PARQUET,
                        ProgressListener.NONE).scored();
                System.out.printf("local[4] pass %d: %d images scored so far, detectors loaded in this JVM %d, rss %d MiB%n", pass,
                        total, ExecutorDetectors.loads(), rssMiB());
            }
        } finally {
            spark.stop();
        }
    }

    private static long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
