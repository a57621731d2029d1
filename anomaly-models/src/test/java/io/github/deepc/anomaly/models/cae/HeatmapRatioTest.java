package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.PhantomHeat;
import io.github.deepc.anomaly.models.score.reconstruction.MaskedMseScorer;
import io.github.deepc.anomaly.models.score.reconstruction.TopKSquaredErrorScorer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Do the reconstruction heat maps point at the anomaly? A small bottleneck CAE trained on normal hand phantoms
 * misreconstructs the anomalies of abnormal ones: over all abnormal phantoms, the mean heat on ground-truth anomaly
 * pixels is well above the mean heat elsewhere.
 */
class HeatmapRatioTest {
    private static final int SIZE = 32;

    @Test
    void reconstructionErrorConcentratesInsideTheAnomalies() {
        HandPhantomGenerator gen = HandPhantomGenerator.ofSize(SIZE);
        List<GrayImage> normals = gen.normals(1_000, 64).stream().map(Phantom::image).toList();
        List<Phantom> abnormals = gen.abnormals(5_000, 15);
        List<ModelOutput> outputs;
        try (BottleneckCaeModel m = new BottleneckCaeModel(new ConvLayout(3, 8, 3, Activation.SIGMOID),
                16, TrainingOptions.of(3, 8, 2e-3))) {
            m.fit(normals, new TrainingContext(7, ProgressListener.NONE));
            outputs = m.infer(abnormals.stream().map(Phantom::image).toList());
        }
        double mse = PhantomHeat.insideOutsideRatio(abnormals, outputs, new MaskedMseScorer());
        double topK = PhantomHeat.insideOutsideRatio(abnormals, outputs, new TopKSquaredErrorScorer(0, 0.01));
        System.out.printf(Locale.ROOT, "heat inside / outside the anomaly masks: masked-mse %.3f, top-k-se %.3f%n",
                mse, topK);
        assertTrue(mse > 1.5, "masked-mse heat ratio " + mse);
        assertTrue(topK > 1.5, "top-k-se heat ratio " + topK);
    }
}
