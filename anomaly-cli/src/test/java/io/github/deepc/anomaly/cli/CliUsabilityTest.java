package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help for every command, --quiet/--verbose, and the HTML reports of score and report. */
class CliUsabilityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"train", "score", "evaluate", "demo", "experiment", "report", "threshold", "preprocess", "plugins", "serve"})
    void everyCommandPrintsItsHelpAndExitsZero(String command) {
        CliRun.Result r = CliRun.run(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: anomaly " + command), r.out());
        assertTrue(r.out().contains("--quiet") && r.out().contains("--verbose"), r.out());
    }

    @Test
    void scoreWritesAReportAndReportReadsAScoresCsv() throws Exception {
        Path data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 24, 8, 5);
        Path detector = tmp.resolve("d.detector");
        CliRun.Result train = CliRun.run("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32",
                "--model", "pca", "--scorer", "masked-mse", "--out", detector.toString(), "--quiet");
        assertEquals(0, train.code(), train.err());
        Path scores = tmp.resolve("scores.csv");
        Path html = tmp.resolve("scores-report.html");
        CliRun.Result score = CliRun.run("score", "--detector", detector.toString(), "--data", data.toString(),
                "--out", scores.toString(), "--report", html.toString());
        assertEquals(0, score.code(), score.err());
        String page = Files.readString(html);
        assertTrue(page.contains("a random abnormal image scores higher than a random normal one"), "summary");
        assertTrue(page.contains("Gallery") && page.contains("ABNORMAL"), "gallery grouped by class folder");

        CliRun.Result report = CliRun.run("report", "--scores", scores.toString(), "--json");
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(tmp.resolve("scores.html")).contains("ROC-AUC"));

        CliRun.Result both = CliRun.run("report", "--scores", scores.toString(), "--results", tmp.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("exactly one of --results DIR and --scores FILE"), both.err());
    }
}
