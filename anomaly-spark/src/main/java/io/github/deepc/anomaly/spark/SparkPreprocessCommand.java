package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.detector.PipelineRef;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.PrintWriter;
import java.util.List;
import io.github.deepc.anomaly.cli.CommandExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spark-preprocess}: {@code anomaly preprocess} on Spark ({@link SparkPreprocessor}). */
@Command(name = "spark-preprocess", description = "Run a preprocessing pipeline over a data set on Apache Spark; write "
        + "8-bit PNGs (as 'preprocess' does) or DIR/images.parquet (pixels and masks, partitioned by class).")
public final class SparkPreprocessCommand implements CommandExtension {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--data", required = true, paramLabel = "DIR|URI", description = "Data folder or Hadoop URI of class folders.")
    String data;

    @Option(names = "--pipeline", paramLabel = "FILE|NAME", defaultValue = "default",
            description = "Pipeline JSON file or a named pipeline: default, recommended, chest, hand, none, each also as NAME-SIZE (default: ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--size", paramLabel = "N", description = "Square image side; sets every stage's 'size' parameter.")
    Integer size;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Seeds.DEFAULT_SEED, description = "Master seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--training", description = "Apply training-only stages (augment).")
    boolean training;

    @Option(names = "--out", required = true, paramLabel = "DIR|URI", description = "Output folder.")
    String out;

    @Option(names = "--format", paramLabel = "png|parquet", defaultValue = "png", description = "Output form (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "Partitions (default: max(parallelism, images/1000)).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("png") && !format.equals("parquet")) {
            throw new IllegalArgumentException("--format must be png or parquet, got '" + format + "'");
        }
        List<PluginSpec> specs = PipelineRef.parse(pipeline).resolve(size, PluginRegistry.defaultRegistry());
        PrintWriter err = spec.commandLine().getErr();
        boolean preexisting = SparkSessions.running();
        SparkSession spark = SparkSessions.create(master, "anomaly spark-preprocess");
        try {
            Dataset<Row> samples = SampleRows.of(spark, data, "NORMAL", partitions);
            SparkPreprocessor p = new SparkPreprocessor(spark, specs, seed, training);
            long start = System.nanoTime();
            String written;
            long failed = 0;
            long count;
            if (format.equals("png")) {
                if (!SampleRows.isLocal(out)) {
                    throw new IllegalArgumentException("--format png writes to a shared local folder; use --format parquet for " + out);
                }
                List<Row> rows = p.writePngs(samples, out);
                count = rows.size();
                for (Row r : rows) {
                    if (!r.isNullAt(3)) {
                        failed++;
                        err.println("failed: " + r.getString(1) + ": " + r.getString(3));
                    }
                }
                written = out;
            } else {
                written = p.writeParquet(samples, out);
                count = samples.count();
                failed = spark.read().parquet(written).filter("error is not null").count();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            spec.commandLine().getOut().printf("wrote %d images to %s (%d failed, %.1f images/s)%n", count - failed, written, failed,
                    (count - failed) / Math.max(seconds, 1e-9));
            spec.commandLine().getOut().flush();
            err.flush();
            return 0;
        } finally {
            SparkSessions.stopIfOwned(spark, preexisting);
        }
    }
}
