package io.github.deepc.anomaly.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.cli.AnomalyCli;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark scoring of real chest X-rays (a slice of {@code ../shared/data/chest-xray/train}, linked into a folder)
 * equals the single-JVM {@code score} output byte for byte. Skipped, with a message, where the data is absent.
 */
class SparkRealDataTest {
    private static final Path SHARED = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"));
    @TempDir
    Path tmp;

    @Test
    void chestXraysScoreTheSameOnSparkAsInOneJvm() throws IOException {
        Path chest = SHARED.resolve("data/chest-xray/train");
        Assumptions.assumeTrue(Files.isDirectory(chest), "real data not found at " + chest.toAbsolutePath()
                + " (set -Danomaly.shared.dir); skipping the real-data Spark test");
        DataSet all = ClassFolderLayout.withNormalClass("NORMAL").load(chest);
        Path data = tmp.resolve("chest");
        link(all.normals().subList(0, 100), data.resolve("NORMAL"));
        link(all.abnormals().subList(0, 60), data.resolve("PNEUMONIA"));
        Path detector = tmp.resolve("chest.detector");
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(DetectorDefaults.recommendedPipeline(32)).build()) {
            d.fit(ClassFolderLayout.withNormalClass("NORMAL").load(data).normals().subList(0, 60), ProgressListener.NONE);
            d.save(detector);
        }
        Path single = tmp.resolve("single.csv");
        StringWriter err = new StringWriter();
        assertEquals(0, AnomalyCli.run(new String[] {"score", "--detector", detector.toString(), "--data", data.toString(), "--out",
            single.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
        Path out = tmp.resolve("spark");
        StringWriter o = new StringWriter();
        assertEquals(0, SparkMain.run(new String[] {"spark-score", "--master", "local[2]", "--detector", detector.toString(), "--data",
            data.toString(), "--out", out.toString(), "--format", "csv", "--partitions", "4"}, new PrintWriter(o), new PrintWriter(err)),
                err.toString());
        assertTrue(o.toString().contains("160 scored, 0 failed"), o.toString());
        assertEquals(Files.readString(single), Files.readString(out.resolve(SparkScorer.SCORES_CSV)));
    }

    private static void link(java.util.List<io.github.deepc.anomaly.core.data.Sample> samples, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var s : samples) {
            Files.createSymbolicLink(dir.resolve(s.path().getFileName()), s.path().toAbsolutePath());
        }
    }
}
