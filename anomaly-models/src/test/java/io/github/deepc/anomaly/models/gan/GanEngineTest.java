package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.conv.DirectCritic;
import io.github.deepc.anomaly.models.conv.DirectGenerator;
import io.github.deepc.anomaly.models.conv.DirectMlp;
import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GANs on the direct engine against their SameDiff graphs ({@link Networks}, {@link Layers}): the generator, the
 * image discriminator, the encoder and BiGAN's joint discriminator give the same outputs and the same gradients of
 * every parameter and of their inputs (images, codes, latent vectors) to 1e-5 of the largest magnitude, on
 * non-square sizes, with nonzero biases, with and without self-attention and spectral normalisation (alpha-gan's
 * defaults); the losses and their gradients likewise; a seed initialises both engines alike (spectral-norm vectors
 * included); whole trainings agree per epoch; states load across engines.
 */
@ExtendWith(Nd4jSingleThread.class)
class GanEngineTest {
    private static final int H = 32;
    private static final int W = 48;

    private static GanArchitecture arch(int c, int latent, PixelRange range) {
        return arch(c, latent, range, false, false);
    }

    private static GanArchitecture arch(int c, int latent, PixelRange range, boolean attention, boolean spectral) {
        return new GanArchitecture(H, W, c, latent, attention, spectral, range);
    }

