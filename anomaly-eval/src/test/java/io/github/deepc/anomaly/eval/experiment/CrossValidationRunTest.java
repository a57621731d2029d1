package io.github.deepc.anomaly.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import io.github.deepc.anomaly.eval.split.DataSplit;
import io.github.deepc.anomaly.eval.split.SplitCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grouped-cv protocol end to end on generated phantoms with the fast test plugins. */
class CrossValidationRunTest {
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

    private Path config(String extra) throws IOException {
        String json = """
                {"name": "cv", "data": {"path": "%s", "normalClass": "NORMAL"},
                 "protocol": {"type": "grouped-cv", "folds": 3, "repeats": 2, "seed": 5},
                 "pipelines": [{"name": "none"}],
                 "models": [{"id": "test-mean"}, {"id": "test-mean", "name": "broken", "params": {"fail": true}}],
                 "scorers": [{"id": "test-mse"}], "seeds": [1, 2], "heatmaps": 1%s}
                """.formatted(data.toString().replace("\\", "/"), extra);
        Files.createDirectories(tmp.resolve("cfg"));
        return Files.writeString(tmp.resolve("cfg/cv.json"), json);
    }

    private static ExperimentRunner.Outcome run(Path cfg, Path out, ProgressListener l) throws IOException {
        return new ExperimentRunner().run(ExperimentConfig.read(cfg), cfg.getParent(), out, l);
    }

