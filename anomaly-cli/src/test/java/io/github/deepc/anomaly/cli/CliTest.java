package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.assertOneLineError;
import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Every command of the tool, run in-process on a small generated data set, including its error cases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    private Path data;
    private Path detector;



    @BeforeAll
    void writeData() throws IOException {
        data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 30, 10, 11);
        detector = tmp.resolve("model.detector");
    }

    @Test
    @Order(1)
    void pluginsListsEveryKindAsJson() throws IOException {
        CliRun.Result r = run("plugins", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.out());
        for (String kind : List.of("stages", "models", "scorers", "decoders")) {
            assertTrue(n.get(kind).isArray() && n.get(kind).size() > 0, kind);
        }
        List<String> decoders = new java.util.ArrayList<>();
        n.get("decoders").forEach(d -> decoders.add(d.get("id").asText()));
        assertEquals(List.of("dicom", "imageio", "opencv"), decoders, "decoders are plugins listed like the others");
        assertTrue(r.out().contains("\"id\":\"cae\"") && r.out().contains("\"id\":\"masked-mse\"")
                && r.out().contains("\"id\":\"resize\""), r.out());
        JsonNode cae = n.get("models").findValue("parameters");
        assertTrue(cae.isArray(), "parameters are listed");
        CliRun.Result text = run("plugins");
        assertEquals(0, text.code());
        assertTrue(text.out().contains("Models:") && text.out().contains("cae"), text.out());
        assertTrue(text.out().contains("Decoders:") && text.out().contains("dicom"), text.out());
    }

    @Test
    @Order(2)
    void trainWritesDetectorAndJsonSummary() throws IOException {
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "cae", "--size", "32", "--epochs", "1",
                "--limit", "20", "--seed", "3", "--out", detector.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(1, n.get("epochs").asInt());
        assertEquals(20, n.get("trainImages").asInt());
        assertTrue(n.get("trainImagesPerSecond").asDouble() > 0);
        assertTrue(n.get("seconds").asDouble() > 0);
        assertTrue(Files.size(detector) > 0);
        assertEquals(1, r.out().lines().count(), "json mode prints only the JSON: " + r.out());
    }

    @Test
    @Order(3)
    void scoreWritesCsvAndHeatmapsAndEvaluateReadsIt() throws IOException {
        Path scores = tmp.resolve("scores.csv");
        Path heat = tmp.resolve("heat");
        CliRun.Result r = run("score", "--detector", detector.toString(), "--data", data.toString(), "--out", scores.toString(),
                "--heatmaps", heat.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(40, n.get("scored").asInt());
        assertTrue(n.get("scoreImagesPerSecond").asDouble() > 0);
        List<ScoreRow> rows = ScoresCsv.read(scores);
        assertEquals(40, rows.size());
        assertTrue(Files.readAllLines(scores).get(0).equals("path,patient,label,score"));
        try (var files = Files.list(heat)) {
            assertEquals(40, files.count());
        }
        CliRun.Result e = run("evaluate", "--scores", scores.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode m = JSON.readTree(e.out());
        assertEquals(40, m.get("count").asInt());
        assertEquals(10, m.get("positives").asInt());
        assertEquals(rocAucOf(rows), m.get("rocAuc").asDouble(), 1e-12, "evaluate's ROC-AUC is that of the scores file");
        assertTrue(m.has("averagePrecision"));
    }

    @Test
    @Order(4)
    void scoreReportsBadFilesAndGoesOn() throws IOException {
        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed.resolve("NORMAL"));
        Files.copy(data.resolve("NORMAL").resolve(Files.list(data.resolve("NORMAL")).findFirst().orElseThrow().getFileName()),
                mixed.resolve("NORMAL/good.png"));
        Files.writeString(mixed.resolve("NORMAL/bad.png"), "not an image");
        Path scores = tmp.resolve("mixed.csv");
        CliRun.Result r = run("score", "--detector", detector.toString(), "--data", mixed.toString(), "--out", scores.toString());
        assertEquals(AnomalyCli.SOME_FAILED, r.code(), "some images failed: " + r.err());
        assertTrue(r.err().contains("bad.png"), r.err());
        assertEquals(1, ScoresCsv.read(scores).size());
    }

    @Test
    @Order(5)
    void demoRunsEndToEnd() throws IOException {
        Path out = tmp.resolve("demo");
        CliRun.Result r = run("demo", "--out", out.toString(), "--train", "40", "--test", "9", "--size", "32", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(18, n.get("testImages").asInt());
        assertTrue(Files.exists(out.resolve("report.html")));
        assertTrue(Files.exists(out.resolve("scores.csv")));
        assertTrue(Files.exists(out.resolve("demo.detector")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Gallery"));
    }


    @Test
    void recommendedDetectorIsTheDefault() throws IOException {
        Path out = tmp.resolve("recommended.detector");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals("pca", n.get("model").asText());
        assertEquals("knn", n.get("scorer").asText());
        // a preset picks both; a preset's scorer that does not fit a named model gives way to one that does
        CliRun.Result chest = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--preset", "chest",
                "--size", "32", "--out", tmp.resolve("chest.detector").toString(), "--json");
        assertEquals(0, chest.code(), chest.err());
        assertEquals("pca", JSON.readTree(chest.lastLine()).get("model").asText());
        try (io.github.deepc.anomaly.core.detector.AnomalyDetector saved =
                     io.github.deepc.anomaly.core.detector.AnomalyDetector.load(tmp.resolve("chest.detector"))) {
            assertTrue(saved.isEnsemble(), "the chest preset is built whole, its thumbnail member included");
            assertEquals("raw-pixels", saved.config().members().get(0).model().id());
        }
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--preset", "knee",
                "--out", tmp.resolve("knee.detector").toString()), "knee", "general, chest, hand");
        // a model named without a scorer gets one that fits it
        CliRun.Result cae = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "cae", "--epochs", "1",
                "--size", "32", "--limit", "8", "--out", tmp.resolve("cae.detector").toString(), "--json");
        assertEquals(0, cae.code(), cae.err());
        assertEquals("masked-mse", JSON.readTree(cae.lastLine()).get("scorer").asText());
    }

    @Test
    void missingFolderIsOneClearLine() {
        assertOneLineError(run("train", "--data", tmp.resolve("nope").toString(), "--normal-class", "NORMAL",
                "--out", tmp.resolve("x.detector").toString()), "nope", "not a folder");
    }

    @Test
    void noNormalImagesIsOneClearLine() {
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "HEALTHY",
                "--out", tmp.resolve("x.detector").toString()), "HEALTHY", "NORMAL");
    }

    @Test
    void unknownPluginIdListsAvailableOnes() {
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "gan",
                "--out", tmp.resolve("x.detector").toString()), "unknown model 'gan'", "cae");
    }

    @Test
    void unknownParameterListsKnownOnes() {
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "cae", "--param", "wings=3",
                "--out", tmp.resolve("x.detector").toString()), "unknown parameter 'wings'", "epochs");
    }

    @Test
    void corruptDetectorFileIsOneClearLine() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.detector"), "definitely not a zip");
        assertOneLineError(run("score", "--detector", junk.toString(), "--data", data.toString(),
                "--out", tmp.resolve("s.csv").toString()), "junk.detector");
    }

    @Test
    void incompatibleDetectorFileIsOneClearLine() throws IOException {
        Path future = tmp.resolve("future.detector");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(future))) {
            for (String name : List.of("detector.json", "model.bin", "scorer.bin")) {
                z.putNextEntry(new ZipEntry(name));
                if (name.equals("detector.json")) {
                    z.write("{\"format\": 99, \"config\": null}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                z.closeEntry();
            }
        }
        assertOneLineError(run("score", "--detector", future.toString(), "--data", data.toString(),
                "--out", tmp.resolve("s.csv").toString()), "format 99", "incompatible");
    }

    @Test
    void evaluateNeedsBothClasses() throws IOException {
        Path f = tmp.resolve("one-class.csv");
        Files.writeString(f, "path,patient,label,score\na.png,a,0,0.1\nb.png,b,0,0.2\n");
        assertOneLineError(run("evaluate", "--scores", f.toString()), "both classes");
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRun.Result r = run("train", "--data", data.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option"), r.err());
    }

    /** ROC-AUC of labelled rows, computed here from the rows the command wrote. */
    private static double rocAucOf(List<ScoreRow> rows) {
        List<ScoreRow> labelled = rows.stream().filter(r -> r.label() != io.github.deepc.anomaly.core.data.Label.UNKNOWN).toList();
        return io.github.deepc.anomaly.eval.metrics.RankingMetrics.rocAuc(
                labelled.stream().mapToInt(r -> r.label().code()).toArray(),
                labelled.stream().mapToDouble(ScoreRow::score).toArray());
    }
}
