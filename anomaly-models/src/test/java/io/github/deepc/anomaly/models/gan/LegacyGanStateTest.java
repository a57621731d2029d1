package io.github.deepc.anomaly.models.gan;

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
 * Detector files written by the SameDiff-only GANs (before the direct engine) still load, now onto the direct engine
 * (their saved parameters name no engine, so the default applies), and score as they did:
 * {@code src/test/resources/legacy-detectors} holds a {@code dcgan} and a {@code bigan} detector saved by that code
 * (trained 4 epochs on 18 phantoms of 32x32, see {@code GenerateGanLegacyFiles.java.txt} there), and an
 * {@code alpha-gan} detector at its defaults (self-attention, spectral norm; SameDiff-only before issue 13) written by
 * the SameDiff engine and naming no engine, as such files did, with the
 * discriminator scores it gave the 12 probe images (which spread over 1e-2, so that the 1e-5 agreement means
 * something). Saving again and loading gives the same scores bit for bit.
 */
class LegacyGanStateTest {
    @ParameterizedTest
    @ValueSource(strings = {"dcgan", "bigan", "alpha-gan"})
    void oldFilesLoadScoreAsBeforeAndRoundTrip(String model, @TempDir Path dir) throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(getClass().getResource("/legacy-detectors/" + model + ".detector"))
                .toURI()).getParent();
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
        assertTrue(Files.size(again) > 0);
        try (AnomalyDetector reloaded = AnomalyDetector.load(again)) {
            List<Detection> second = reloaded.scoreAll(probe, ProgressListener.NONE).results();
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).score(), second.get(i).score(), 0.0, "round trip, image " + i);
            }
        }
    }
}