    @Test
    void everyMethodRunsOnEveryFoldAndEveryImageIsTestedOncePerRepetition() throws IOException {
        Path cfg = config(", \"selection\": {\"confirm-folds\": 1}");
        Path out = tmp.resolve("out");
        ExperimentRunner.Outcome o = run(cfg, out, ProgressListener.NONE);
        assertEquals(2 * 3 * 2 * 2, o.results().size(), "repetitions x folds x models x seeds");
        assertTrue(Files.notExists(out.resolve(ExperimentRunner.SPLIT_FILE)), "no single split file");
        int labelled = 30 + 12;
        for (int r = 1; r <= 2; r++) {
            for (long seed : List.of(1L, 2L)) {
                Map<String, Integer> tested = new HashMap<>();
                for (int f = 1; f <= 3; f++) {
                    int rep = r;
                    int fold = f;
                    RunResult run = o.results().stream().filter(x -> x.model().equals("test-mean") && x.seed() == seed
                            && x.repetition() == rep && x.fold() == fold).findFirst().orElseThrow();
                    assertEquals("ok", run.status());
                    assertNull(run.figures().validationRocAuc(), "no validation part in cross-validation");
                    assertNull(run.trainLimit());
                    DataSplit split = SplitCsv.read(out.resolve(ExperimentRunner.SPLITS_DIR).resolve("r" + r + "-f" + f + ".csv"));
                    assertEquals(split, o.folds().get(r - 1).get(f - 1));
                    assertEquals(split.train().size(), run.figures().trainImages());
                    List<ScoreRow> rows = ScoresCsv.read(out.resolve(ExperimentRunner.RUNS_DIR).resolve(run.id())
                            .resolve(ExperimentRunner.TEST_SCORES));
                    Set<String> trained = new HashSet<>();
                    split.train().forEach(s -> trained.add(s.path().toString()));
                    for (ScoreRow row : rows) {
                        tested.merge(row.path(), 1, Integer::sum);
                        assertTrue(!trained.contains(row.path()), "tested image also trained: " + row.path());
                    }
                    long testedNormals = rows.stream().filter(x -> x.label() == Label.NORMAL).count();
                    assertEquals(30, testedNormals + split.train().size(), "all other normals train");
                }
                assertEquals(labelled, tested.size(), "every labelled image tested in repetition " + r);
                assertTrue(tested.values().stream().allMatch(n -> n == 1), "each once");
            }
        }
        List<String> lines = Files.readAllLines(out.resolve(ExperimentRunner.RESULTS_FILE));
        assertEquals(ResultsCsv.HEADER, lines.get(0));
        assertTrue(lines.get(1).endsWith(",1,1,"), "results rows carry repetition and fold: " + lines.get(1));

        CrossValidationSummary cv = o.crossValidation().orElseThrow();
        assertEquals(Files.readAllLines(out.resolve(ExperimentRunner.SUMMARY_CSV)).get(0), CrossValidationSummary.CSV_HEADER);
        CrossValidationSummary.Row ok = cv.rows().get(0);
        assertEquals(6, ok.rocAuc().units(), "3 folds x 2 repetitions");
        assertEquals(2, ok.seeds());
        assertTrue(ok.selected(), "the only working model is chosen");
        assertEquals(4, ok.chosenOn().units(), "folds 1-2 of both repetitions");
        assertEquals(2, ok.confirmedOn().units(), "fold 3 of both repetitions");
        assertEquals(12, cv.rows().get(1).failed());
        String md = Files.readString(out.resolve(ExperimentRunner.SUMMARY_MD));
        assertTrue(md.contains("test-mean **(chosen)**") && md.contains("confirmed on fold 3"), md);
        assertTrue(o.summaryMarkdown("cv").contains("seed std"));
        assertTrue(o.splitDescription().startsWith("3 patient-grouped folds x 2 repetition(s)"), o.splitDescription());
        assertEquals(ExperimentConfig.read(cfg), ExperimentConfig.read(out.resolve(ExperimentRunner.CONFIG_FILE)),
                "the saved copy of the configuration reads back the same");

        // resume: nothing is redone, and a changed protocol seed is refused
        ExperimentRunner.Outcome again = run(cfg, out, ProgressListener.NONE);
        assertEquals(0, again.ran());
        assertEquals(o.results(), again.results());
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 5", "\"seed\": 6"));
        IOException e = assertThrows(IOException.class, () -> run(cfg, out, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("r1-f1.csv") && e.getMessage().contains("differs"), e.getMessage());
    }

    @Test
    void trainLimitsCapTheTrainingNormalsPerFold() throws IOException {
        Path cfg = config(", \"train-limit\": [5, \"all\"]");
        ExperimentConfig c = ExperimentConfig.read(cfg);
        assertEquals(List.of(new TrainLimit(5), TrainLimit.ALL), c.trainLimits());
        ExperimentRunner.Outcome o = run(cfg, tmp.resolve("out"), ProgressListener.NONE);
        assertEquals(2 * 3 * 2 * 2 * 2, o.results().size());
        for (RunResult r : o.results()) {
            if (!r.isOk()) {
                continue;
            }
            if (r.trainLimit() == null) {
                assertEquals(o.folds().get(r.repetition() - 1).get(r.fold() - 1).train().size(), r.figures().trainImages());
            } else {
                assertEquals(5, r.figures().trainImages(), "phantom patients have one image each");
                assertTrue(r.id().contains("_n5-"), r.id());
            }
        }
        CrossValidationSummary cv = o.crossValidation().orElseThrow();
        assertEquals(List.of(new TrainLimit(5), TrainLimit.ALL),
                cv.rows().stream().filter(r -> r.runs() > 0).map(r -> r.combination().trainLimit()).toList());
        assertTrue(Files.readString(tmp.resolve("out").resolve(ExperimentRunner.SUMMARY_MD)).contains("| 5 |"));
    }

    @Test
    void cvOptionsAreCheckedWithTheFieldNamed() throws IOException {
        IOException e = assertThrows(IOException.class, () -> ExperimentConfig.read(config(", \"selection\": {\"confirmFolds\": 3}")));
        assertTrue(e.getMessage().contains("'selection.confirmFolds' must be between 1 and 2"), e.getMessage());
        e = assertThrows(IOException.class, () -> ExperimentConfig.read(config(", \"trainLimits\": [0]")));
        assertTrue(e.getMessage().contains("at least 1 image"), e.getMessage());
        e = assertThrows(IOException.class, () -> ExperimentConfig.read(config(", \"trainLimits\": [\"half\"]")));
        assertTrue(e.getMessage().contains("\"all\""), e.getMessage());
        Path research = Files.writeString(tmp.resolve("r.json"), Files.readString(config(""))
                .replace("\"type\": \"grouped-cv\", \"folds\": 3, \"repeats\": 2,", "\"type\": \"research\", \"folds\": 3,"));
        e = assertThrows(IOException.class, () -> ExperimentConfig.read(research));
        assertTrue(e.getMessage().contains("'protocol.folds'"), e.getMessage());
        Path fractions = Files.writeString(tmp.resolve("f.json"), Files.readString(config(""))
                .replace("\"folds\": 3,", "\"folds\": 3, \"trainFraction\": 0.5,"));
        e = assertThrows(IOException.class, () -> ExperimentConfig.read(fractions));
        assertTrue(e.getMessage().contains("do not apply to the grouped-cv protocol"), e.getMessage());
    }

    @Test
    void singleSplitRunIdsAndOldRunFilesAreUnchanged() throws IOException {
        RunSpec spec = new RunSpec("none", List.of(), "test-mean", io.github.deepc.anomaly.core.plugin.PluginSpec.of("test-mean"),
                "test-mse", io.github.deepc.anomaly.core.plugin.PluginSpec.of("test-mse"), 1);
        // the id this run had before folds and train limits existed: older output folders still resume
        assertEquals("none_test-mean_test-mse_s1-" + sha8("[]|test-mean|test-mse|1"), spec.id());
        RunSpec folded = new RunSpec("none", List.of(), "test-mean", spec.model(), "test-mse", spec.scorer(), 1, 1, 2,
                new TrainLimit(100));
        assertTrue(folded.id().startsWith("none_test-mean_test-mse_s1_r1-f2_n100-"), folded.id());
        Path dir = Files.createDirectories(tmp.resolve("old-run"));
        Files.writeString(dir.resolve(RunResult.FILE), """
                {"id": "x", "pipeline": "none", "model": "m", "scorer": "s", "seed": 1, "status": "ok",
                 "figures": {"testRocAuc": 0.75, "trainImages": 3, "validationImages": 0, "testImages": 4,
                             "failedImages": 0, "epochs": 1, "trainSeconds": 1.0, "scoreImagesPerSecond": 5.0,
                             "seconds": 2.0},
                 "heatmaps": [], "finishedAt": "2026-01-01T00:00:00Z"}
                """);
        RunResult old = RunResult.readIfPresent(dir).orElseThrow();
        assertEquals(0.75, old.figures().testRocAuc());
        assertNull(old.fold());
        assertEquals(new RunSpec.Combination("none", "m", "s"), old.combination());
        old.write(dir);
        assertTrue(!Files.readString(dir.resolve(RunResult.FILE)).contains("fold"), "single-split files keep their form");
    }

    private static String sha8(String s) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theHtmlReportShowsFoldAndSeedSpreadsApartLikeTheSummaryTable() throws IOException {
        Path cfg = config(", \"selection\": {\"confirm-folds\": 1}");
        Path out = tmp.resolve("out");
        ExperimentRunner.Outcome o = run(cfg, out, ProgressListener.NONE);
        String html = Files.readString(io.github.deepc.anomaly.eval.report.HtmlReport.write(out).index());
        CrossValidationSummary cv = ExperimentRunner.crossValidationSummary(ExperimentConfig.read(cfg), o.results());
        CrossValidationSummary.Row row = cv.rows().stream().filter(r -> r.runs() > 0).findFirst().orElseThrow();
        assertTrue(html.contains("fold std / &plusmn; seed std"), "cross-validation columns");
        assertTrue(html.contains(row.rocAuc().format()), "the row's ROC-AUC as summary.md formats it: " + row.rocAuc().format());
        assertTrue(html.contains(row.confirmedOn().format()), "the confirmation column");
        assertTrue(html.contains("Chosen on folds 1-2"), "the selection is described");
    }
}
