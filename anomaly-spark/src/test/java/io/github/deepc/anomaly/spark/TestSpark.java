package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for all test classes of the module (starting one costs seconds), and one phantom data set
 * with a trained detector. {@code local[2,3]}: two task slots, a task may fail up to twice (the retry tests).
 */
final class TestSpark {
    private static SparkSession session;
    private static Path phantoms;
    private static Path detector;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().appName("anomaly-spark tests").master("local[2,3]")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        }
        return session;
    }

    /** 40 normal and 10 abnormal 64 px hand phantoms, plus one corrupt file among the normals. */
    static synchronized Path phantoms() {
        if (phantoms == null) {
            try {
                Path root = Files.createTempDirectory("anomaly-spark-test-");
                phantoms = root.resolve("data");
                new PhantomDataSetWriter(HandPhantomGenerator.ofSize(64)).write(phantoms, 40, 10, 7);
                Files.write(phantoms.resolve("NORMAL").resolve("zz-corrupt.png"), new byte[] {1, 2, 3, 4, 5});
                detector = root.resolve("phantom.detector");
                try (AnomalyDetector d = AnomalyDetector.builder().pipeline(DetectorDefaults.recommendedPipeline(32)).seed(3).build()) {
                    d.fit(ClassFolderLayout.withNormalClass("NORMAL").load(phantoms).normals(), ProgressListener.NONE);
                    d.save(detector);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return phantoms;
    }

    static synchronized Path phantomDetector() {
        phantoms();
        return detector;
    }
}
