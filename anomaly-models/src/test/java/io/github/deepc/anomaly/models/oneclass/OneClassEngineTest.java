package io.github.deepc.anomaly.models.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one-class networks on the direct engine against their SameDiff reference graphs: features, logits, losses and
 * every parameter's gradient agree to 1e-5 of the largest magnitude (bias-free stride-2 convolutions with leaky ReLU,
 * the bias-free projection, the head, Deep SVDD's loss and deep-one-class's compactness + descriptiveness), on tiny
 * shapes with invalid pixels; whole trainings of both engines agree per epoch; training is seeded; states written on
 * one engine load on the other.
 */
class OneClassEngineTest {
    @ParameterizedTest
    @CsvSource({"16, 16, 3, 8", "8, 16, 2, 5", "16, 8, 1, 3"})
    void deepSvddMatchesTheGraph(int h, int w, int n, int repDim) {
        ParameterStore store = initialised(h, w, repDim, 0, 11);
        float[] centre = new float[repDim];
        SplittableRandom rng = new SplittableRandom(5);
        for (int j = 0; j < repDim; j++) {
            centre[j] = (float) (rng.nextDouble() - 0.5);
        }
        List<GrayImage> images = images(n, h, w, 3);
        SameDiff graph = DeepSvddGraph.build(h, w, repDim, null);
        try (DirectFeatureNetwork engine = engine(store, h, w, repDim, 0, n)) {
            BiasFreeEncoder.copyToGraph(store, graph);
            graph.getVariable(DeepSvddGraph.CENTRE).getArr().assign(Nd4j.create(centre, new long[] {1, repDim},
                    DataType.FLOAT));
            Map<String, INDArray> ph = placeholders(images, h, w);
            Map<String, INDArray> out = graph.output(ph, FeatureNetwork.FEATURES, DeepSvddGraph.LOSS);
            float[] px = pixels(images, h, w);
            float[] mk = masks(images, h, w);
            float[] features = GraphSupport.toFloats(out.get(FeatureNetwork.FEATURES));
            assertClose(features, engine.features(px, mk, n), "features");
            try (DirectFeatureNetwork inference = engine(store, h, w, repDim, 0, n, false)) {
                // inference projects the last stage's channels-last result with permuted weights (on oneDNN)
                assertClose(features, inference.features(px, mk, n), "inference features");
                float[] proj = store.values(store.names().get(store.names().size() - 1));
                for (int i = 0; i < proj.length; i++) {
                    proj[i] *= -0.5f;
                }
                inference.parametersChanged();
                engine.parametersChanged();
                assertClose(engine.features(px, mk, n), inference.features(px, mk, n), "after new weights");
                for (int i = 0; i < proj.length; i++) {
                    proj[i] *= -2f;
                }
                engine.parametersChanged();
            }
            double loss = engine.gradients(px, mk, n, OneClassLosses.svdd(centre));
            double want = out.get(DeepSvddGraph.LOSS).getDouble(0);
            assertEquals(want, loss, 1e-5 * Math.abs(want), "loss");
            assertGradients(graph, ph, store, engine.gradients());
        } finally {
            GraphSupport.release(graph);
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 16, 3, 6, 4, 0.1", "8, 16, 2, 4, 3, 2.5", "16, 8, 2, 3, 2, 0"})
    void deepOneClassMatchesTheGraph(int h, int w, int n, int repDim, int classes, double lambda) {
        ParameterStore store = initialised(h, w, repDim, classes, 13);
        List<GrayImage> normals = images(n, h, w, 4);
        List<GrayImage> refs = TestImages.random(n, w, h, 9);
        int[] labels = new int[n];
        for (int b = 0; b < n; b++) {
            labels[b] = (b * 7 + 1) % classes;
        }
        SameDiff graph = DeepOneClassGraph.build(h, w, repDim, classes, lambda, null);
        try (DirectFeatureNetwork engine = engine(store, h, w, repDim, classes, 2 * n)) {
            BiasFreeEncoder.copyToGraph(store, graph);
            Map<String, INDArray> ph = placeholders(normals, h, w);
            ph.put(DeepOneClassGraph.REFERENCE, ImageArrays.pixels(refs, null, 0, n, h, w));
            ph.put(DeepOneClassGraph.REFERENCE_MASK, ImageArrays.masks(refs, null, 0, n, h, w));
            ph.put(DeepOneClassGraph.REFERENCE_LABELS, ImageArrays.oneHot(labels, null, 0, n, classes));
            Map<String, INDArray> out = graph.output(ph, FeatureNetwork.FEATURES, DeepOneClassGraph.LOSS);
            List<GrayImage> both = new ArrayList<>(normals);
            both.addAll(refs);
            float[] px = pixels(both, h, w);
            float[] mk = masks(both, h, w);
            float[] features = engine.features(px, mk, 2 * n);
            assertClose(GraphSupport.toFloats(out.get(FeatureNetwork.FEATURES)),
                    java.util.Arrays.copyOf(features, n * repDim), "features");
            double loss = engine.gradients(px, mk, 2 * n, OneClassLosses.compactDescriptive(n, labels, repDim, classes,
                    lambda));
            double want = out.get(DeepOneClassGraph.LOSS).getDouble(0);
            assertEquals(want, loss, 1e-5 * Math.abs(want), "loss");
            assertGradients(graph, ph, store, engine.gradients());
        } finally {
            GraphSupport.release(graph);
        }
    }

    @Test
    void deepSvddTrainsAlikeOnBothEnginesAndIsSeeded() throws IOException {
        List<GrayImage> train = TestImages.blobs(20, 16, 2, 21);
        List<GrayImage> probe = TestImages.blobs(6, 16, 2, 22);
        // a large weight decay, so that a difference in how it is applied would show
        List<Double> direct = new ArrayList<>();
        List<Double> reference = new ArrayList<>();
        try (DeepSvddModel a = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.DIRECT);
             DeepSvddModel b = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.SAMEDIFF);
             DeepSvddModel again = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.DIRECT);
             DeepSvddModel otherSeed = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.DIRECT)) {
            a.fit(train, new TrainingContext(3, losses(direct)));
            b.fit(train, new TrainingContext(3, losses(reference)));
            assertEpochsClose(reference, direct);
            assertArrayEquals(b.centre(), a.centre(), 1e-6f);
            assertOutputsClose(b.infer(probe), a.infer(probe));
            again.fit(train, new TrainingContext(3, ProgressListener.NONE));
            otherSeed.fit(train, new TrainingContext(4, ProgressListener.NONE));
            assertOutputsEqual(a.infer(probe), again.infer(probe));
            assertNotEquals(a.infer(probe).get(0).scalar(OutputKind.DISTANCE),
                    otherSeed.infer(probe).get(0).scalar(OutputKind.DISTANCE));
            // a state written on one engine scores alike on the other, and identically on its own
            try (DeepSvddModel onGraph = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.SAMEDIFF);
                 DeepSvddModel onEngine = new DeepSvddModel(3, 8, 1e-3, 1e-2, 6, CaeEngine.DIRECT)) {
                byte[] state = state(a);
                onGraph.readState(new ByteArrayInputStream(state));
                onEngine.readState(new ByteArrayInputStream(state));
                assertOutputsClose(a.infer(probe), onGraph.infer(probe));
                assertOutputsEqual(a.infer(probe), onEngine.infer(probe));
            }
        }
    }

    @Test
    void deepOneClassTrainsAlikeOnBothEngines() {
        List<GrayImage> train = TestImages.blobs(14, 16, 2, 31);
        List<GrayImage> probe = TestImages.blobs(5, 16, 2, 32);
        List<Double> direct = new ArrayList<>();
        List<Double> reference = new ArrayList<>();
        try (DeepOneClassModel a = new DeepOneClassModel("phantoms", "", 3, 0.5, 3, 6, 1e-3, 1e-2, 5,
                CaeEngine.DIRECT);
             DeepOneClassModel b = new DeepOneClassModel("phantoms", "", 3, 0.5, 3, 6, 1e-3, 1e-2, 5,
                     CaeEngine.SAMEDIFF)) {
            a.fit(train, new TrainingContext(8, losses(direct)));
            b.fit(train, new TrainingContext(8, losses(reference)));
            assertEpochsClose(reference, direct);
            assertArrayEquals(b.centre(), a.centre(), 1e-4f * max(b.centre()));
            assertOutputsClose(b.infer(probe), a.infer(probe));
        }
    }

    @Test
    void memoryEstimatesChooseTheEngine() {
        // 16x16, trainable: input 256 + per stage 2 (columns + outputs) = 3200 + 5632 + 2816, + 2 x the last stage's 256
        assertEquals(12_416, DirectFeatureNetwork.floatsPerImage(BiasFreeEncoder.stages(), 16, 16, true));
        assertEquals(256 + 1600 + 2816 + 1408 + 256,
                DirectFeatureNetwork.floatsPerImage(BiasFreeEncoder.stages(), 16, 16, false));
        long gib = 1L << 30;
        assertEquals(CaeEngine.DIRECT, CentredFeatureModel.trainingEngine(CaeEngine.DIRECT, "deep-svdd", 64, 64, 64, gib));
        // 64 images of 1024x1024 need several GiB: the reference engine trains instead
        assertEquals(CaeEngine.SAMEDIFF,
                CentredFeatureModel.trainingEngine(CaeEngine.DIRECT, "deep-svdd", 1024, 1024, 64, gib));
        assertEquals(CaeEngine.SAMEDIFF,
                CentredFeatureModel.trainingEngine(CaeEngine.SAMEDIFF, "deep-svdd", 64, 64, 64, gib));
    }

    private static byte[] state(DeepSvddModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeState(bytes);
        return bytes.toByteArray();
    }

    private static ProgressListener losses(List<Double> into) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                into.add(report.loss());
            }
        };
    }

    private static void assertEpochsClose(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "epochs");
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e), actual.get(e), 1e-5 * Math.abs(expected.get(e)), "epoch " + (e + 1) + " loss");
        }
    }

    private static float max(float[] v) {
        float m = 1e-6f;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static void assertOutputsClose(List<ModelOutput> expected, List<ModelOutput> actual) {
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).latent();
            assertArrayEquals(e, actual.get(i).latent(), 1e-4f * max(e), "features of image " + i);
            double d = expected.get(i).scalar(OutputKind.DISTANCE);
            assertEquals(d, actual.get(i).scalar(OutputKind.DISTANCE), 1e-3 * d, "distance of image " + i);
        }
    }

    private static void assertOutputsEqual(List<ModelOutput> expected, List<ModelOutput> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).latent(), actual.get(i).latent(), "features of image " + i);
        }
    }

    private static ParameterStore initialised(int h, int w, int repDim, int classes, long seed) {
        ParameterStore store = BiasFreeEncoder.newStore(h, w, repDim, classes);
        BiasFreeEncoder.initialise(store, h, w, repDim, classes, new SplittableRandom(seed));
        if (classes > 0) {
            // nonzero head biases, so that their gradient path is exercised with general values
            float[] b = store.values(BiasFreeEncoder.HEAD_B);
            for (int c = 0; c < b.length; c++) {
                b[c] += 0.1f * (c + 1);
            }
        }
        return store;
    }

    private static DirectFeatureNetwork engine(ParameterStore store, int h, int w, int repDim, int classes, int n) {
        return engine(store, h, w, repDim, classes, n, true);
    }

    private static DirectFeatureNetwork engine(ParameterStore store, int h, int w, int repDim, int classes, int n,
                                               boolean trainable) {
        List<String> names = store.names();
        float[][] p = new float[names.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = store.values(names.get(i));
        }
        return new DirectFeatureNetwork(BiasFreeEncoder.stages(), repDim, classes, h, w, n, trainable, p);
    }

    /** Blobs with an invalid border on square sizes, random valid pixels otherwise. */
    private static List<GrayImage> images(int n, int h, int w, long seed) {
        return h == w ? TestImages.blobs(n, h, 2, seed) : TestImages.random(n, w, h, seed);
    }

    private static Map<String, INDArray> placeholders(List<GrayImage> images, int h, int w) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(FeatureNetwork.INPUT, ImageArrays.pixels(images, null, 0, images.size(), h, w));
        ph.put(FeatureNetwork.MASK, ImageArrays.masks(images, null, 0, images.size(), h, w));
        return ph;
    }

    private static float[] pixels(List<GrayImage> images, int h, int w) {
        float[] p = new float[images.size() * h * w];
        ImageArrays.copyPixels(images, null, 0, images.size(), p);
        return p;
    }

    private static float[] masks(List<GrayImage> images, int h, int w) {
        float[] p = new float[images.size() * h * w];
        ImageArrays.copyMasks(images, null, 0, images.size(), p);
        return p;
    }

    private static void assertGradients(SameDiff graph, Map<String, INDArray> ph, ParameterStore store,
                                        float[][] engineGrads) {
        List<String> names = store.names();
        Map<String, INDArray> grads = graph.calculateGradients(ph, names);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            float[] g = GraphSupport.toFloats(grads.get(name));
            // into the store's layout
            ParameterStore one = new ParameterStore().add(name, store.shape(name));
            BiasFreeEncoder.fromGraphLayout(one, name, g);
            assertClose(one.values(name), engineGrads[i], name + " gradient");
        }
    }

    /** Agreement to 1e-5 of the largest magnitude. */
    private static void assertClose(float[] expected, float[] actual, String what) {
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
