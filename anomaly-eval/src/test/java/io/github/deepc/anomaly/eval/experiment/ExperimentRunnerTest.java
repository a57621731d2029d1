package io.github.deepc.anomaly.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.split.SplitCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on generated hand phantoms (32 px) with the fast test plugins: resume and failure isolation. */
class ExperimentRunnerTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = shared.resolve("phantoms");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 30, 12, 11);
    }

    /** Counts the runs that start, finish and are reused. */
    static final class Counting implements ExperimentListener {
        final List<RunSpec> started = new ArrayList<>();
        final List<RunResult> reused = new ArrayList<>();
        int epochs;

        @Override
        public void onRunStarted(RunSpec run, int index, int total) {
            started.add(run);
        }

        @Override
        public void onRunReused(RunResult result) {
            reused.add(result);
        }

        @Override
        public void onEpoch(io.github.deepc.anomaly.core.progress.EpochReport report) {
            epochs++;
        }
    }

    static Path config(Path dir, String models, String scorers, String seeds, String protocolExtra) throws IOException {
        String json = """
                {"name": "phantoms", "description": "test experiment",
                 "data": {"path": "%s", "layout": "class-folder", "normalClass": "NORMAL"},
                 "protocol": {"type": "research", "trainFraction": 0.7, "validationFraction": 0.5%s},
                 "pipelines": [{"name": "none"}],
                 "models": [%s], "scorers": [%s], "seeds": [%s], "heatmaps": 3}
                """.formatted(data.toString().replace("\\", "/"), protocolExtra, models, scorers, seeds);
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("experiment.json"), json);
    }

    static ExperimentRunner.Outcome run(Path configFile, Path out, ProgressListener listener) throws IOException {
        ExperimentConfig c = ExperimentConfig.read(configFile);
        return new ExperimentRunner().run(c, configFile.getParent(), out, listener);
    }

    @Test
    void aFailingCombinationIsRecordedAndTheOthersFinish() throws IOException {
        Path cfg = config(tmp.resolve("cfg"), "{\"id\": \"test-mean\"}, {\"id\": \"test-mean\", \"params\": {\"epochs\": 0}},"
                + " {\"id\": \"test-mean\", \"params\": {\"fail\": true}}, {\"id\": \"no-such-model\"}",
                "{\"id\": \"test-mse\"}, {\"id\": \"test-disc\"}", "1, 2", "");
        Path out = tmp.resolve("out");
        Counting counting = new Counting();
        ExperimentRunner.Outcome o = run(cfg, out, counting);
        assertEquals(16, o.results().size());
        assertEquals(16, o.ran());
        Map<String, List<RunResult>> by = o.results().stream()
                .collect(Collectors.groupingBy(r -> r.model() + "+" + r.scorer()));
        by.get("test-mean+test-mse").forEach(r -> {
            assertEquals("ok", r.status());
            // the recorded figure is the ROC-AUC of the run's own test scores file
            java.util.List<io.github.deepc.anomaly.eval.scores.ScoreRow> rows;
            try {
                rows = io.github.deepc.anomaly.eval.scores.ScoresCsv.read(
                        out.resolve(ExperimentRunner.RUNS_DIR).resolve(r.id()).resolve(ExperimentRunner.TEST_SCORES));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertEquals(io.github.deepc.anomaly.eval.metrics.RankingMetrics.rocAuc(
                    rows.stream().mapToInt(x -> x.label().code()).toArray(),
                    rows.stream().mapToDouble(x -> x.score()).toArray()), r.figures().testRocAuc(), 1e-12);
            assertNotNull(r.figures().validationRocAuc());
            assertNotNull(r.figures().threshold());
            assertEquals(4, r.figures().confusion().size());
            assertEquals(6, r.heatmaps().size(), "3 most and 3 least abnormal");
        });
        by.get("test-mean{epochs=0}+test-mse").forEach(r -> {
            assertEquals("failed", r.status());
            assertTrue(r.reason().contains("epochs") && r.reason().contains("out of range"), r.reason());
        });
        by.get("test-mean{fail=true}+test-mse").forEach(r -> {
            assertEquals("failed", r.status());
            assertTrue(r.reason().contains("training diverged"), r.reason());
        });
        by.get("no-such-model+test-mse").forEach(r -> {
            assertEquals("failed", r.status());
            assertTrue(r.reason().contains("unknown model 'no-such-model'") && r.reason().contains("test-mean"), r.reason());
        });
        // test-disc needs a discriminator, which test-mean lacks: the combination is skipped, not failed
        by.get("test-mean+test-disc").forEach(r -> {
            assertEquals("skipped", r.status());
            assertTrue(r.reason().contains("DISCRIMINATOR_PROBABILITY"), r.reason());
        });
        assertEquals(2, counting.epochs, "only the two good runs trained");

        List<String> results = Files.readAllLines(out.resolve(ExperimentRunner.RESULTS_FILE));
        assertEquals(ResultsCsv.HEADER, results.get(0));
        assertEquals(17, results.size());
        String md = Files.readString(out.resolve(ExperimentRunner.SUMMARY_MD));
        assertTrue(md.contains("| test-mean | test-mse | none |"), md);
        assertTrue(md.contains("training diverged"), md);
        List<String> summary = Files.readAllLines(out.resolve(ExperimentRunner.SUMMARY_CSV));
        assertEquals(Summary.CSV_HEADER, summary.get(0));
        assertEquals(1 + 8, summary.size(), "one row per combination");
        assertTrue(summary.get(1).startsWith("test-mean,test-mse,none,2,0,"), summary.get(1));
        assertEquals(o.split(), SplitCsv.read(out.resolve(ExperimentRunner.SPLIT_FILE)));
        assertTrue(Files.isRegularFile(out.resolve(ExperimentRunner.CONFIG_FILE)));
    }

    @Test
    void resumingRedoesOnlyTheRunWithoutAResult() throws IOException {
        Path cfg = config(tmp.resolve("cfg"), "{\"id\": \"test-mean\"}, {\"id\": \"test-mean\", \"name\": \"broken\", \"params\": {\"fail\": true}}",
                "{\"id\": \"test-mse\"}", "1, 2, 3", "");
        Path out = tmp.resolve("out");
        Counting first = new Counting();
        ExperimentRunner.Outcome o1 = run(cfg, out, first);
        assertEquals(6, first.started.size());
        assertEquals(3, o1.failed());

        RunResult victim = o1.results().get(1);
        assertEquals(2, victim.seed());
        Path victimDir = out.resolve(ExperimentRunner.RUNS_DIR).resolve(victim.id());
        Files.delete(victimDir.resolve(RunResult.FILE));
        Files.writeString(victimDir.resolve("half-written.tmp"), "interrupted");

        Counting second = new Counting();
        ExperimentRunner.Outcome o2 = run(cfg, out, second);
        assertEquals(1, second.started.size(), "only the run without a result is redone");
        assertEquals(victim.id(), second.started.get(0).id());
        assertEquals(1, o2.ran());
        assertEquals(5, o2.reused());
        assertTrue(Files.notExists(victimDir.resolve("half-written.tmp")), "an unfinished run starts from scratch");
        assertTrue(Files.isRegularFile(victimDir.resolve(ExperimentRunner.TEST_SCORES)));
        Map<String, RunResult> before = o1.results().stream().collect(Collectors.toMap(RunResult::id, Function.identity()));
        for (RunResult r : o2.results()) {
            if (!r.id().equals(victim.id())) {
                assertEquals(before.get(r.id()), r, "finished runs are reused as they were");
            }
        }
        assertEquals(before.get(victim.id()).figures().testRocAuc(), o2.results().get(1).figures().testRocAuc(),
                "the redone run is reproducible");
        assertEquals(7, Files.readAllLines(out.resolve(ExperimentRunner.RESULTS_FILE)).size());

        Counting third = new Counting();
        ExperimentRunner.Outcome o3 = new ExperimentRunner().retryFailed(true)
                .run(ExperimentConfig.read(cfg), cfg.getParent(), out, third);
        assertEquals(3, third.started.size(), "--retry-failed redoes the failed runs only");
        assertTrue(third.started.stream().allMatch(s -> s.modelLabel().equals("broken")));
        assertEquals(3, o3.failed());
    }

    @Test
    void aChangedSplitIsRefusedOnResume() throws IOException {
        Path out = tmp.resolve("out");
        run(config(tmp.resolve("a"), "{\"id\": \"test-mean\"}", "{\"id\": \"test-mse\"}", "1", ""), out, ProgressListener.NONE);
        Path changed = config(tmp.resolve("b"), "{\"id\": \"test-mean\"}", "{\"id\": \"test-mse\"}", "1", ", \"seed\": 7");
        IOException e = assertThrows(IOException.class, () -> run(changed, out, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("split.csv") && e.getMessage().contains("differs"), e.getMessage());
    }

    @Test
    void givenTestProtocolTrainsOnOneFolderAndTestsOnAnother() throws IOException {
        Path testData = tmp.resolve("test-folder");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(testData, 10, 10, 5_000);
        Path cfg = config(tmp.resolve("cfg"), "{\"id\": \"test-mean\"}", "{\"id\": \"test-mse\"}", "1", "")
                .getParent().resolve("given.json");
        Files.writeString(cfg, """
                {"data": {"path": "%s", "maxNormals": 20},
                 "protocol": {"type": "given-test", "validationFraction": 0, "test": {"path": "../test-folder"}},
                 "pipelines": [{"name": "plain", "stages": []}],
                 "models": [{"id": "test-mean"}], "scorers": [{"id": "test-mse"}], "seeds": [3], "heatmaps": 0}
                """.formatted(data.toString().replace("\\", "/")));
        ExperimentRunner.Outcome o = run(cfg, tmp.resolve("out"), ProgressListener.NONE);
        assertEquals("given", ExperimentConfig.read(cfg).name(), "the name defaults to the file name");
        assertEquals(20, o.split().train().size());
        assertEquals(20, o.split().test().size());
        assertTrue(o.split().validation().isEmpty());
        RunResult r = o.results().get(0);
        assertEquals("ok", r.status());
        assertNull(r.figures().validationRocAuc(), "no validation part");
        assertNull(r.figures().threshold());
        assertEquals(20, ScoresCsv.read(tmp.resolve("out/runs").resolve(r.id()).resolve(ExperimentRunner.TEST_SCORES)).size());
        assertTrue(r.heatmaps().isEmpty());
    }

    @Test
    void runIdsChangeWithParametersOnly() throws IOException {
        ExperimentConfig a = ExperimentConfig.read(config(tmp.resolve("a"), "{\"id\": \"test-mean\", \"params\": {\"epochs\": 2}}",
                "{\"id\": \"test-mse\"}", "1", ""));
        ExperimentConfig b = ExperimentConfig.read(config(tmp.resolve("b"), "{\"id\": \"test-mean\", \"params\": {\"epochs\": 3}}",
                "{\"id\": \"test-mse\"}", "1", ""));
        String idA = ExperimentRunner.runs(a, tmp).get(0).id();
        assertEquals(idA, ExperimentRunner.runs(a, tmp).get(0).id());
        assertTrue(!idA.equals(ExperimentRunner.runs(b, tmp).get(0).id()));
        assertTrue(idA.matches("none_test-mean_test-mse_s1-[0-9a-f]{8}"), idA);
    }
}
