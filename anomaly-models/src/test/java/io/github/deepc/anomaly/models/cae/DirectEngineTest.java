package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.testkit.TestImages;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The direct engine against the SameDiff graph of the same network: reconstruction, loss and every parameter's
 * gradient agree to 1e-5 (relative to the largest magnitude), for several layouts, odd-sized batches and masks
 * with invalid pixels; whole training runs of both engines agree; validation and early stopping work on the engine.
 */
class DirectEngineTest {
    private static final int SIZE = 32;

    static Stream<Arguments> specs() {
        ConvLayout small = new ConvLayout(2, 4, 5, Activation.LINEAR);
        ConvLayout deep = new ConvLayout(4, 3, 3, Activation.SIGMOID);
        ConvLayout tiny = new ConvLayout(2, 3, 3, Activation.SIGMOID);
        return Stream.of(
                Arguments.of(AutoencoderSpec.plain(ConvLayout.REFERENCE), 32, 32, 5),
                Arguments.of(AutoencoderSpec.plain(small), 16, 24, 3),
                Arguments.of(AutoencoderSpec.plain(deep), 32, 16, 2),
                Arguments.of(AutoencoderSpec.dense(tiny, 6), 16, 8, 3),
                Arguments.of(AutoencoderSpec.variational(tiny, 5, PixelLoss.MSE, 0.3), 8, 16, 4),
                Arguments.of(AutoencoderSpec.variational(tiny, 4, PixelLoss.BCE, 0.01), 16, 16, 3));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void outputsLossAndGradientsMatchTheGraph(AutoencoderSpec spec, int h, int w, int n) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] pixels = new float[n * h * w];
        float[] masks = new float[n * h * w];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
            masks[i] = rng.nextDouble() < 0.8 ? 1f : 0f;
        }
        float[] noise = new float[n * spec.latent()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        ParameterStore store = spec.initialStore(h, w, new SplittableRandom(3));
        SameDiff graph = CaeGraph.build(spec, h, w, store);
        try (DirectBackend backend = new DirectBackend(spec, store, h, w, n + 2, true)) {
            DirectAutoencoder net = backend.engine();
            Map<String, INDArray> ph = new HashMap<>();
            ph.put(CaeGraph.INPUT, Nd4j.create(pixels, new long[] {n, 1, h, w}, DataType.FLOAT));
            ph.put(CaeGraph.MASK, Nd4j.create(masks, new long[] {n, 1, h, w}, DataType.FLOAT));
            if (spec.variational()) {
                // inference decodes the mean: zero noise
                ph.put(CaeGraph.NOISE, Nd4j.zeros(DataType.FLOAT, n, spec.latent()));
            }
            List<String> outputs = new ArrayList<>(List.of(CaeGraph.OUTPUT));
            if (spec.bottleneck() != null) {
                outputs.add(CaeGraph.LATENT);
            }
            if (spec.variational()) {
                outputs.add(CaeGraph.KL);
            }
            Map<String, INDArray> out = graph.output(ph, outputs.toArray(new String[0]));
            DirectAutoencoder.Outputs inferred = net.infer(pixels, n);
            assertClose(GraphSupport.toFloats(out.get(CaeGraph.OUTPUT)), inferred.reconstruction(), "reconstruction");
            if (spec.bottleneck() != null) {
                assertClose(GraphSupport.toFloats(out.get(CaeGraph.LATENT)), inferred.latent(), "latent");
            }
            if (spec.variational()) {
                assertClose(GraphSupport.toFloats(out.get(CaeGraph.KL)), inferred.kl(), "kl");
                ph.put(CaeGraph.NOISE, Nd4j.create(noise, new long[] {n, spec.latent()}, DataType.FLOAT));
            }

            double expected = graph.output(ph, CaeGraph.LOSS).get(CaeGraph.LOSS).getDouble(0);
            assertEquals(expected, backend.loss(pixels, masks, noise, n), 1e-5 * Math.abs(expected), "loss only");
            double loss = net.gradients(pixels, masks, noise, n);
            assertEquals(expected, loss, 1e-5 * Math.abs(expected), "loss");
            Map<String, INDArray> grads = graph.calculateGradients(ph, spec.parameterNames(h, w));
            List<Stage> layers = spec.stages();
            for (int i = 0; i < layers.size(); i++) {
                String name = spec.stageName(i);
                float[][] g = net.gradients(i);
                assertClose(CaeGraph.toStoreLayout(GraphSupport.toFloats(grads.get(name + "_w")), layers.get(i)), g[0],
                        name + "_w");
                assertClose(GraphSupport.toFloats(grads.get(name + "_b")), g[1], name + "_b");
            }
            List<String> dense = spec.denseNames();
            assertEquals(dense.size(), net.denseLayers());
            for (int i = 0; i < dense.size(); i++) {
                float[][] g = net.denseGradients(i);
                assertClose(GraphSupport.toFloats(grads.get(dense.get(i) + "_w")), g[0], dense.get(i) + "_w");
                assertClose(GraphSupport.toFloats(grads.get(dense.get(i) + "_b")), g[1], dense.get(i) + "_b");
            }
        } finally {
            GraphSupport.release(graph);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void theStoreSurvivesTheRoundTripThroughTheGraphAndTheEngineTrainsItInPlace(AutoencoderSpec spec, int h, int w,
                                                                               int n) {
        ParameterStore store = spec.initialStore(h, w, new SplittableRandom(11));
        ParameterStore back = spec.newStore(h, w);
        SameDiff a = CaeGraph.build(spec, h, w, store);
        try {
            CaeGraph.copyToStore(a, spec, back);
            assertArrayEquals(store.snapshot(), back.snapshot(), "store -> graph -> store");
        } finally {
            GraphSupport.release(a);
        }
        // the engine shares the store's arrays: a training step changes the store, no copy back needed
        float[][] before = store.snapshot();
        float[] pixels = new float[n * h * w];
        float[] masks = new float[n * h * w];
        Arrays.fill(pixels, 0.25f);
        Arrays.fill(masks, 1f);
        try (DirectBackend backend = new DirectBackend(spec, store, h, w, n, true)) {
            backend.engine().trainStep(pixels, masks, new float[n * spec.latent()], n, 1e-2);
            for (int i = 0; i < before.length; i++) {
                assertTrue(!Arrays.equals(before[i], store.snapshot()[i]), store.names().get(i) + " changed in place");
            }
            // after restoring the store from outside, the engine computes with the restored values again
            double trained = backend.loss(pixels, masks, new float[n * spec.latent()], n);
            store.restore(before);
            backend.parametersChanged();
            try (DirectBackend fresh = new DirectBackend(spec, store, h, w, n, false)) {
                // the inference-only backend convolves with oneDNN's primitives, the trainable one with columns:
                // equal to float rounding, far closer than the training step moved the loss
                double initial = fresh.loss(pixels, masks, new float[n * spec.latent()], n);
                double tolerance = 1e-6 * Math.abs(initial);
                assertEquals(initial, backend.loss(pixels, masks, new float[n * spec.latent()], n), tolerance);
                assertTrue(Math.abs(initial - trained) > 100 * tolerance, "the step changed the loss");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void bothBackendsInferAlikeFromOneStore(AutoencoderSpec spec, int h, int w, int n) {
        ParameterStore store = spec.initialStore(h, w, new SplittableRandom(13));
        float[] pixels = new float[n * h * w];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        try (DirectBackend d = new DirectBackend(spec, store, h, w, n, false);
             SameDiffBackend g = new SameDiffBackend(spec, store, h, w)) {
            DirectAutoencoder.Outputs a = d.infer(pixels, n);
            DirectAutoencoder.Outputs b = g.infer(pixels, n);
            assertClose(b.reconstruction(), a.reconstruction(), "reconstruction");
            if (spec.bottleneck() != null) {
                assertClose(b.latent(), a.latent(), "latent");
            }
            if (spec.variational()) {
                assertClose(b.kl(), a.kl(), "kl");
            }
        }
    }

    @Test
    void bothEnginesTrainToTheSameNetwork() {
        // one batch per epoch, so that the engines' shuffling orders cannot matter
        List<GrayImage> images = TestImages.blobs(12, SIZE, 3, 5);
        TrainingOptions t = TrainingOptions.of(4, 16, 1e-3);
        List<EpochReport> direct = new ArrayList<>();
        List<EpochReport> samediff = new ArrayList<>();
        try (CaeModel a = new CaeModel("reference", ConvLayout.REFERENCE, t);
             CaeModel b = new CaeModel("reference", ConvLayout.REFERENCE, t.withEngine(CaeEngine.SAMEDIFF))) {
            a.fit(images, new TrainingContext(3, collect(direct)));
            b.fit(images, new TrainingContext(3, collect(samediff)));
            for (int e = 0; e < 4; e++) {
                assertEquals(samediff.get(e).loss(), direct.get(e).loss(), 1e-5 * samediff.get(e).loss(), "epoch " + e);
            }
            List<ModelOutput> x = a.infer(images);
            List<ModelOutput> y = b.infer(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(y.get(i).reconstruction(), x.get(i).reconstruction(), 1e-4f, "image " + i);
            }
        }
    }

    @Test
    void earlyStoppingOnTheEngineKeepsTheBestEpochsWeights() {
        // a learning rate far too high: the validation loss stops improving within a few epochs
        List<GrayImage> images = TestImages.blobs(16, SIZE, 2, 7);
        List<EpochReport> reports = new ArrayList<>();
        long seed = 17;
        try (CaeModel m = new CaeModel("reference", ConvLayout.REFERENCE, new TrainingOptions(15, 4, 0.05, 0.25, 2))) {
            TrainingSummary s = m.fit(images, new TrainingContext(seed, collect(reports)));
            assertTrue(s.epochs() < 15, "training should stop early, ran " + s.epochs());
            double[] losses = reports.stream().mapToDouble(r -> r.extra().get(TrainingOptions.VALIDATION_LOSS))
                    .toArray();
            int best = 0;
            for (int i = 1; i < losses.length; i++) {
                if (losses[i] < losses[best]) {
                    best = i;
                }
            }
            assertEquals(losses.length - 1 - 2, best, "stopped two epochs after the best: " + Arrays.toString(losses));
            // evaluate the kept weights on the seeded hold-out, through the graph and through the engine (infer)
            List<GrayImage> validation = CaePlaceholders.heldOut(images, seed, 0.25);
            SameDiff reference = m.referenceGraph();
            double graphLoss = reference.output(CaePlaceholders.of(validation), CaeGraph.LOSS).get(CaeGraph.LOSS)
                    .getDouble(0);
            GraphSupport.release(reference);
            assertEquals(losses[best], graphLoss, 1e-5 * losses[best], "the best epoch's weights are kept");
            double engineLoss = 0;
            List<ModelOutput> outs = m.infer(validation);
            for (ModelOutput o : outs) {
                engineLoss += maskedMse(o) / outs.size();
            }
            assertEquals(losses[best], engineLoss, 1e-5 * losses[best], "inference uses the kept weights");
        }
    }

    private static ProgressListener collect(List<EpochReport> into) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                into.add(report);
            }
        };
    }

    private static double maskedMse(ModelOutput o) {
        float[] x = o.input().unsafePixels();
        boolean[] valid = o.input().unsafeMask();
        float[] r = o.reconstruction();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (valid[i]) {
                sum += (r[i] - x[i]) * (double) (r[i] - x[i]);
                n++;
            }
        }
        return sum / Math.max(n, 1);
    }

    /** Agreement to 1e-5 of the largest magnitude (gradients sum thousands of products in a different order). */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1e-12;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= 1e-5 * scale, what + ": largest difference " + worst + " at scale " + scale);
    }
}
