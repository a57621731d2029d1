package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.eval.experiment.ExperimentConfig;
import io.github.deepc.anomaly.eval.experiment.ExperimentRunner;
import io.github.deepc.anomaly.eval.experiment.RunSpec;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The experiment, report and threshold commands on a tiny phantom experiment with the real CAE (1 epoch, 32 px). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    private Path data;
    private Path config;
    private Path out;

    @BeforeAll
    void writeData() throws IOException {
        data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 24, 10, 21);
        config = Files.writeString(tmp.resolve("tiny.json"), """
                {"name": "tiny phantoms",
                 "data": {"path": "data", "layout": "class-folder", "normalClass": "NORMAL"},
                 "protocol": {"type": "research", "trainFraction": 0.7, "validationFraction": 0.5, "seed": 5},
                 "pipelines": [{"name": "default-32"}],
                 "models": [{"id": "cae", "params": {"epochs": 1, "batch-size": 8}},
                            {"id": "cae", "name": "cae-bad", "params": {"epochs": 0}},
                            {"id": "no-such-model"}],
                 "scorers": [{"id": "masked-mse"}],
                 "seeds": [1], "heatmaps": 2, "saveDetectors": true}
                """);
        out = tmp.resolve("out");
    }

    private Path okRun() throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve(ExperimentRunner.RUNS_DIR))) {
            return runs.filter(p -> p.getFileName().toString().contains("_cae_")).findFirst().orElseThrow();
        }
    }

    @Test
    @Order(1)
    void experimentRunsEveryCombinationAndIsolatesFailures() throws IOException {
        CliRun.Result r = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(3, n.get("runs").asInt());
        assertEquals(3, n.get("ran").asInt());
        assertEquals(2, n.get("failed").asInt());
        JsonNode combos = n.get("combinations");
        assertEquals("cae", combos.get(0).get("model").asText());
        double auc = combos.get(0).get("testRocAuc").asDouble();
        assertEquals(rocAucOf(ScoresCsv.read(okRun().resolve("test-scores.csv"))), auc, 1e-12,
                "the summary's ROC-AUC is that of the run's test scores");
        assertTrue(combos.get(1).get("reason").asText().contains("epochs"), combos.get(1).toString());
        assertTrue(combos.get(2).get("reason").asText().contains("unknown model 'no-such-model'"), combos.get(2).toString());
        for (String f : List.of("results.csv", "summary.csv", "summary.md", "split.csv", "experiment.json", "report/index.html")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Path run = okRun();
        for (String f : List.of("run.json", "validation-scores.csv", "test-scores.csv", "detector.detector", "heatmaps/top-01.png",
                "heatmaps/bottom-02.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| cae | masked-mse | default-32 |"));
    }

    @Test
    @Order(2)
    void experimentResumesWithoutRedoingFinishedRuns() throws IOException {
        CliRun.Result r = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--no-report");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0 done now, 3 reused"), r.out());
        assertTrue(r.out().contains("| cae | masked-mse | default-32 |"), "prints the summary table: " + r.out());
        assertTrue(r.err().contains("not redone"), r.err());
    }

    @Test
    @Order(3)
    void reportRewritesThePage() throws IOException {
        Files.delete(out.resolve("report/index.html"));
        CliRun.Result r = CliRun.run("report", "--results", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, JSON.readTree(r.lastLine()).get("charts").asInt());
        String html = Files.readString(out.resolve("report/index.html"));
        try (Stream<Path> charts = Files.list(out.resolve("report/charts"))) {
            charts.forEach(c -> assertTrue(html.contains("charts/" + c.getFileName()), c.toString()));
        }
    }

    @Test
    @Order(4)
    void thresholdIsStoredAndScoreWritesDecisions() throws IOException {
        Path run = okRun();
        Path withF1 = tmp.resolve("f1.detector");
        CliRun.Result r = CliRun.run("threshold", "--detector", run.resolve("detector.detector").toString(),
                "--scores", run.resolve("validation-scores.csv").toString(), "--method", "f1",
                "--test", run.resolve("test-scores.csv").toString(), "--out", withF1.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        double t = n.get("threshold").asDouble();
        assertEquals("f1", n.get("method").asText());
        JsonNode test = n.get("test");
        int testRows = ScoresCsv.read(run.resolve("test-scores.csv")).size();
        assertEquals(testRows, test.get("tp").asInt() + test.get("fp").asInt() + test.get("tn").asInt() + test.get("fn").asInt());

        Path scores = tmp.resolve("decided.csv");
        CliRun.Result s = CliRun.run("score", "--detector", withF1.toString(), "--data", data.toString(), "--out", scores.toString(), "--json");
        assertEquals(0, s.code(), s.err());
        assertEquals(t, JSON.readTree(s.lastLine()).get("threshold").asDouble());
        assertEquals(ScoresCsv.HEADER_WITH_DECISION, Files.readAllLines(scores).get(0));
        for (ScoreRow row : ScoresCsv.read(scores)) {
            assertEquals(row.score() >= t ? 1 : 0, row.decision(), row.toString());
        }

        Path fixed = tmp.resolve("fixed.detector");
        CliRun.Result f = CliRun.run("threshold", "--detector", withF1.toString(), "--method", "fixed", "--value", "1e9",
                "--out", fixed.toString());
        assertEquals(0, f.code(), f.err());
        assertTrue(f.out().contains("1.0E9"), f.out());
        CliRun.Result fs = CliRun.run("score", "--detector", fixed.toString(), "--data", data.toString(), "--out", scores.toString());
        assertEquals(0, fs.code(), fs.err());
        assertTrue(ScoresCsv.read(scores).stream().allMatch(x -> x.decision() == 0));

        CliRun.Result fpr = CliRun.run("threshold", "--detector", fixed.toString(), "--method", "fpr", "--target-fpr", "0",
                "--scores", run.resolve("validation-scores.csv").toString());
        assertEquals(0, fpr.code(), fpr.err());
        assertTrue(fpr.out().contains("validation threshold") && fpr.out().contains("specificity 1.0000"), fpr.out());
    }

    @Test
    void shippedExperimentFilesAreValidAndNameExistingPlugins() throws IOException {
        Path dir = Path.of("..", "experiments");
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        for (String name : List.of("chest-xray.json", "hand-xray.json", "chest-xray-detectors.json",
                "hand-xray-detectors.json", "chest-xray-pipelines.json", "hand-xray-pipelines.json")) {
            Path file = dir.resolve(name);
            ExperimentConfig c = ExperimentConfig.read(file);
            if (!name.contains("pipelines")) {
                assertEquals(3, c.seeds().size(), name);
            }
            for (RunSpec run : ExperimentRunner.runs(c, dir)) {
                run.stages().forEach(registry.stages()::validate);
                registry.models().validate(run.model());
                registry.scorers().validate(run.scorer());
            }
            String data = c.data().resolve(dir).toString().replace('\\', '/');
            String dataSet = name.substring(0, name.indexOf("-xray") + "-xray".length());
            assertTrue(data.contains("/shared/data/" + dataSet), name + " reads " + data);
        }
    }

    @Test
    void shippedCrossValidationFilesAreValidAndCoverTheCurrentDetectors() throws IOException {
        Path dir = Path.of("..", "experiments");
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        for (String dataSet : List.of("chest-xray", "hand-xray", "adult-chest-xray")) {
            String name = "cv-" + dataSet + ".json";
            ExperimentConfig c = ExperimentConfig.read(dir.resolve(name));
            assertEquals("grouped-cv", c.protocol().typeOrDefault(), name);
            assertEquals(5, c.protocol().foldsOrDefault(), name);
            assertEquals(2, c.selection().confirmFolds(), name);
            assertEquals(3, c.seeds().size(), name);
            assertTrue(c.trainLimits().contains(io.github.deepc.anomaly.eval.experiment.TrainLimit.ALL), name);
            java.util.Set<String> pairs = new java.util.HashSet<>();
            for (RunSpec run : ExperimentRunner.runs(c, dir)) {
                run.stages().forEach(registry.stages()::validate);
                registry.models().validate(run.model());
                registry.scorers().validate(run.scorer());
                pairs.add(run.model() + " + " + run.scorer());
            }
            // the models and scorers of the default and the radiograph presets (ensemble members included) are among
            // the runs; DetectorValidation measures the presets whole (pipelines and ensembles)
            for (io.github.deepc.anomaly.presets.DetectorPreset p : io.github.deepc.anomaly.presets.DetectorPreset.values()) {
                if (p == io.github.deepc.anomaly.presets.DetectorPreset.NON_XRAY) {
                    continue;
                }
                assertTrue(pairs.contains(p.model() + " + " + p.scorer()), name + " lacks preset " + p + ": " + pairs);
                for (io.github.deepc.anomaly.presets.DetectorPreset.Part m : p.members()) {
                    assertTrue(pairs.contains(m.model() + " + " + m.scorer()), name + " lacks a member of " + p + ": " + pairs);
                }
            }
            String data = c.data().resolve(dir).toString().replace('\\', '/');
            assertTrue(data.endsWith("/shared/data/" + dataSet) || data.endsWith("/shared/data/" + dataSet + "/train"),
                    name + " reads " + data);
        }
    }

    @Test
    void thresholdOptionMistakesAreUsageErrors() throws IOException {
        Path det = tmp.resolve("none.detector");
        assertUsage(CliRun.run("threshold", "--detector", det.toString(), "--method", "fixed"), "--value");
        assertUsage(CliRun.run("threshold", "--detector", det.toString(), "--method", "youden"), "youden");
        assertUsage(CliRun.run("threshold", "--detector", det.toString(), "--method", "f1"), "--scores");
        assertUsage(CliRun.run("threshold", "--detector", det.toString(), "--method", "f1", "--scores", "x.csv", "--value", "1"),
                "--value applies only");
        CliRun.Result missing = CliRun.run("threshold", "--detector", det.toString(), "--method", "f1",
                "--scores", tmp.resolve("missing.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("missing.csv"), missing.err());
    }

    private static void assertUsage(CliRun.Result r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
    }

    @Test
    void experimentAndReportErrorsAreOneClearLine() throws IOException {
        CliRun.Result noConfig = CliRun.run("experiment", "--config", tmp.resolve("nope.json").toString(), "--out", tmp.resolve("o1").toString());
        assertEquals(1, noConfig.code());
        assertTrue(noConfig.err().startsWith("error: experiment file not found") && noConfig.err().contains("nope.json"), noConfig.err());

        Path noData = Files.writeString(tmp.resolve("nodata.json"),
                "{\"data\": {\"path\": \"absent\"}, \"models\": [{\"id\": \"cae\"}], \"scorers\": [{\"id\": \"masked-mse\"}]}");
        CliRun.Result r = CliRun.run("experiment", "--config", noData.toString(), "--out", tmp.resolve("o2").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent") && r.err().contains("not a folder"), r.err());

        Path typo = Files.writeString(tmp.resolve("typo.json"),
                "{\"data\": {\"path\": \"data\"}, \"model\": [{\"id\": \"cae\"}], \"scorers\": [{\"id\": \"masked-mse\"}]}");
        CliRun.Result t = CliRun.run("experiment", "--config", typo.toString(), "--out", tmp.resolve("o3").toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("typo.json") && t.err().contains("\"model\""), t.err());

        Path allBad = Files.writeString(tmp.resolve("allbad.json"), "{\"data\": {\"path\": \"data\"}, \"pipelines\": [{\"name\": \"default-32\"}],"
                + " \"models\": [{\"id\": \"gan\"}], \"scorers\": [{\"id\": \"masked-mse\"}]}");
        CliRun.Result a = CliRun.run("experiment", "--config", allBad.toString(), "--out", tmp.resolve("o4").toString(), "--no-report");
        assertEquals(1, a.code());
        assertTrue(a.err().contains("all 1 runs failed") && a.err().contains("unknown model 'gan'"), a.err());

        CliRun.Result rep = CliRun.run("report", "--results", tmp.resolve("empty").toString());
        assertEquals(1, rep.code());
        assertTrue(rep.err().contains("results.csv"), rep.err());
    }

    /** ROC-AUC of labelled rows, computed here from the rows the command wrote. */
    private static double rocAucOf(List<ScoreRow> rows) {
        List<ScoreRow> labelled = rows.stream().filter(r -> r.label() != io.github.deepc.anomaly.core.data.Label.UNKNOWN).toList();
        return io.github.deepc.anomaly.eval.metrics.RankingMetrics.rocAuc(
                labelled.stream().mapToInt(r -> r.label().code()).toArray(),
                labelled.stream().mapToDouble(ScoreRow::score).toArray());
    }
}