    @ParameterizedTest
    @CsvSource({"unit, 4, 5, 3, false", "symmetric, 3, 4, 2, false", "unit, 8, 5, 3, true", "symmetric, 3, 4, 2, true"})
    void generatorMatchesTheGraph(String range, int c, int latent, int n, boolean attention) {
        GanArchitecture a = arch(c, latent, PixelRange.of(range), attention, false);
        List<GanParameters.Tensor> tensors = GanParameters.generator(a);
        ParameterStore store = store(tensors, 3);
        // Pixel norm's derivative grows like 1 / |x| near x = 0, where both engines' float rounding (1e-7 of the
        // summed terms) would be amplified past any fixed tolerance: positive biases keep most ReLU outputs, and so
        // the normalised vectors, away from 0 (a few still rectify to 0, exercising that path). Likewise at least 3
        // channels: where only one channel of a position is positive, its normalised value is a constant, the exact
        // gradient 0, and both engines return rounding noise times 1 / |x| (seen with 2 channels: 3e-4 apart)
        for (GanParameters.Tensor t : tensors) {
            if (t.std() == 0) {
                float[] b = store.values(t.name());
                for (int i = 0; i < b.length; i++) {
                    b[i] += 0.3f;
                }
            }
        }
        float[] z = random(n * latent, 4, 1.0);
        float[] probe = random(n * H * W, 5, 1.0);
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, null, DataType.FLOAT);
        SDVariable zv = sd.var("z", Nd4j.create(z, new long[] {n, latent}, 'c'));
        SDVariable out = sd.identity("out", Networks.generator(p, zv, a));
        probeLoss(sd, out, probe, new long[] {n, 1, H, W});
        copyToGraph(sd, tensors, store);
        Activation act = a.range() == PixelRange.UNIT ? Activation.SIGMOID : Activation.TANH;
        try (DirectGenerator g = new DirectGenerator(latent, c, H, W, act, n, true, attention,
                GanParameters.arrays(store, tensors))) {
            float[] images = g.forward(z, n).clone();
            assertClose(GraphSupport.toFloats(sd.outputSingle(Map.of(), "out")), java.util.Arrays.copyOf(images,
                    n * H * W), "generated images");
            float[] zGrad = new float[n * latent];
            g.backward(probe, n, zGrad);
            List<String> names = new ArrayList<>(p.names());
            names.add("z");
            Map<String, INDArray> grads = sd.calculateGradients(Map.of(), names);
            assertParameterGradients(tensors, grads, g.gradients());
            assertClose(GraphSupport.toFloats(grads.get("z")), zGrad, "latent gradient");
        } finally {
            GraphSupport.release(sd);
        }
    }

    @ParameterizedTest
    @CsvSource({"discriminator, false, false", "encoder, false, false", "joint, false, false",
        "discriminator, true, true", "encoder, true, false", "joint, true, true", "discriminator, false, true",
        "discriminator, true, false"})
    void criticsMatchTheGraph(String which, boolean attention, boolean spectralNorm) {
        int c = attention ? 8 : 2;
        int latent = 5;
        int n = 3;
        GanArchitecture a = arch(c, latent, PixelRange.UNIT, attention, spectralNorm);
        List<GanParameters.Tensor> tensors = switch (which) {
            case "discriminator" -> GanParameters.imageDiscriminator(a);
            case "encoder" -> GanParameters.encoder(a);
            default -> GanParameters.jointDiscriminator(a);
        };
        boolean joint = which.equals("joint");
        int outputs = which.equals("encoder") ? latent : 1;
        // as Networks: the encoder is never normalised
        boolean sn = spectralNorm && !which.equals("encoder");
        ParameterStore store = store(tensors, 7);
        float[] x = random(n * H * W, 8, 1.0);
        float[] codes = random(n * latent, 9, 1.0);
        float[] probe = random(n * outputs, 10, 1.0);
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, null, DataType.FLOAT);
        SDVariable xv = sd.var("x", Nd4j.create(x, new long[] {n, 1, H, W}, 'c'));
        SDVariable cv = sd.var("codes", Nd4j.create(codes, new long[] {n, latent}, 'c'));
        SDVariable net = switch (which) {
            case "discriminator" -> Networks.imageDiscriminator(p, xv, a);
            case "encoder" -> Networks.encoder(p, xv, a);
            default -> Networks.jointDiscriminator(p, xv, cv, a);
        };
        SDVariable out = sd.identity("out", net);
        probeLoss(sd, out, probe, new long[] {n, outputs});
        copyToGraph(sd, tensors, store);
        try (DirectCritic d = new DirectCritic(c, H, W, joint ? latent : 0, joint ? 8 * c : 0, outputs, n, true,
                attention, sn, new SplittableRandom(11), GanParameters.arrays(store, tensors))) {
            Map<String, INDArray> feeds = spectralFeeds(GanParameters.weightNames(tensors), d.spectralNorms());
            assertEquals(sn, !feeds.isEmpty(), "normalised weights");
            // the vectors a training step uses: one power iteration after the drawn ones
            d.iterateSpectralNorms();
            feeds = spectralFeeds(GanParameters.weightNames(tensors), d.spectralNorms());
            float[] result = java.util.Arrays.copyOf(d.forward(x, joint ? codes : null, n), n * outputs);
            assertClose(GraphSupport.toFloats(sd.outputSingle(feeds, "out")), result, which + " outputs");
            float[] xGrad = new float[n * H * W];
            float[] cGrad = new float[n * latent];
            d.backward(probe, n, xGrad, joint ? cGrad : null);
            List<String> names = new ArrayList<>(p.names());
            names.add("x");
            if (joint) {
                names.add("codes");
            }
            Map<String, INDArray> grads = sd.calculateGradients(feeds, names);
            assertParameterGradients(tensors, grads, d.gradients());
            assertClose(GraphSupport.toFloats(grads.get("x")), xGrad, which + " image gradient");
            if (joint) {
                assertClose(GraphSupport.toFloats(grads.get("codes")), cGrad, which + " code gradient");
            }
            // the pass for a fixed discriminator gives the same input gradients and leaves the parameter gradients
            float[][] before = d.gradients();
            float[] xGrad2 = new float[n * H * W];
            float[] cGrad2 = new float[n * latent];
            d.backwardToInputs(probe, n, xGrad2, joint ? cGrad2 : null);
            assertArrayEquals(xGrad, xGrad2, which + " image gradient without parameter gradients");
            assertArrayEquals(cGrad, cGrad2, which + " code gradient without parameter gradients");
            float[][] after = d.gradients();
            for (int i = 0; i < before.length; i++) {
                assertArrayEquals(before[i], after[i], which + " parameter gradient " + i + " untouched");
            }
        } finally {
            GraphSupport.release(sd);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void codeDiscriminatorMatchesTheGraph(boolean spectralNorm) {
        int c = 2;
        int latent = 5;
        int n = 4;
        GanArchitecture a = arch(c, latent, PixelRange.UNIT, false, spectralNorm);
        List<GanParameters.Tensor> tensors = GanParameters.codeDiscriminator(a);
        ParameterStore store = store(tensors, 31);
        float[] codes = random(n * latent, 32, 1.0);
        float[] probe = random(n, 33, 1.0);
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, null, DataType.FLOAT);
        SDVariable cv = sd.var("codes", Nd4j.create(codes, new long[] {n, latent}, 'c'));
        SDVariable out = sd.identity("out", Networks.codeDiscriminator(p, cv, a));
        probeLoss(sd, out, probe, new long[] {n, 1});
        copyToGraph(sd, tensors, store);
        try (DirectMlp d = new DirectMlp(new int[] {latent, 8 * c, 8 * c, 1}, n, true, spectralNorm,
                new SplittableRandom(12), GanParameters.arrays(store, tensors))) {
            d.iterateSpectralNorms();
            Map<String, INDArray> feeds = spectralFeeds(GanParameters.weightNames(tensors), d.spectralNorms());
            assertEquals(spectralNorm, !feeds.isEmpty(), "normalised weights");
            assertClose(GraphSupport.toFloats(sd.outputSingle(feeds, "out")),
                    java.util.Arrays.copyOf(d.forward(codes, n), n), "code logits");
            float[] cGrad = new float[n * latent];
            d.backward(probe, n, cGrad);
            List<String> names = new ArrayList<>(p.names());
            names.add("codes");
            Map<String, INDArray> grads = sd.calculateGradients(feeds, names);
            assertParameterGradients(tensors, grads, d.gradients());
            assertClose(GraphSupport.toFloats(grads.get("codes")), cGrad, "code gradient");
            float[] again = new float[n * latent];
            d.backwardToInputs(probe, n, again);
            assertArrayEquals(cGrad, again, "code gradient without parameter gradients");
        } finally {
            GraphSupport.release(sd);
        }
    }

    @Test
    void lossesMatchTheGraph() {
        int m = 5;
        float[] logits = random(2 * m, 21, 3.0);
        double[] targets = {0.9, 0.0};
        SameDiff sd = SameDiff.create();
        SDVariable l = sd.var("l", Nd4j.create(logits, new long[] {2 * m, 1}, 'c'));
        SDVariable loss = sd.identity("loss", Layers.groupLogisticLosses(sd, l, targets).sum());
        sd.identity("means", Layers.groupMeanProbabilities(sd, l, 2));
        sd.setLossVariables(loss);
        float[] grad = new float[2 * m];
        double[] losses = GanLosses.groupLogistic(logits, 2 * m, targets, grad);
        assertEquals(sd.outputSingle(Map.of(), "loss").getDouble(0), losses[0] + losses[1], 1e-6, "group losses");
        assertClose(GraphSupport.toFloats(sd.outputSingle(Map.of(), "means")),
                toFloats(GanLosses.groupMeanProbabilities(logits, 2 * m, 2)), "group means");
        assertClose(GraphSupport.toFloats(sd.calculateGradients(Map.of(), "l").get("l")), grad, "logit gradient");
        GraphSupport.release(sd);

        int n = 3;
        int px = 16 * 16;
        List<GrayImage> imgs = TestImages.blobs(n, 16, 2, 5);
        float[] x = new float[n * px];
        float[] mask = new float[n * px];
        io.github.deepc.anomaly.models.samediff.ImageArrays.copyPixels(imgs, null, 0, n, x);
        io.github.deepc.anomaly.models.samediff.ImageArrays.copyMasks(imgs, null, 0, n, mask);
        float[] r = random(n * px, 22, 1.0);
        SameDiff g = SameDiff.create();
        long[] shape = {n, 1, 16, 16};
        SDVariable rv = g.var("r", Nd4j.create(r, shape, 'c'));
        SDVariable l1 = g.identity("l1", Layers.maskedL1(g, rv, g.constant(Nd4j.create(x, shape, 'c')),
                g.constant(Nd4j.create(mask, shape, 'c'))));
        g.setLossVariables(l1);
        float[] rGrad = new float[n * px];
        double mine = GanLosses.maskedL1(r, x, mask, n, px, rGrad);
        double want = g.outputSingle(Map.of(), "l1").getDouble(0);
        assertEquals(want, mine, 1e-6 * Math.abs(want), "masked L1");
        assertClose(GraphSupport.toFloats(g.calculateGradients(Map.of(), "r").get("r")), rGrad, "masked L1 gradient");
        GraphSupport.release(g);
    }

    /** The placeholders of the spectral-norm vectors, by the normalised weights' names. */
    private static Map<String, INDArray> spectralFeeds(List<String> names,
                                                       List<io.github.deepc.anomaly.models.conv.SpectralNormLayer> s) {
        Map<String, INDArray> feeds = new HashMap<>();
        if (s.isEmpty()) {
            return feeds;
        }
        assertEquals(names.size(), s.size(), "one normalisation per weight " + names);
        for (int i = 0; i < names.size(); i++) {
            feeds.put(names.get(i) + SpectralNorm.U, Nd4j.create(s.get(i).u().clone(), new long[] {s.get(i).cols(), 1},
                    'c'));
            feeds.put(names.get(i) + SpectralNorm.V, Nd4j.create(s.get(i).v().clone(), new long[] {s.get(i).rows(), 1},
                    'c'));
        }
        return feeds;
    }

    @ParameterizedTest
    @CsvSource({DcganModel.ID + ", false", BiganModel.ID + ", false", AlphaGanModel.ID + ", false",
        AlphaGanModel.ID + ", true"})
    void aSeedInitialisesBothEnginesAlike(String id, boolean defaults) {
        GanModel m = GanModelTest.model(id, defaults ? GanModelTest.tiny().build()
                : GanModelTest.tiny().attention(false).spectralNorm(false).build());
        GanArchitecture a = m.architecture(H, W);
        try (Players graph = m.build(a, new SplittableRandom(77));
             DirectPlayers engine = new DirectPlayers(m.directKind(), a, m.config(), new SplittableRandom(77), false)) {
            Map<String, INDArray> want = graph.stateArrays();
            Map<String, INDArray> got = engine.stateArrays();
            try {
                assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()), id + " tensor order");
                for (String name : want.keySet()) {
                    assertArrayEquals(want.get(name).shape(), got.get(name).shape(), name);
                    assertArrayEquals(GraphSupport.toFloats(want.get(name)), GraphSupport.toFloats(got.get(name)), name);
                }
            } finally {
                GraphMemory.closeAll(got);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({DcganModel.ID + ", false", BiganModel.ID + ", false", AlphaGanModel.ID + ", false",
        AlphaGanModel.ID + ", true"})
    void trainingsAgreePerEpochAndStatesLoadAcrossEngines(String id, boolean defaults) throws IOException {
        List<GrayImage> train = TestImages.blobs(16, 16, 2, 7);
        List<GrayImage> probe = TestImages.blobs(4, 16, 2, 8);
        List<EpochReport> direct = new ArrayList<>();
        List<EpochReport> reference = new ArrayList<>();
        // alpha-gan at its defaults (attention, spectral norm) and without both
        GanConfig.Builder c = defaults ? GanModelTest.tiny().epochs(2)
                : GanModelTest.tiny().epochs(2).attention(false).spectralNorm(false);
        try (GanModel a = GanModelTest.model(id, c.build());
             GanModel b = GanModelTest.model(id, c.engine(CaeEngine.SAMEDIFF).build());
             GanModel again = GanModelTest.model(id, c.engine(CaeEngine.DIRECT).build())) {
            a.fit(train, new TrainingContext(5, reports(direct)));
            b.fit(train, new TrainingContext(5, reports(reference)));
            assertNotNull(a.directPlayers());
            assertNull(a.players());
            assertNull(b.directPlayers());
            assertEquals(reference.size(), direct.size());
            for (int e = 0; e < reference.size(); e++) {
                EpochReport want = reference.get(e);
                EpochReport got = direct.get(e);
                // float sums in another order: each step differs by float rounding, which training carries on (measured
                // at most 6e-7 relative over the 2 x 2 updates of every figure); 1e-5 leaves room for other BLAS kernels
                assertEquals(want.loss(), got.loss(), 1e-5 * Math.abs(want.loss()), id + " epoch " + (e + 1) + " G loss");
                assertEquals(want.extra().keySet(), got.extra().keySet(), id + " figures");
                for (String k : want.extra().keySet()) {
                    double w = want.extra().get(k);
                    // with attention and spectral norm together, a few of the generator's weights whose exact gradient
                    // is 0 (dead or single-channel pixel-norm positions) get rounding noise that Adam turns into whole
                    // steps of either sign (measured: 40 of 8192 g_up1_w values 4e-4 apart after 4 updates, every loss
                    // within 2e-7); the sample diversity, a difference of near-equal samples, shows it (1.2e-4)
                    double tolerance = defaults && k.equals(GanModel.DIVERSITY) ? 1e-3 : 1e-5;
                    assertEquals(w, got.extra().get(k), tolerance * Math.abs(w), id + " epoch " + (e + 1) + " " + k);
                }
            }
            assertOutputsClose(b.infer(probe), a.infer(probe), id);
            // seeded: the same seed gives the same bytes
            again.fit(train, new TrainingContext(5, ProgressListener.NONE));
            assertArrayEquals(state(a), state(again), id + " same seed, same state");
            // states written on one engine load and score alike on the other
            try (GanModel onGraph = GanModelTest.model(id, c.engine(CaeEngine.SAMEDIFF).build());
                 GanModel onEngine = GanModelTest.model(id, c.engine(CaeEngine.DIRECT).build())) {
                onGraph.readState(new ByteArrayInputStream(state(a)));
                onEngine.readState(new ByteArrayInputStream(state(b)));
                assertOutputsClose(a.infer(probe), onGraph.infer(probe), id + " direct state on samediff");
                assertOutputsClose(b.infer(probe), onEngine.infer(probe), id + " samediff state on direct");
                assertArrayEquals(state(a), state(onGraph), id + " the state is the same bytes again");
                assertArrayEquals(state(b), state(onEngine), id + " the state is the same bytes again");
            }
        }
    }

    @Test
    void everyGanRunsOnTheDirectEngineUnlessToldOtherwise() {
        GanModel alpha = GanModelTest.model(AlphaGanModel.ID, GanModelTest.tiny().build());
        assertTrue(alpha.usesDirectEngine());
        GanModel alphaAttention = GanModelTest.model(AlphaGanModel.ID, GanModelTest.tiny().spectralNorm(false).build());
        assertTrue(alphaAttention.usesDirectEngine());
        GanModel alphaSpectral = GanModelTest.model(AlphaGanModel.ID, GanModelTest.tiny().attention(false).build());
        assertTrue(alphaSpectral.usesDirectEngine());
        GanModel alphaReference = GanModelTest.model(AlphaGanModel.ID,
                GanModelTest.tiny().engine(CaeEngine.SAMEDIFF).build());
        assertFalse(alphaReference.usesDirectEngine());
        GanModel alphaPlain = GanModelTest.model(AlphaGanModel.ID,
                GanModelTest.tiny().attention(false).spectralNorm(false).build());
        assertTrue(alphaPlain.usesDirectEngine());
        GanModel dcgan = GanModelTest.model(DcganModel.ID, GanModelTest.tiny().build());
        assertTrue(dcgan.usesDirectEngine());
        GanModel reference = GanModelTest.model(DcganModel.ID, GanModelTest.tiny().engine(CaeEngine.SAMEDIFF).build());
        assertFalse(reference.usesDirectEngine());
    }

    private static void assertOutputsClose(List<ModelOutput> expected, List<ModelOutput> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            ModelOutput e = expected.get(i);
            ModelOutput a = actual.get(i);
            double p = e.scalar(OutputKind.DISCRIMINATOR_PROBABILITY);
            assertEquals(p, a.scalar(OutputKind.DISCRIMINATOR_PROBABILITY), 1e-4 * p, what + " D of image " + i);
            if (e.kinds().contains(OutputKind.LATENT)) {
                assertArrayEquals(e.latent(), a.latent(), 1e-4f * max(e.latent()), what + " code of image " + i);
                assertArrayEquals(e.reconstruction(), a.reconstruction(), 1e-4f * max(e.reconstruction()),
                        what + " reconstruction of image " + i);
            }
        }
    }

    private static ProgressListener reports(List<EpochReport> into) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                into.add(report);
            }
        };
    }

    private static byte[] state(GanModel m) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        m.writeState(bos);
        return bos.toByteArray();
    }

    /** A store of the tensors with seeded weights and nonzero biases (so that every gradient path carries values). */
    private static ParameterStore store(List<GanParameters.Tensor> tensors, long seed) {
        ParameterStore store = new ParameterStore();
        SplittableRandom rng = new SplittableRandom(seed);
        GanParameters.add(store, tensors, rng);
        for (GanParameters.Tensor t : tensors) {
            float[] v = store.values(t.name());
            if (t.std() == 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.05 * rng.nextGaussian());
                }
            } else {
                // larger weights than DCGAN's 0.02, so that activations do not all sit near 0
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 10f;
                }
            }
        }
        return store;
    }

    private static void copyToGraph(SameDiff sd, List<GanParameters.Tensor> tensors, ParameterStore store) {
        for (GanParameters.Tensor t : tensors) {
            float[] g = GanParameters.toGraph(t, store.values(t.name()));
            sd.getVariable(t.name()).getArr().assign(Nd4j.create(g, t.shape(), 'c'));
        }
    }

    /** Makes the graph's loss {@code sum(out * probe)}, whose gradient with respect to {@code out} is the probe. */
    private static void probeLoss(SameDiff sd, SDVariable out, float[] probe, long[] shape) {
        SDVariable loss = sd.identity("probe_loss", out.mul(sd.constant(Nd4j.create(probe, shape, 'c'))).sum());
        sd.setLossVariables(loss);
    }

    private static void assertParameterGradients(List<GanParameters.Tensor> tensors, Map<String, INDArray> grads,
                                                 float[][] engine) {
        assertEquals(tensors.size(), engine.length, "gradient arrays");
        for (int i = 0; i < tensors.size(); i++) {
            GanParameters.Tensor t = tensors.get(i);
            float[] inEngineLayout = new float[t.size()];
            GanParameters.fromGraph(t, GraphSupport.toFloats(grads.get(t.name())), inEngineLayout);
            // the attention's key bias f_b cancels in the softmax: its gradient is 0 up to both sides' rounding, so it
            // is compared at the scale of the key weight's gradient (as SelfAttentionLayerTest does)
            double floor = t.name().endsWith("_att_f_b")
                    ? maxAbs(GraphSupport.toFloats(grads.get(t.name().replace("_f_b", "_f_w")))) : 0;
            assertClose(inEngineLayout, engine[i], t.name() + " gradient", floor);
        }
    }

    private static float[] random(int n, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * (rng.nextDouble() * 2 - 1));
        }
        return v;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static float max(float[] v) {
        float m = 1e-6f;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Agreement to 1e-5 of the largest magnitude. */
    static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, what, 0);
    }

    /** Agreement to 1e-5 of the largest magnitude, or of {@code floor} where that is larger. */
    static void assertClose(float[] expected, float[] actual, String what, double floor) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = Math.max(1e-12, floor);
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
