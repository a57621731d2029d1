package io.github.deepc.anomaly.models.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code inference-batch} parameter of every deep model: with more than one image per pass the detector scores
 * the same images as with one (same seed, so the same trained weights: the parameter does not touch training) to
 * float rounding, the same call twice gives the same scores bit for bit, and out-of-range values are refused naming
 * the parameter.
 */
class InferenceBatchTest {
    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({"cae, masked-mse", "bottleneck-cae, knn", "vae, vae-loss", "deep-svdd, distance",
        "deep-one-class, distance", "dcgan, discriminator", "bigan, knn", "alpha-gan, discriminator",
        "alpha-gan, masked-mse", "defect-localizer, anomaly-map"})
    void batchedPassesScoreAsSinglePassesToFloatRounding(String model, String scorer) throws IOException {
        Path data = tmp.resolve(model + "-" + scorer);
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 24, 12, 3);
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(data);
        double[] single = scores(ds, model, scorer, 1);
        double[] batched = scores(ds, model, scorer, 16);
        double scale = Arrays.stream(single).map(Math::abs).max().orElse(0) + 1e-12;
        for (int i = 0; i < single.length; i++) {
            assertEquals(single[i], batched[i], 1e-4 * scale,
                    "image " + i + ": one per pass " + single[i] + ", 16 per pass " + batched[i]);
        }
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheParameter() {
        Map<String, String> scorers = Map.of("cae", "masked-mse", "deep-svdd", "distance", "dcgan", "discriminator",
                "defect-localizer", "anomaly-map");
        for (Map.Entry<String, String> m : scorers.entrySet()) {
            String model = m.getKey();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    AnomalyDetector.builder().pipeline(TestPipelines.equalized(32))
                            .model(PluginSpec.of(model, InferenceBatch.PARAMETER, "0"))
                            .scorer(PluginSpec.of(m.getValue())).build());
            assertTrue(e.getMessage().contains(InferenceBatch.PARAMETER), model + ": " + e.getMessage());
        }
    }

    /** Scores every sample twice in one call order and checks the two agree bit for bit. */
    private static double[] scores(DataSet ds, String model, String scorer, int perPass) {
        List<String> params = new ArrayList<>(List.of("epochs", "1", InferenceBatch.PARAMETER,
                Integer.toString(perPass)));
        switch (model) {
            case "deep-one-class" -> params.addAll(List.of("reference-per-class", "4"));
            case "dcgan", "bigan", "alpha-gan", "defect-localizer" -> params.addAll(List.of("channels", "4"));
            default -> { }
        }
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.equalized(32))
                .model(PluginSpec.of(model, params.toArray(String[]::new))).scorer(PluginSpec.of(scorer))
                .seed(5).build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            List<Sample> samples = ds.samples();
            double[] first = score(d, samples);
            double[] again = score(d, samples);
            for (int i = 0; i < first.length; i++) {
                assertEquals(Double.doubleToLongBits(first[i]), Double.doubleToLongBits(again[i]),
                        model + " with " + perPass + " per pass, image " + i + ": " + first[i] + " then " + again[i]);
            }
            return first;
        }
    }

    private static double[] score(AnomalyDetector d, List<Sample> samples) {
        List<Detection> results = d.scoreAll(samples, ProgressListener.NONE).results();
        assertEquals(samples.size(), results.size());
        return results.stream().mapToDouble(Detection::score).toArray();
    }
}
