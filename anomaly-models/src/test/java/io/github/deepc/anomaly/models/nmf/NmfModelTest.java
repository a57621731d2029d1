package io.github.deepc.anomaly.models.nmf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.models.score.reconstruction.MaskedMseScorer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmfModelTest {
    private static final int SIZE = 12;

    /** Images mixing four fixed non-negative parts (bars) with random weights, border invalid. */
    private static List<GrayImage> bars(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<GrayImage> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            double[] a = {0.5 * rng.nextDouble(), 0.5 * rng.nextDouble(), 0.5 * rng.nextDouble(), 0.5 * rng.nextDouble()};
            float[] px = new float[SIZE * SIZE];
            boolean[] mask = new boolean[SIZE * SIZE];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int i = y * SIZE + x;
                    mask[i] = x > 0 && y > 0;
                    double v = (y == 3 ? a[0] : 0) + (y == 8 ? a[1] : 0) + (x == 4 ? a[2] : 0) + (x == 9 ? a[3] : 0);
                    px[i] = mask[i] ? (float) Math.min(1, v) : 0.7f; // invalid pixels carry junk that NMF must ignore
                }
            }
            out.add(GrayImage.wrap(SIZE, SIZE, px, mask));
        }
        return out;
    }

    private static TrainingContext context() {
        return new TrainingContext(7, ProgressListener.NONE);
    }

    @Test
    void fitsPartsAndScoresANewPartHigher() {
        NmfModel m = new NmfModel(6, 300, 1e-6);
        List<GrayImage> train = bars(40, 1);
        TrainingSummary summary = m.fit(train, context());
        assertEquals(40, summary.images());
        assertTrue(summary.finalLoss() < 2e-3, "mean squared error " + summary.finalLoss());
        assertEquals(Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT), m.outputs());
        List<GrayImage> test = bars(5, 2);
        float[] odd = test.get(0).pixels();
        odd[6 * SIZE + 6] = 1f; // a bright dot no basis image has
        odd[6 * SIZE + 7] = 1f;
        GrayImage anomalous = test.get(0).withPixels(odd);
        List<ModelOutput> outs = m.infer(List.of(test.get(0), anomalous));
        for (ModelOutput o : outs) {
            assertEquals(6, o.latent().length);
            for (float v : o.latent()) {
                assertTrue(v >= 0);
            }
            for (float v : o.reconstruction()) {
                assertTrue(v >= 0);
            }
        }
        MaskedMseScorer mse = new MaskedMseScorer();
        double normal = mse.score(outs.get(0)).value();
        double abnormal = mse.score(outs.get(1)).value();
        assertTrue(normal < 2e-3, "normal image reconstructs well: " + normal);
        assertTrue(abnormal > 3 * normal, "new part scores higher: " + abnormal + " vs " + normal);
        // per image, independent of batching
        assertArrayEquals(outs.get(1).latent(), m.infer(List.of(anomalous)).get(0).latent());
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs(@TempDir Path dir) throws IOException {
        NmfModel m = new NmfModel(4, 50, 1e-4);
        m.fit(bars(20, 3), context());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeState(bytes);
        NmfModel loaded = new NmfModel(4, 50, 1e-4);
        loaded.readState(new ByteArrayInputStream(bytes.toByteArray()));
        List<GrayImage> test = bars(6, 4);
        List<ModelOutput> a = m.infer(test);
        List<ModelOutput> b = loaded.infer(test);
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(a.get(i).reconstruction(), b.get(i).reconstruction());
            assertArrayEquals(a.get(i).latent(), b.get(i).latent());
        }
        IOException other = assertThrows(IOException.class,
                () -> new NmfModel(5, 50, 1e-4).readState(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(other.getMessage().contains("4 components"), other.getMessage());

        Path png = dir.resolve("grid/basis.png");
        m.writeBasisGrid(png);
        BufferedImage grid = ImageIO.read(png.toFile());
        // 4 basis images: 2 x 2 grid with 1-pixel gaps
        assertEquals(2 * SIZE + 1, grid.getWidth());
        assertEquals(2 * SIZE + 1, grid.getHeight());
    }

    @Test
    void negativePixelsAreClampedAndErrorsNameTheProblem() {
        NmfModel m = new NmfModel(2, 20, 1e-4);
        List<GrayImage> train = new ArrayList<>(bars(6, 5));
        float[] neg = train.get(0).pixels();
        neg[SIZE + 1] = -0.5f;
        train.set(0, train.get(0).withPixels(neg));
        m.fit(train, context()); // clamps with a warning instead of failing
        for (double[] row : m.basis()) {
            for (double v : row) {
                assertTrue(v >= 0);
            }
        }
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> m.infer(List.of(GrayImage.filled(8, 8, 0.5f))));
        assertTrue(size.getMessage().contains("8x8") && size.getMessage().contains("12x12"), size.getMessage());
        assertThrows(IllegalStateException.class, () -> new NmfModel(2, 20, 1e-4).infer(train));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new NmfModel(0, 20, 1e-4));
        assertTrue(k.getMessage().contains("nmf.components"), k.getMessage());
        float[] nan = train.get(1).pixels();
        nan[20] = Float.NaN;
        List<GrayImage> bad = List.of(train.get(1).withPixels(nan));
        IllegalArgumentException nanError = assertThrows(IllegalArgumentException.class, () -> m.fit(bad, context()));
        assertTrue(nanError.getMessage().contains("non-finite"), nanError.getMessage());
    }

    @Test
    void providerWorksWithReconstructionAndLatentScorers() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertEquals(List.of("components", "max-iterations", "tolerance"),
                registry.models().get("nmf").parameters().stream().map(s -> s.name()).toList());
        try (AnomalyModel model = registry.models().create(PluginSpec.of("nmf", "components", "3"))) {
            assertTrue(model.toString().contains("components=3") && model.toString().contains("max-iterations=200"),
                    model.toString());
        }
    }
}
