package io.github.deepc.anomaly.models.cae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Detector files written before the parameter store (state format 1: the SameDiff graph's variables in ND4J's
 * layouts) still load and score as they did: {@code src/test/resources/legacy-detectors} holds a {@code cae}, a
 * {@code bottleneck-cae} and a {@code vae} detector saved by the previous code (trained 2 epochs on 18 phantoms,
 * see {@code GenerateLegacyFiles.java.txt} there), the 12 probe images and the scores that code gave them. Saving
 * again writes format 2, which loads to the same scores bit for bit.
 */
class LegacyStateTest {
    @ParameterizedTest
    @ValueSource(strings = {"cae", "bottleneck-cae", "vae"})
    void formatOneFilesLoadScoreAsBeforeAndRoundTripThroughFormatTwo(String model, @TempDir Path dir)
            throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(getClass().getResource("/legacy-detectors/cae.detector")).toURI())
                .getParent();
        Map<String, Double> expected = new HashMap<>();
        for (String line : Files.readAllLines(root.resolve(model + ".scores.csv"))) {
            String[] f = line.split(",");
            expected.put(f[0], Double.parseDouble(f[1]));
        }
        DataSet ds = DataSets.detect(root.resolve("images"), PhantomDataSetWriter.NORMAL_DIR);
        List<Sample> probe = ds.samples();
        assertEquals(12, probe.size());
        Path again = dir.resolve(model + ".detector");
        List<Detection> first;
        try (AnomalyDetector legacy = AnomalyDetector.load(root.resolve(model + ".detector"))) {
            first = legacy.scoreAll(probe, ProgressListener.NONE).results();
            assertEquals(12, first.size());
            for (Detection d : first) {
                String key = ds.root().relativize(d.sample().path()).toString().replace('\\', '/');
                double want = expected.get(key);
                assertEquals(want, d.score(), 1e-5 * Math.abs(want), model + " " + key);
            }
            legacy.save(again);
        }
        byte[] bytes = Files.readAllBytes(again);
        assertTrue(bytes.length > 0);
        try (AnomalyDetector reloaded = AnomalyDetector.load(again)) {
            List<Detection> second = reloaded.scoreAll(probe, ProgressListener.NONE).results();
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).score(), second.get(i).score(), 0.0, "format 2 round trip, image " + i);
            }
        }
    }
}
