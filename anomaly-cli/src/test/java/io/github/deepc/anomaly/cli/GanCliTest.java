package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every GAN model trains and scores through the command line on a small folder of real chest X-rays (the first 20
 * images of each class of the shared data set). Skipped, with a message naming the path, where the data is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GanCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"));
    private static final int PER_CLASS = 20;

    @TempDir
    static Path tmp;
    private Path data;

    private int[] threads;

    /** The command line trains tiny networks here: one ND4J thread avoids OpenMP barrier waits on a shared CPU. */
    @BeforeAll
    void singleThreaded() {
        threads = new int[] {Nd4j.getEnvironment().maxThreads(), Nd4j.getEnvironment().maxMasterThreads()};
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @AfterAll
    void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads[0]);
        Nd4j.getEnvironment().setMaxMasterThreads(threads[1]);
    }

    @BeforeAll
    void copyRealImages() throws IOException {
        Path chest = SHARED.resolve("data/chest-xray/train");
        Assumptions.assumeTrue(Files.isDirectory(chest.resolve("NORMAL")) && Files.isDirectory(chest.resolve("PNEUMONIA")),
                "real chest X-rays not found at " + chest.toAbsolutePath()
                        + " (set -Danomaly.shared.dir); skipping the GAN command-line tests");
        data = tmp.resolve("chest");
        for (String cls : List.of("NORMAL", "PNEUMONIA")) {
            Path target = Files.createDirectories(data.resolve(cls));
            List<Path> first;
            try (Stream<Path> files = Files.list(chest.resolve(cls))) {
                first = files.filter(p -> p.getFileName().toString().endsWith(".jpeg")).sorted().limit(PER_CLASS).toList();
            }
            for (Path p : first) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
    }

    private record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            List<String> lines = out.lines().toList();
            return JSON.readTree(lines.get(lines.size() - 1));
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AnomalyCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** Trains {@code model} with {@code scorer}, scores the folder and returns the rows. */
    private List<ScoreRow> trainAndScore(String model, String scorer, String... extra) throws IOException {
        String name = model + "-" + scorer + extra.length;
        Path detector = tmp.resolve(name + ".detector");
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--normal-class", "NORMAL",
                "--model", model, "--scorer", scorer, "--size", "32", "--epochs", "1", "--limit", "40",
                "--out", detector.toString(), "--json"));
        args.addAll(List.of(extra));
        Result train = run(args.toArray(String[]::new));
        assertEquals(0, train.code(), model + " train: " + train.err());
        JsonNode t = train.json();
        assertEquals(model, t.get("model").asText());
        assertEquals(PER_CLASS, t.get("trainImages").asInt());
        assertTrue(Double.isFinite(t.get("finalLoss").asDouble()) && t.get("finalLoss").asDouble() > 0, train.out());
        assertEquals(1, train.out().lines().count(), "json mode prints only the JSON (no SameDiff noise): " + train.out());

        Path scores = tmp.resolve(name + ".csv");
        Path heat = tmp.resolve(name + "-heat");
        Result score = run("score", "--detector", detector.toString(), "--data", data.toString(), "--out",
                scores.toString(), "--heatmaps", heat.toString(), "--json");
        assertEquals(0, score.code(), model + " score: " + score.err());
        assertEquals(2 * PER_CLASS, score.json().get("scored").asInt());
        List<ScoreRow> rows = ScoresCsv.read(scores);
        assertEquals(2 * PER_CLASS, rows.size());
        rows.forEach(r -> assertTrue(Double.isFinite(r.score()) && r.score() >= 0, model + ": " + r));
        return rows;
    }

    private static long heatmaps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void dcganTrainsAndScoresWithTheDiscriminator() throws IOException {
        List<ScoreRow> rows = trainAndScore("dcgan", "discriminator");
        rows.forEach(r -> assertTrue(r.score() <= 1.0, "1 - D(x) lies in [0, 1]: " + r));
        assertEquals(0, heatmaps(tmp.resolve("dcgan-discriminator0-heat")), "the discriminator scorer draws no heat map");
    }

    @Test
    void biganTrainsAndScoresWithTheDiscriminatorAndTheReconstruction() throws IOException {
        trainAndScore("bigan", "discriminator");
        trainAndScore("bigan", "masked-mse");
        assertEquals(2 * PER_CLASS, heatmaps(tmp.resolve("bigan-masked-mse0-heat")), "reconstruction heat maps");
    }

    @Test
    void alphaGanTrainsAndScoresWithBothDiscriminators() throws IOException {
        List<ScoreRow> rows = trainAndScore("alpha-gan", "discriminator", "--scorer-param", "source=mean");
        rows.forEach(r -> assertTrue(r.score() <= 1.0, "mean of 1 - D(x) and 1 - C(E(x)): " + r));
    }

    @Test
    void codeSourceOnAModelWithoutCodeDiscriminatorFailsBeforeSaving() {
        Path detector = tmp.resolve("dcgan-code.detector");
        Result r = run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--model", "dcgan",
                "--scorer", "discriminator", "--scorer-param", "source=code", "--size", "32", "--epochs", "1",
                "--limit", "8", "--param", "channels=4", "--out", detector.toString());
        assertTrue(r.code() != 0, "must fail");
        assertTrue(r.err().contains("CODE_DISCRIMINATOR_PROBABILITY") && r.err().contains("source=code"), r.err());
        assertTrue(!Files.exists(detector), "no detector is saved");
    }
}
