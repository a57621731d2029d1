package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.cli.AnomalyCli;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark scoring equals single-JVM scoring, with one row per input and the corrupt file named. */
class SparkScorerTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AnomalyCli.run(args, new PrintWriter(out), new PrintWriter(err));
        // the shared test images include one corrupt file: score and spark-score both say "some failed"
        boolean corruptInput = List.of(args).contains(TestSpark.phantoms().toString());
        assertEquals(corruptInput ? AnomalyCli.SOME_FAILED : 0, code, "exit code of " + List.of(args) + "; stderr: " + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void sparkScoreCsvEqualsTheScoreCommandByteForByte() throws IOException {
        SparkSession spark = TestSpark.session();
        Path data = TestSpark.phantoms();
        Path detector = TestSpark.phantomDetector();
        Path single = tmp.resolve("single.csv");
        String[] local = run("score", "--detector", detector.toString(), "--data", data.toString(), "--out", single.toString());
        assertTrue(local[1].contains("zz-corrupt.png"), local[1]);

        Path sparkOut = tmp.resolve("spark");
        String[] viaCli = run("spark-score", "--master", "local[2]", "--detector", detector.toString(), "--data", data.toString(),
                "--out", sparkOut.toString(), "--format", "csv", "--partitions", "3");
        assertTrue(viaCli[0].contains("50 scored, 1 failed"), viaCli[0]);
        assertTrue(viaCli[1].contains("zz-corrupt.png"), viaCli[1]);
        assertTrue(viaCli[1].contains("partition 2: 16 scored, 1 failed"), viaCli[1]);
        assertEquals(Files.readString(single), Files.readString(sparkOut.resolve(SparkScorer.SCORES_CSV)));
        List<String> failures = Files.readAllLines(sparkOut.resolve(SparkScorer.FAILURES_CSV));
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(1).startsWith(data.resolve("NORMAL/zz-corrupt.png") + ","), failures.get(1));
        assertTrue(spark.sparkContext().isStopped() == false, "the command must leave a session it did not create running");
    }

    @Test
    void everyInputGivesOneRowAndScoresEqualTheApisBitForBit() throws IOException {
        SparkSession spark = TestSpark.session();
        Path data = TestSpark.phantoms();
        SparkScorer scorer = SparkScorer.load(spark, TestSpark.phantomDetector().toString());
        List<Row> rows = scorer.score(SampleRows.of(spark, data.toString(), "NORMAL", 4)).collectAsList();
        List<Sample> samples = ClassFolderLayout.withNormalClass("NORMAL").load(data).samples();
        assertEquals(samples.size(), rows.size());
        Map<String, Row> byPath = new HashMap<>();
        rows.forEach(r -> byPath.put(r.getAs(ScoreRows.PATH), r));
        assertEquals(samples.size(), byPath.size(), "no duplicates");
        try (AnomalyDetector d = AnomalyDetector.load(TestSpark.phantomDetector())) {
            for (Sample s : samples) {
                Row r = byPath.get(s.path().toString());
                assertNotNull(r, s.path().toString());
                if (s.id().endsWith("zz-corrupt.png")) {
                    assertNull(r.getAs(ScoreRows.SCORE));
                    assertTrue(((String) r.getAs(ScoreRows.ERROR)).contains("zz-corrupt.png"), (String) r.getAs(ScoreRows.ERROR));
                    continue;
                }
                assertNull(r.getAs(ScoreRows.ERROR));
                assertEquals(Double.doubleToLongBits(d.score(s).score()), Double.doubleToLongBits(r.<Double>getAs(ScoreRows.SCORE)),
                        s.id());
                assertEquals(s.label().code(), (int) r.<Integer>getAs(ScoreRows.LABEL));
                assertEquals(s.patientId(), r.getAs(ScoreRows.PATIENT));
            }
        }
        int loads = ExecutorDetectors.loads();
        assertEquals(samples.size(), scorer.score(SampleRows.of(spark, data.toString(), "NORMAL", 4)).count());
        assertEquals(loads, ExecutorDetectors.loads(), "the JVM's detector is reused by later tasks, not loaded again");
    }

    @Test
    void parquetHoldsEveryRowAndBytesInputScoresLikePaths() throws IOException {
        SparkSession spark = TestSpark.session();
        Path data = TestSpark.phantoms();
        SparkScorer scorer = SparkScorer.load(spark, TestSpark.phantomDetector().toString());
        SparkScorer.Summary s = scorer.write(scorer.score(SampleRows.of(spark, data.toString(), "NORMAL", 2)), tmp.toString(),
                OutputFormat.PARQUET, ProgressListener.NONE);
        assertEquals(50, s.scored());
        assertEquals(1, s.failed());
        Dataset<Row> back = spark.read().parquet(s.output());
        assertEquals(51, back.count());
        assertEquals(51, back.select(ScoreRows.PATH).distinct().count());
        assertEquals(1, back.filter("error is not null").count());

        // images given as bytes (Spark's binaryFile source): same scores, ids from the file names
        Dataset<Row> files = spark.read().format("binaryFile").load(data.resolve("ABNORMAL").toString()).select("path", "content");
        List<Row> fromBytes = scorer.score(SampleRows.fromPaths(files)).collectAsList();
        assertEquals(10, fromBytes.size());
        try (AnomalyDetector d = AnomalyDetector.load(TestSpark.phantomDetector())) {
            for (Row r : fromBytes) {
                String name = ((String) r.getAs(ScoreRows.PATH)).replaceAll(".*/", "");
                Sample local = new Sample(name, data.resolve("ABNORMAL").resolve(name), "", "", io.github.deepc.anomaly.core.data.Label.UNKNOWN);
                assertEquals(d.score(local).score(), r.<Double>getAs(ScoreRows.SCORE), 0.0, name);
            }
        }
    }

    @Test
    void heatMapsEqualThoseOfTheScoreCommand() throws IOException {
        Path data = TestSpark.phantoms();
        Path detector = tmp.resolve("pca-mse.detector");
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(io.github.deepc.anomaly.presets.DetectorDefaults.pipeline(32))
                .model(io.github.deepc.anomaly.core.plugin.PluginSpec.of("pca", "components", "8"))
                .scorer(io.github.deepc.anomaly.core.plugin.PluginSpec.of("masked-mse")).build()) {
            d.fit(ClassFolderLayout.withNormalClass("NORMAL").load(data).normals(), ProgressListener.NONE);
            d.save(detector);
        }
        Path single = tmp.resolve("single-maps");
        run("score", "--detector", detector.toString(), "--data", data.toString(), "--out", tmp.resolve("s.csv").toString(),
                "--heatmaps", single.toString());
        Path spark = tmp.resolve("spark-maps");
        run("spark-score", "--detector", detector.toString(), "--data", data.toString(), "--out", tmp.resolve("spark").toString(),
                "--format", "csv", "--heatmaps", spark.toString());
        List<Path> maps;
        try (var files = Files.list(single)) {
            maps = files.sorted().toList();
        }
        assertEquals(50, maps.size());
        for (Path m : maps) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(m), Files.readAllBytes(spark.resolve(m.getFileName())),
                    m.getFileName().toString());
        }
        assertEquals(Files.readString(tmp.resolve("s.csv")), Files.readString(tmp.resolve("spark").resolve(SparkScorer.SCORES_CSV)));
    }

    @Test
    void theCliListsSparkScoreAndRejectsAnUnknownFormat() {
        String[] help = run("--help");
        assertTrue(help[0].contains("spark-score") && help[0].contains("spark-preprocess") && help[0].contains("spark-experiment"), help[0]);
        StringWriter err = new StringWriter();
        int code = AnomalyCli.run(new String[] {"spark-score", "--detector", TestSpark.phantomDetector().toString(), "--data",
            TestSpark.phantoms().toString(), "--out", tmp.toString(), "--format", "xml"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(1, code);
        assertTrue(err.toString().contains("unknown format 'xml'; known: [parquet, csv]"), err.toString());
    }
}
