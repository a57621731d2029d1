package io.github.deepc.anomaly.cli;

import static io.github.deepc.anomaly.cli.CliRun.assertOneLineError;
import static io.github.deepc.anomaly.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
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

/** The {@code preprocess} command on a small generated data set, including its error cases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreprocessCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    private Path data;



    @BeforeAll
    void writeData() throws IOException {
        data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(48)).write(data, 8, 4, 5);
    }

    private static List<Path> pngs(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".png") && !p.getFileName().toString().equals(PreprocessCommand.SHEET))
                    .sorted().toList();
        }
    }

    @Test
    void writesEveryImageKeepingRelativePathsAndAContactSheet() throws IOException {
        Path out = tmp.resolve("out-default");
        CliRun.Result r = run("preprocess", "--data", data.toString(), "--out", out.toString(), "--size", "32", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(12, n.get("count").asInt());
        assertEquals(0, n.get("failed").asInt());
        assertTrue(n.get("imagesPerSecond").asDouble() > 0);
        assertEquals(1, r.out().lines().count(), "json mode prints only the JSON: " + r.out());
        List<Path> written = pngs(out);
        assertEquals(12, written.size());
        for (Path f : pngs(data)) {
            Path rel = data.relativize(f);
            assertTrue(Files.isRegularFile(out.resolve(rel)), "missing " + rel);
        }
        GrayImage first = ImageDecoders.decode(written.get(0));
        assertEquals(32, first.width());
        assertEquals(32, first.height());
        float[] range = first.validRange();
        assertEquals(0f, range[0], 0f);
        assertEquals(255f, range[1], 0f);
        BufferedImage sheet = ImageIO.read(out.resolve(PreprocessCommand.SHEET).toFile());
        assertTrue(sheet.getWidth() > 300 && sheet.getHeight() > 100, sheet.getWidth() + "x" + sheet.getHeight());
        assertEquals(out.resolve(PreprocessCommand.SHEET).toString(), n.get("contactSheet").asText());
    }

    @Test
    void namedPipelineAndTextSummary() throws IOException {
        Path out = tmp.resolve("out-hand");
        CliRun.Result r = run("preprocess", "--data", data.toString(), "--pipeline", "hand", "--out", out.toString(), "--limit", "5",
                "--threads", "2", "--sheet", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 5 images to " + out), r.out());
        assertTrue(r.out().contains("contact sheet"), r.out());
        assertEquals(1, r.out().lines().count());
        assertTrue(r.err().contains("median") && r.err().contains("clahe"), r.err());
        assertEquals(5, pngs(out).size());
        assertEquals(64, ImageDecoders.decode(pngs(out).get(0)).width(), "the named pipeline's own size");
    }

    @Test
    void pipelineFileAndTrainingAugmentation() throws IOException {
        Path file = tmp.resolve("aug.json");
        Files.writeString(file, Pipeline.toJson(List.of(PluginSpec.of("resize", "size", "24"), PluginSpec.of("pad", "size", "24"),
                PluginSpec.of("normalize"), PluginSpec.of("augment", "rotate-probability", "1", "rotate-degrees", "30"))));
        Path plain = tmp.resolve("out-plain");
        Path aug = tmp.resolve("out-aug");
        Path aug2 = tmp.resolve("out-aug2");
        assertEquals(0, run("preprocess", "--data", data.toString(), "--pipeline", file.toString(), "--out", plain.toString(),
                "--limit", "3", "--sheet", "0").code());
        assertEquals(0, run("preprocess", "--data", data.toString(), "--pipeline", file.toString(), "--out", aug.toString(),
                "--limit", "3", "--training", "--seed", "9").code());
        assertEquals(0, run("preprocess", "--data", data.toString(), "--pipeline", file.toString(), "--out", aug2.toString(),
                "--limit", "3", "--training", "--seed", "9", "--threads", "1").code());
        assertFalse(Files.exists(plain.resolve(PreprocessCommand.SHEET)), "--sheet 0 writes no sheet");
        Path rel = data.relativize(pngs(data).get(0));
        byte[] p = Files.readAllBytes(plain.resolve(rel));
        byte[] a = Files.readAllBytes(aug.resolve(rel));
        assertFalse(java.util.Arrays.equals(p, a), "training applies augment");
        assertArrayEquals(a, Files.readAllBytes(aug2.resolve(rel)), "same seed, same augmentation, whatever the threads");
    }

    @Test
    void badFilesAreReportedAndSkipped() throws IOException {
        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed.resolve("NORMAL"));
        Files.copy(pngs(data).get(0), mixed.resolve("NORMAL/good.png"));
        Files.writeString(mixed.resolve("NORMAL/bad.png"), "not an image");
        Path out = tmp.resolve("out-mixed");
        CliRun.Result r = run("preprocess", "--data", mixed.toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("failed: ") && r.err().contains("bad.png"), r.err());
        JsonNode n = JSON.readTree(r.lastLine());
        assertEquals(1, n.get("count").asInt());
        assertEquals(1, n.get("failed").asInt());
        assertTrue(Files.exists(out.resolve("NORMAL/good.png")));
        assertFalse(Files.exists(out.resolve("NORMAL/bad.png")));
    }


    @Test
    void missingFolderIsOneClearLine() {
        assertOneLineError(run("preprocess", "--data", tmp.resolve("nope").toString(), "--out", tmp.resolve("o1").toString()),
                "nope", "not a folder");
    }

    @Test
    void unknownPipelineNameListsTheNames() {
        assertOneLineError(run("preprocess", "--data", data.toString(), "--pipeline", "knee", "--out", tmp.resolve("o2").toString()),
                "'knee'", "default, recommended, chest, hand, none");
    }

    @Test
    void emptyFolderAndAllBadFilesAreErrors() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertOneLineError(run("preprocess", "--data", empty.toString(), "--out", tmp.resolve("o3").toString()), "no images", "empty");
        Path junk = Files.createDirectories(tmp.resolve("junk/NORMAL"));
        Files.writeString(junk.resolve("a.png"), "nope");
        CliRun.Result r = run("preprocess", "--data", tmp.resolve("junk").toString(), "--out", tmp.resolve("o4").toString());
        assertEquals(AnomalyCli.FAILURE, r.code());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("error: none of the 1 images could be processed"), r.err());
        assertTrue(r.err().contains("failed: ") && r.err().contains("a.png"), r.err());
    }

    @Test
    void trainRefusesASizeTheModelCannotTakeBeforeReadingAnImage() {
        Path out = tmp.resolve("cae100.detector");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "100",
                "--model", "cae", "--epochs", "1", "--out", out.toString());
        assertOneLineError(r, "'cae'", "multiples of 8");
        assertTrue(r.err().contains("96 or 104"), r.err());
        assertFalse(r.err().contains("preprocess"), "refused before any image was preprocessed: " + r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void trainAcceptsPipelineNamesToo() throws IOException {
        assertOneLineError(run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--pipeline", "knee",
                "--out", tmp.resolve("x.detector").toString()), "'knee'", "default, recommended, chest, hand, none");
        Path detector = tmp.resolve("chest.detector");
        CliRun.Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--pipeline", "chest", "--size", "32",
                "--model", "cae", "--epochs", "1", "--limit", "4", "--out", detector.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(detector) > 0);
        // 'recommended' is what train uses without --pipeline; it was refused by name before the catalogue was one
        Path recommended = tmp.resolve("recommended.detector");
        CliRun.Result rec = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--pipeline", "recommended-32",
                "--limit", "6", "--out", recommended.toString(), "--json");
        assertEquals(0, rec.code(), rec.err());
        assertTrue(Files.size(recommended) > 0);
    }

    @Test
    void outputInsideTheDataFolderIsRefused() {
        assertOneLineError(run("preprocess", "--data", data.toString(), "--out", data.resolve("processed").toString()),
                "must not be inside --data");
    }

    @Test
    void sheetPicksSpreadOverTheSamples() {
        boolean[] picks = PreprocessCommand.sheetPicks(100, 4);
        assertTrue(picks[0] && picks[25] && picks[50] && picks[75]);
        assertEquals(4, count(picks));
        assertEquals(3, count(PreprocessCommand.sheetPicks(3, 24)));
        assertEquals(0, count(PreprocessCommand.sheetPicks(10, 0)));
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
