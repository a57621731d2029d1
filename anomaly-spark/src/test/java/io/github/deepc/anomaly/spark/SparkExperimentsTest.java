package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import io.github.deepc.anomaly.eval.experiment.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-run experiment through Spark gives the local runner's results; a second start resumes. */
class SparkExperimentsTest {
    /** results.csv columns that hold timings or clock times, which differ between any two runs. */
    private static final List<String> TIMING = List.of("train_seconds", "train_images_per_second", "score_images_per_second",
            "seconds", "finished_at");

    @TempDir
    Path tmp;

    @Test
    void twoRunsThroughSparkEqualTheLocalRunnerAndResume() throws IOException {
        Path cfg = tmp.resolve("experiment.json");
        Files.writeString(cfg, """
                {"name": "spark-two-runs", "data": {"path": "%s"},
                 "pipelines": [{"name": "default-32"}],
                 "models": [{"id": "pca", "params": {"components": "8"}}, {"id": "raw-pixels", "params": {"size": "8"}}],
                 "scorers": [{"id": "knn"}], "seeds": [1], "heatmaps": 1}
                """.formatted(TestSpark.phantoms().toString().replace("\\", "/")));
        ExperimentConfig config = ExperimentConfig.read(cfg);
        Path localOut = tmp.resolve("local");
        ExperimentRunner.Outcome local = new ExperimentRunner().run(config, tmp, localOut, ProgressListener.NONE);
        Path sparkOut = tmp.resolve("spark");
        ExperimentRunner.Outcome viaSpark = new SparkExperiments(TestSpark.session()).run(config, tmp, sparkOut, ProgressListener.NONE);

        assertEquals(2, local.results().size());
        assertEquals(2, viaSpark.results().size());
        assertEquals(0, viaSpark.ran(), "every run came from Spark; the driver only collected them");
        assertEquals(withoutTimings(localOut.resolve(ExperimentRunner.RESULTS_FILE)),
                withoutTimings(sparkOut.resolve(ExperimentRunner.RESULTS_FILE)));
        assertArrayEquals(Files.readAllBytes(localOut.resolve(ExperimentRunner.SPLIT_FILE)),
                Files.readAllBytes(sparkOut.resolve(ExperimentRunner.SPLIT_FILE)));
        for (RunResult r : local.results()) {
            assertEquals("ok", r.status(), r.reason());
            for (String f : List.of(ExperimentRunner.VALIDATION_SCORES, ExperimentRunner.TEST_SCORES)) {
                assertArrayEquals(Files.readAllBytes(localOut.resolve("runs").resolve(r.id()).resolve(f)),
                        Files.readAllBytes(sparkOut.resolve("runs").resolve(r.id()).resolve(f)), r.id() + "/" + f);
            }
        }

        // resume: a lost run is redone on Spark, the finished one is left as it is
        String kept = local.results().get(0).id();
        String lost = local.results().get(1).id();
        byte[] keptJson = Files.readAllBytes(sparkOut.resolve("runs").resolve(kept).resolve(RunResult.FILE));
        deleteRecursively(sparkOut.resolve("runs").resolve(lost));
        ExperimentRunner.Outcome resumed = new SparkExperiments(TestSpark.session()).run(config, tmp, sparkOut, ProgressListener.NONE);
        assertEquals(2, resumed.results().size());
        assertTrue(Files.exists(sparkOut.resolve("runs").resolve(lost).resolve(RunResult.FILE)));
        assertArrayEquals(keptJson, Files.readAllBytes(sparkOut.resolve("runs").resolve(kept).resolve(RunResult.FILE)));
        assertEquals(withoutTimings(localOut.resolve(ExperimentRunner.RESULTS_FILE)),
                withoutTimings(sparkOut.resolve(ExperimentRunner.RESULTS_FILE)));
    }

    private static List<List<String>> withoutTimings(Path resultsCsv) throws IOException {
        List<String> lines = Files.readAllLines(resultsCsv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < f.length; i++) {
                if (i >= header.size() || !TIMING.contains(header.get(i))) {
                    kept.add(f[i]);
                }
            }
            out.add(kept);
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
