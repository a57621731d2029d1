package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.assertOneLineError;
import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.io.OutputLock;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 through the tool: output checks before work, atomic outputs, locks, exit codes, heat-map names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilityCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    private Path data;
    private Path pca;
    private Path heatmapDetector;
    private List<Path> normals;

    @BeforeAll
    void train() throws IOException {
        data = tmp.resolve("data");
        normals = new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 24, 6, 5).normalFiles();
        pca = tmp.resolve("pca.detector");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--epochs", "10", "--out", pca.toString());
        assertEquals(0, r.code(), "the README's --epochs works with the default pca detector: " + r.err());
        heatmapDetector = tmp.resolve("heat.detector");
        CliRun.Result h = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--model", "pca", "--scorer", "masked-mse", "--out", heatmapDetector.toString());
        assertEquals(0, h.code(), h.err());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static List<Path> strays(Path dir) throws IOException {
        return list(dir).stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }

    @Test
    void scoreRefusesToOverwriteItsDetectorBeforeAnyWork() throws IOException {
        byte[] before = Files.readAllBytes(pca);
        CliRun.Result r = run("score", "--detector", pca.toString(), "--data", data.toString(),
                "--out", tmp.resolve("x/../pca.detector").toString());
        assertOneLineError(r, "--out", "--detector", "destroy");
        assertArrayEquals(before, Files.readAllBytes(pca));
    }

    @Test
    void badOutputPathsAndLimitsAreOneLineErrors() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        assertOneLineError(run("score", "--detector", pca.toString(), "--data", data.toString(),
                "--out", folder.toString()), "a-folder", "is a folder");
        assertOneLineError(run("score", "--detector", pca.toString(), "--data", data.toString(), "--limit", "0",
                "--out", tmp.resolve("s.csv").toString()), "--limit must be at least 1", "got 0");
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--limit", "-1",
                "--out", tmp.resolve("t.detector").toString()), "--limit must be at least 1", "got -1");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLineError(run("score", "--detector", heatmapDetector.toString(), "--data", data.toString(),
                "--out", tmp.resolve("s.csv").toString(), "--heatmaps", file.toString()), "--heatmaps", "is a file");
        assertFalse(Files.exists(tmp.resolve("s.csv")));
    }

    @Test
    void trainOntoAFolderFailsFirstAndLeavesNoTemporaryFile() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("models/busy.detector/inside"));
        long start = System.nanoTime();
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--out", target.getParent().toString());
        assertOneLineError(r, "busy.detector", "is a folder");
        assertTrue(r.out().isEmpty() && !r.err().contains("training"), "refused before training: " + r.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 10);
        assertEquals(List.of(), strays(tmp.resolve("models")));
    }

    @Test
    void heatMapsOfSimilarNamesNeverCollide() throws IOException {
        Path mixed = tmp.resolve("names");
        Path n = Files.createDirectories(mixed.resolve("NORMAL"));
        String[] names = {"a b.png", "a_b.png", "a+b.png", "x.png", "x.jpg"};
        for (int i = 0; i < names.length; i++) {
            Files.copy(normals.get(i), n.resolve(names[i]));
        }
        Path heat = tmp.resolve("heat");
        CliRun.Result r = run("score", "--detector", heatmapDetector.toString(), "--data", mixed.toString(),
                "--out", tmp.resolve("names.csv").toString(), "--heatmaps", heat.toString());
        assertEquals(0, r.code(), r.err());
        List<Path> maps = list(heat);
        assertEquals(5, maps.size(), "one heat map per image: " + maps);
        assertTrue(maps.stream().allMatch(p -> p.getFileName().toString().matches("[A-Za-z0-9._-]+-[0-9a-f]{10}\\.png")),
                maps.toString());
        assertEquals(maps, list(heat), "names are stable");
        CliRun.Result again = run("score", "--detector", heatmapDetector.toString(), "--data", mixed.toString(),
                "--out", tmp.resolve("names.csv").toString(), "--heatmaps", heat.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(maps, list(heat), "a second run replaces the same files");
    }

    @Test
    void exitCodesTellAllFromSomeFailedAndConstantImagesAreNeverRanked() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("bad/NORMAL"));
        Files.writeString(bad.resolve("one.png"), "not an image");
        Files.writeString(bad.resolve("two.png"), "");
        CliRun.Result all = run("score", "--detector", pca.toString(), "--data", bad.getParent().toString(),
                "--out", tmp.resolve("bad.csv").toString(), "--json");
        assertEquals(AnomalyCli.ALL_FAILED, all.code(), all.err());
        assertTrue(all.err().contains("none of the 2 images"), all.err());

        Path mixed = Files.createDirectories(tmp.resolve("flat/NORMAL"));
        Files.copy(normals.get(0), mixed.resolve("real.png"));
        BufferedImage blank = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(blank, "png", mixed.resolve("blank.png").toFile());
        CliRun.Result some = run("score", "--detector", pca.toString(), "--data", mixed.getParent().toString(),
                "--out", tmp.resolve("flat.csv").toString(), "--json");
        assertEquals(AnomalyCli.SOME_FAILED, some.code(), some.err());
        assertTrue(some.err().contains("blank.png") && some.err().contains("constant"), some.err());
        List<ScoreRow> rows = ScoresCsv.read(tmp.resolve("flat.csv"));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).path().endsWith("real.png"));
        JsonNode n = JSON.readTree(some.lastLine());
        assertEquals(1, n.get("failed").asInt());

        // in training: skipped and named
        Path train = tmp.resolve("train-flat");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(train, 8, 0, 40);
        ImageIO.write(blank, "png", train.resolve("NORMAL/blank.png").toFile());
        CliRun.Result t = run("train", "--data", train.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--out", tmp.resolve("flat.detector").toString(), "--json");
        assertEquals(0, t.code(), t.err());
        JsonNode s = JSON.readTree(t.lastLine());
        assertEquals(8, s.get("trainImages").asInt());
        assertEquals(1, s.get("skipped").asInt());
        assertTrue(s.get("skippedImages").get(0).asText().endsWith("blank.png"), t.out());
    }

    @Test
    void aSecondWriterIsRefusedAndAFailedScoreKeepsThePreviousFile() throws IOException {
        Path scores = tmp.resolve("locked/scores.csv");
        Files.createDirectories(scores.getParent());
        Files.writeString(scores, "previous\n");
        try (OutputLock held = OutputLock.forFile(scores)) {
            CliRun.Result r = run("score", "--detector", pca.toString(), "--data", data.toString(),
                    "--out", scores.toString());
            assertOneLineError(r, "scores.csv", "another process");
        }
        assertEquals("previous\n", Files.readString(scores));

        // a heat map that cannot be written stops the run half-way: the scores file stays as it was
        Path heat = Files.createDirectories(tmp.resolve("blocked-heat"));
        for (Path img : normals) {
            Files.createDirectories(heat.resolve(new HeatmapNames().nameFor(img)));
        }
        CliRun.Result r = run("score", "--detector", heatmapDetector.toString(), "--data", data.toString(),
                "--out", scores.toString(), "--heatmaps", heat.toString());
        assertTrue(r.code() == AnomalyCli.FAILURE, r.err());
        assertTrue(r.err().contains("cannot write") && r.err().contains("folder"), r.err());
        assertEquals("previous\n", Files.readString(scores));
        assertEquals(List.of(), strays(scores.getParent()));
        assertEquals(List.of(), strays(heat));

        CliRun.Result ok = run("score", "--detector", pca.toString(), "--data", data.toString(),
                "--out", scores.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals(30, ScoresCsv.read(scores).size());
    }

    @Test
    void linkedClassFoldersAreScored() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("linked"));
        Files.createSymbolicLink(root.resolve("NORMAL"), data.resolve("NORMAL"));
        Path abnormal = list(data).stream().filter(p -> !p.getFileName().toString().equals("NORMAL")).findFirst()
                .orElseThrow();
        Files.createSymbolicLink(root.resolve("FRACTURED"), abnormal);
        CliRun.Result r = run("score", "--detector", pca.toString(), "--data", root.toString(),
                "--out", tmp.resolve("linked.csv").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        List<ScoreRow> rows = ScoresCsv.read(tmp.resolve("linked.csv"));
        assertEquals(30, rows.size());
        assertEquals(6, rows.stream().filter(x -> x.label().code() == 1).count());
    }
}
