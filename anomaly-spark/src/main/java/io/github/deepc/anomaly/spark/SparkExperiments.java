package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.experiment.ComponentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import io.github.deepc.anomaly.eval.experiment.PipelineConfig;
import io.github.deepc.anomaly.eval.experiment.RunResult;
import io.github.deepc.anomaly.eval.experiment.RunSpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment file's runs as Spark tasks and collects them into the same output folder, with the same files,
 * as {@link ExperimentRunner} (the local runner) writes.
 *
 * <p>One task per (pipeline, model, seed): the runs that differ only in the scorer share one trained model, as
 * locally. A task runs the local runner on a one-combination copy of the experiment in a private folder, then moves
 * each finished run folder ({@code runs/<id>/}, ending in {@code run.json}) into the shared output folder with one
 * atomic rename; a retried or duplicated task finds the run already there and leaves it. The driver then runs the
 * local runner over the whole experiment, which reuses every finished run and writes {@code split.csv},
 * {@code results.csv} and the summaries exactly as a local run does. Resumable like the local runner: runs whose
 * {@code run.json} exists are not sent to Spark again. The data and the output folder must be on a file system every
 * executor sees (a local folder for {@code local[*]}, a shared mount on a cluster).
 */
public final class SparkExperiments {
    private static final Logger LOG = LoggerFactory.getLogger(SparkExperiments.class);

    private final SparkSession spark;
    private boolean retryFailed;

    /** @param spark the session */
    public SparkExperiments(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * @param retry whether failed and skipped runs are run again (as {@link ExperimentRunner#retryFailed})
     * @return this
     */
    public SparkExperiments retryFailed(boolean retry) {
        this.retryFailed = retry;
        return this;
    }

    /**
     * Runs (or resumes) an experiment on Spark.
     *
     * @param config   the experiment
     * @param baseDir  folder its relative paths are resolved against
     * @param outDir   the output folder (shared by the executors)
     * @param listener progress: one unit per Spark task
     * @return the local runner's outcome over the collected runs
     * @throws IOException when the output cannot be written
     */
    public ExperimentRunner.Outcome run(ExperimentConfig config, Path baseDir, Path outDir, ProgressListener listener)
            throws IOException {
        config.validate();
        Path base = baseDir.toAbsolutePath().normalize();
        Path out = outDir.toAbsolutePath().normalize();
        Files.createDirectories(out.resolve(ExperimentRunner.RUNS_DIR));
        List<RunSpec> runs = ExperimentRunner.runs(config, base);
        Map<String, Task> tasks = new LinkedHashMap<>();
        int index = 0;
        for (PipelineConfig p : config.pipelines()) {
            for (ComponentConfig m : config.models()) {
                for (long seed : config.seeds()) {
                    boolean pending = false;
                    for (int k = 0; k < config.scorers().size(); k++) {
                        RunSpec spec = runs.get(index++);
                        Optional<RunResult> done = RunResult.readIfPresent(out.resolve(ExperimentRunner.RUNS_DIR).resolve(spec.id()));
                        pending |= done.isEmpty() || (!done.get().isOk() && retryFailed);
                    }
                    if (pending) {
                        ExperimentConfig one = new ExperimentConfig(config.name(), config.description(), config.data(),
                                config.protocol(), List.of(p), List.of(named(m, config.models())), config.scorers(),
                                List.of(seed), config.heatmaps(), config.saveDetectors());
                        tasks.put(p.name() + "|" + m + "|" + seed, new Task(one.toJson(), base.toString(), out.toString(), retryFailed));
                    }
                }
            }
        }
        LOG.info("experiment {}: {} runs, {} Spark tasks to do", config.name(), runs.size(), tasks.size());
        if (!tasks.isEmpty()) {
            try (TaskProgress progress = TaskProgress.attach(spark, "spark-experiment", listener)) {
                List<String> moved = JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(new ArrayList<>(tasks.values()), tasks.size())
                        .flatMap(t -> t.call().iterator()).collect();
                LOG.info("experiment {}: {} runs finished on Spark ({} task attempts retried)", config.name(), moved.size(),
                        progress.failedAttempts());
            }
        }
        // every run is finished now: the local runner only collects them (and writes the split and the tables)
        return new ExperimentRunner().retryFailed(false).run(config, base, out, listener);
    }

    /** A copy of a model entry whose name is the label the full experiment gives it, so that tables read the same. */
    private static ComponentConfig named(ComponentConfig c, List<ComponentConfig> all) {
        if (c.name() != null && !c.name().isBlank()) {
            return c;
        }
        long sameId = all.stream().filter(o -> o.id().equals(c.id()) && (o.name() == null || o.name().isBlank())).count();
        return sameId > 1 ? new ComponentConfig(c.id(), c.params(), c.spec().toString()) : c;
    }

    /** One (pipeline, model, seed) with all scorers, run by the local runner inside a Spark task. */
    private record Task(String configJson, String baseDir, String outDir, boolean retryFailed) implements Serializable {
        List<String> call() {
            try {
                Path work = Files.createTempDirectory("anomaly-spark-experiment-");
                try {
                    Path file = work.resolve("experiment.json");
                    Files.writeString(file, configJson);
                    ExperimentConfig config = ExperimentConfig.read(file);
                    Path local = work.resolve("out");
                    new ExperimentRunner().retryFailed(retryFailed).run(config, Path.of(baseDir), local, ProgressListener.NONE);
                    List<String> moved = new ArrayList<>();
                    try (Stream<Path> dirs = Files.list(local.resolve(ExperimentRunner.RUNS_DIR))) {
                        for (Path run : dirs.toList()) {
                            if (publish(run, Path.of(outDir).resolve(ExperimentRunner.RUNS_DIR).resolve(run.getFileName().toString()))) {
                                moved.add(run.getFileName().toString());
                            }
                        }
                    }
                    return moved;
                } finally {
                    deleteRecursively(work);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("experiment task failed: " + e.getMessage(), e);
            }
        }

        /** Moves a finished run folder in with one rename; an earlier finished copy (a retried task's) is kept. */
        private boolean publish(Path run, Path target) throws IOException {
            if (!Files.exists(run.resolve(RunResult.FILE))) {
                return false;
            }
            Optional<RunResult> existing = RunResult.readIfPresent(target);
            if (existing.isPresent() && (existing.get().isOk() || !retryFailed)) {
                return false;
            }
            Path staging = target.resolveSibling("." + target.getFileName() + "-" + System.nanoTime());
            copyRecursively(run, staging);
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteRecursively(staging);
                if (RunResult.readIfPresent(target).isPresent()) {
                    return false;
                }
                throw e;
            }
            return true;
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
