package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import java.nio.file.Path;
import io.github.deepc.anomaly.cli.CommandExtension;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spark-experiment}: {@code anomaly experiment} with its runs as Spark tasks ({@link SparkExperiments}). */
@Command(name = "spark-experiment", description = "Run an experiment file's runs as Apache Spark tasks; the output folder "
        + "(shared by the executors) gets the same files as 'experiment' writes, and a second start resumes.")
public final class SparkExperimentCommand implements CommandExtension {
    @Spec
    CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment file (JSON).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (shared by the executors).")
    Path out;

    @Option(names = "--retry-failed", description = "Run failed and skipped runs again.")
    boolean retryFailed;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig c = ExperimentConfig.read(config);
        Path base = config.toAbsolutePath().getParent();
        boolean preexisting = SparkSessions.running();
        SparkSession spark = SparkSessions.create(master, "anomaly spark-experiment");
        try {
            ExperimentRunner.Outcome o = new SparkExperiments(spark).retryFailed(retryFailed).run(c, base, out, new ProgressListener() {
                @Override
                public void onProgress(String task, int done, int total) {
                    spec.commandLine().getErr().printf("%s: %d/%d%n", task, done, total);
                    spec.commandLine().getErr().flush();
                }
            });
            spec.commandLine().getOut().printf("%d runs (%d failed or skipped) in %s%n", o.results().size(), o.failed(), out);
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            SparkSessions.stopIfOwned(spark, preexisting);
        }
    }
}
