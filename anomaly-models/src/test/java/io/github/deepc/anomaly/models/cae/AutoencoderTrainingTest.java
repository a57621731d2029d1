package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.models.score.reconstruction.KlScorer;
import io.github.deepc.anomaly.models.score.reconstruction.MaskedMseScorer;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.models.score.reconstruction.TopKSquaredErrorScorer;
import io.github.deepc.anomaly.models.score.reconstruction.VaeLossScorer;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Training, determinism, losses, validation, early stopping and state of the bottleneck CAE and the VAE. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoencoderTrainingTest {
    private static final int SIZE = 32;
    private static final ConvLayout LAYOUT = new ConvLayout(3, 4, 3, Activation.SIGMOID);

    private List<GrayImage> train;
    private List<GrayImage> probe;
    private BottleneckCaeModel bottleneck;
    private VaeModel vae;

    private static BottleneckCaeModel bottleneck(TrainingOptions t) {
        return new BottleneckCaeModel(LAYOUT, 8, t);
    }

    private static VaeModel vae(TrainingOptions t) {
        return new VaeModel(LAYOUT, 8, PixelLoss.BCE, 0.01, t);
    }

    /** Both shared models: 2 epochs, a quarter of the 16 images held out, seed 11. */
    private static final TrainingOptions SHARED = new TrainingOptions(2, 8, 1e-3, 0.25, 0);
    private static final long SEED = 11;
    private final List<EpochReport> bottleneckReports = new ArrayList<>();
    private final List<EpochReport> vaeReports = new ArrayList<>();
    private TrainingSummary vaeSummary;

    @BeforeAll
    void fitShared() {
        train = TestImages.blobs(16, SIZE, 2, 7);
        probe = TestImages.blobs(4, SIZE, 2, 8);
        bottleneck = bottleneck(SHARED);
        bottleneck.fit(train, new TrainingContext(SEED, collect(bottleneckReports)));
        vae = vae(SHARED);
        vaeSummary = vae.fit(train, new TrainingContext(SEED, collect(vaeReports)));
    }

    @AfterAll
    void closeShared() {
        bottleneck.close();
        vae.close();
    }

    @Test
    void outputsHaveTheDeclaredKindsAndShapes() {
        for (ModelOutput o : bottleneck.infer(probe)) {
            assertEquals(java.util.Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT), o.kinds());
            assertEquals(SIZE * SIZE, o.reconstruction().length);
            assertEquals(8, o.latent().length);
        }
        for (ModelOutput o : vae.infer(probe)) {
            assertEquals(vae.outputs(), o.kinds());
            assertEquals(8, o.latent().length);
            double kl = o.scalar(OutputKind.KL_DIVERGENCE);
            assertTrue(Double.isFinite(kl) && kl >= -1e-6, "KL >= 0, got " + kl);
            for (float v : o.reconstruction()) {
                assertTrue(v > 0f && v < 1f, "sigmoid output in (0,1), got " + v);
            }
        }
    }

    @Test
    void vaeInferenceDecodesThePosteriorMean() {
        // z = mu: feeding zero noise to the graph gives what infer (on the direct engine) returns, to float
        // rounding; other noise does not
        SameDiff sd = vae.referenceGraph();
        Map<String, INDArray> ph = CaePlaceholders.of(probe);
        ph.put(CaeGraph.NOISE, Nd4j.zeros(DataType.FLOAT, probe.size(), 8));
        float[] zero = sd.outputSingle(ph, CaeGraph.OUTPUT).dup('c').data().asFloat();
        ph.put(CaeGraph.NOISE, Nd4j.ones(DataType.FLOAT, probe.size(), 8));
        float[] one = sd.outputSingle(ph, CaeGraph.OUTPUT).dup('c').data().asFloat();
        List<ModelOutput> outs = vae.infer(probe);
        int px = SIZE * SIZE;
        for (int b = 0; b < probe.size(); b++) {
            assertArrayEquals(Arrays.copyOfRange(zero, b * px, (b + 1) * px), outs.get(b).reconstruction(), 1e-5f);
        }
        assertFalse(Arrays.equals(zero, one), "the noise reaches the decoder");
    }

    @Test
    void maskedLossesMatchTheirDefinitionAndIgnoreInvalidPixels() {
        // image 0: 2-pixel invalid border; image 1: no valid pixel at all (reconstruction term 0, no division by zero)
        List<GrayImage> imgs = new ArrayList<>(TestImages.blobs(1, SIZE, 2, 21));
        imgs.add(GrayImage.wrap(SIZE, SIZE, new float[SIZE * SIZE], new boolean[SIZE * SIZE]));
        int px = SIZE * SIZE;
        for (PixelLoss loss : PixelLoss.values()) {
            for (boolean variational : new boolean[] {false, true}) {
                if (loss == PixelLoss.BCE && !variational) {
                    continue; // the bottleneck CAE trains with MSE only
                }
                AutoencoderSpec spec = variational ? AutoencoderSpec.variational(LAYOUT, 8, loss, 0.25)
                        : AutoencoderSpec.dense(LAYOUT, 8);
                SameDiff sd = CaeGraph.build(spec, SIZE, SIZE, new SplittableRandom(5));
                Map<String, INDArray> ph = CaePlaceholders.of(imgs);
                if (spec.variational()) {
                    float[] eps = new float[2 * 8];
                    SplittableRandom r = new SplittableRandom(9);
                    for (int i = 0; i < eps.length; i++) {
                        eps[i] = (float) r.nextGaussian();
                    }
                    ph.put(CaeGraph.NOISE, Nd4j.create(eps, new long[] {2, 8}, DataType.FLOAT));
                }
                List<String> names = new ArrayList<>(List.of(CaeGraph.OUTPUT, CaeGraph.LOGITS, CaeGraph.LOSS));
                if (spec.variational()) {
                    names.add(CaeGraph.KL);
                }
                Map<String, INDArray> res = sd.output(ph, names.toArray(new String[0]));
                float[] x = ph.get(CaeGraph.INPUT).dup('c').data().asFloat();
                float[] mask = ph.get(CaeGraph.MASK).dup('c').data().asFloat();
                float[] out = res.get(CaeGraph.OUTPUT).dup('c').data().asFloat();
                float[] logits = res.get(CaeGraph.LOGITS).dup('c').data().asFloat();
                double expected = 0;
                int valid0 = 0;
                for (int i = 0; i < px; i++) {
                    if (mask[i] != 0) {
                        double l = logits[i];
                        expected += loss == PixelLoss.MSE ? (out[i] - x[i]) * (out[i] - x[i])
                                : Math.max(l, 0) - x[i] * l + Math.log1p(Math.exp(-Math.abs(l)));
                        valid0++;
                    }
                }
                expected /= valid0; // image 1 contributes 0 reconstruction error
                if (spec.variational()) {
                    expected += spec.beta() * (res.get(CaeGraph.KL).getDouble(0) + res.get(CaeGraph.KL).getDouble(1));
                }
                expected /= 2;
                String what = variational + "/" + loss;
                assertEquals(expected, res.get(CaeGraph.LOSS).getDouble(0), 1e-5 * expected, what);

                // the gradient w.r.t. the logits vanishes at invalid pixels and not at valid ones
                float[] g = sd.calculateGradients(ph, CaeGraph.LOGITS).get(CaeGraph.LOGITS).dup('c').data().asFloat();
                int nonZeroValid = 0;
                for (int i = 0; i < 2 * px; i++) {
                    if (mask[i] == 0) {
                        assertEquals(0f, g[i], 0f, what + " gradient at invalid pixel " + i);
                    } else if (g[i] != 0f) {
                        nonZeroValid++;
                    }
                }
                assertTrue(nonZeroValid > valid0 / 2, what + ": valid pixels carry gradient: " + nonZeroValid);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalModelsDifferentSeedsDiffer() {
        for (ConvAutoencoder shared : List.<ConvAutoencoder>of(bottleneck, vae)) {
            List<EpochReport> sharedReports = shared == vae ? vaeReports : bottleneckReports;
            List<EpochReport> again = new ArrayList<>();
            List<ModelOutput> a = shared.infer(probe);
            List<ModelOutput> b;
            List<ModelOutput> c;
            try (ConvAutoencoder m2 = shared == vae ? vae(SHARED) : bottleneck(SHARED);
                 ConvAutoencoder m3 = shared == vae ? vae(SHARED) : bottleneck(SHARED)) {
                m2.fit(train, new TrainingContext(SEED, collect(again)));
                m3.fit(train, new TrainingContext(SEED + 1, ProgressListener.NONE));
                b = m2.infer(probe);
                c = m3.infer(probe);
            }
            assertEquals(sharedReports.stream().map(r -> List.of(r.loss(), r.extra())).toList(),
                    again.stream().map(r -> List.of(r.loss(), r.extra())).toList(),
                    "same seed, same training and validation losses");
            boolean anyDiff = false;
            for (int i = 0; i < probe.size(); i++) {
                assertArrayEquals(a.get(i).reconstruction(), b.get(i).reconstruction(), "same seed, same weights");
                assertArrayEquals(a.get(i).latent(), b.get(i).latent());
                anyDiff |= !Arrays.equals(a.get(i).latent(), c.get(i).latent());
            }
            assertTrue(anyDiff, "a different seed should give a different model");
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

    @Test
    void saveLoadRoundTripGivesBitIdenticalOutputsAndScores() throws IOException {
        List<OutlierScorer> scorers = List.of(new MaskedMseScorer(), new TopKSquaredErrorScorer(0, 0.05),
                new VaeLossScorer(PixelLoss.BCE, 0.01), new KlScorer());
        for (ConvAutoencoder m : List.<ConvAutoencoder>of(bottleneck, vae)) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            m.writeState(bos);
            bos.write(new byte[] {1, 2, 3}); // trailing data of an enclosing format must stay unread
            List<ModelOutput> before = m.infer(probe);
            try (ConvAutoencoder loaded = m instanceof VaeModel ? vae(TrainingOptions.of(1, 1, 1e-3))
                    : bottleneck(TrainingOptions.of(1, 1, 1e-3))) {
                ByteArrayInputStream in = new ByteArrayInputStream(bos.toByteArray());
                loaded.readState(in);
                assertEquals(3, in.available(), "readState must not read past its state");
                List<ModelOutput> after = loaded.infer(probe);
                for (int i = 0; i < probe.size(); i++) {
                    assertArrayEquals(before.get(i).reconstruction(), after.get(i).reconstruction());
                    assertArrayEquals(before.get(i).latent(), after.get(i).latent());
                    for (OutlierScorer s : scorers) {
                        if (s instanceof VaeLossScorer || s instanceof KlScorer) {
                            if (!(m instanceof VaeModel)) {
                                continue;
                            }
                        }
                        assertEquals(s.score(before.get(i)).value(), s.score(after.get(i)).value(), 0.0, s.toString());
                    }
                }
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                loaded.writeState(again);
                assertArrayEquals(Arrays.copyOf(bos.toByteArray(), bos.size() - 3), again.toByteArray());
            }
        }
        ByteArrayOutputStream vaeState = new ByteArrayOutputStream();
        vae.writeState(vaeState);
        try (BottleneckCaeModel other = bottleneck(TrainingOptions.of(1, 1, 1e-3));
             VaeModel sameVae = vae(TrainingOptions.of(1, 1, 1e-3));
             VaeModel wider = new VaeModel(LAYOUT, 16, PixelLoss.BCE, 0.01, TrainingOptions.of(1, 1, 1e-3))) {
            IOException magic = assertThrows(IOException.class,
                    () -> other.readState(new ByteArrayInputStream(vaeState.toByteArray())));
            assertTrue(magic.getMessage().contains("magic"), magic.getMessage());
            IOException arch = assertThrows(IOException.class,
                    () -> wider.readState(new ByteArrayInputStream(vaeState.toByteArray())));
            assertTrue(arch.getMessage().contains("latent=8") && arch.getMessage().contains("latent=16"),
                    arch.getMessage());
            byte[] flipped = vaeState.toByteArray();
            flipped[flipped.length - 50] ^= 0x01;
            IOException crc = assertThrows(IOException.class, () -> sameVae.readState(new ByteArrayInputStream(flipped)));
            assertTrue(crc.getMessage().contains("checksum"), crc.getMessage());
            assertThrows(IllegalStateException.class, () -> sameVae.infer(probe), "failed loads leave it unfitted");
        }
        // the same weights load into a VAE created with another loss: only the structure must match
        try (VaeModel mse = new VaeModel(LAYOUT, 8, PixelLoss.MSE, 1.0, TrainingOptions.of(1, 1, 1e-3))) {
            mse.readState(new ByteArrayInputStream(vaeState.toByteArray()));
            assertArrayEquals(vae.infer(probe).get(0).latent(), mse.infer(probe).get(0).latent());
        }
    }

    @Test
    void customCaeStateRoundTripsAndNamesItsLayout() throws IOException {
        ConvLayout layout = new ConvLayout(2, 4, 5, Activation.LINEAR);
        try (CaeModel m = new CaeModel("custom", layout, TrainingOptions.of(1, 8, 1e-3));
             CaeModel same = new CaeModel("custom", layout, TrainingOptions.of(1, 8, 1e-3));
             CaeModel reference = new CaeModel("reference", 1, 8, 1e-3)) {
            m.fit(train, new TrainingContext(3, ProgressListener.NONE));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            m.writeState(bos);
            same.readState(new ByteArrayInputStream(bos.toByteArray()));
            assertArrayEquals(m.infer(probe).get(1).reconstruction(), same.infer(probe).get(1).reconstruction());
            IOException e = assertThrows(IOException.class,
                    () -> reference.readState(new ByteArrayInputStream(bos.toByteArray())));
            assertTrue(e.getMessage().contains("custom:depth=2,channels=4,kernel=5,output=linear"), e.getMessage());
        }
    }

    @Test
    void validationLossIsReportedEveryEpoch() {
        assertEquals(12, vaeSummary.images(), "a quarter of 16 images is held out");
        for (List<EpochReport> reports : List.of(bottleneckReports, vaeReports)) {
            assertEquals(2, reports.size());
            for (EpochReport r : reports) {
                double v = r.extra().get(TrainingOptions.VALIDATION_LOSS);
                assertTrue(Double.isFinite(v) && v > 0, "validation loss " + v);
                assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "training loss " + r.loss());
            }
        }
    }

    @Test
    void earlyStoppingStopsAndKeepsTheBestEpochsWeights() {
        // a learning rate far too high: the validation loss stops improving within a few epochs
        TrainingOptions t = new TrainingOptions(15, 4, 0.5, 0.25, 2);
        List<EpochReport> reports = new ArrayList<>();
        TrainingSummary s;
        double restored;
        long seed = 17;
        try (BottleneckCaeModel m = bottleneck(t)) {
            s = m.fit(train, new TrainingContext(seed, collect(reports)));
            // evaluate the kept weights on the seeded hold-out
            List<GrayImage> validation = CaePlaceholders.heldOut(train, seed, 0.25);
            restored = m.referenceGraph().output(CaePlaceholders.of(validation), CaeGraph.LOSS).get(CaeGraph.LOSS)
                    .getDouble(0);
        }
        assertTrue(s.epochs() < 15, "training should stop early, ran " + s.epochs());
        assertEquals(s.epochs(), reports.size());
        double[] losses = reports.stream().mapToDouble(r -> r.extra().get(TrainingOptions.VALIDATION_LOSS)).toArray();
        assertTrue(Arrays.stream(losses).allMatch(Double::isFinite), Arrays.toString(losses));
        int best = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[best]) {
                best = i;
            }
        }
        assertEquals(losses.length - 1 - 2, best, "stopped two epochs after the best: " + Arrays.toString(losses));
        assertEquals(losses[best], restored, 1e-6 * losses[best], "the best epoch's weights are kept");
    }

    @Test
    void earlyStoppingCountsEpochsWithoutStrictImprovement() {
        EarlyStopping e = new EarlyStopping(2);
        assertTrue(e.update(1.0));
        assertTrue(e.update(0.8));
        assertFalse(e.update(0.8), "equal is no improvement");
        assertFalse(e.shouldStop());
        assertFalse(e.update(Double.NaN), "NaN is no improvement");
        assertTrue(e.shouldStop());
        assertEquals(0.8, e.best());
        assertEquals(2, e.bestEpoch());
        assertTrue(e.update(0.5));
        assertFalse(e.shouldStop());
        EarlyStopping never = new EarlyStopping(0);
        never.update(1);
        for (int i = 0; i < 5; i++) {
            never.update(2);
        }
        assertFalse(never.shouldStop());
    }

    @Test
    void holdOutIsSeededDisjointAndKeepsOrder() {
        List<GrayImage> imgs = TestImages.random(10, 4, 4, 1);
        List<List<GrayImage>> a = ConvAutoencoder.holdOut(imgs, 0.3, new SplittableRandom(4));
        List<List<GrayImage>> b = ConvAutoencoder.holdOut(imgs, 0.3, new SplittableRandom(4));
        List<List<GrayImage>> c = ConvAutoencoder.holdOut(imgs, 0.3, new SplittableRandom(5));
        assertEquals(7, a.get(0).size());
        assertEquals(3, a.get(1).size());
        assertEquals(a, b);
        assertNotEquals(a.get(1), c.get(1));
        List<Integer> order = new ArrayList<>();
        for (GrayImage g : a.get(0)) {
            order.add(imgs.indexOf(g));
        }
        assertEquals(order.stream().sorted().toList(), order, "training part keeps the input order");
        assertTrue(a.get(0).stream().noneMatch(a.get(1)::contains));
        assertEquals(1, ConvAutoencoder.holdOut(imgs, 0.01, new SplittableRandom(4)).get(1).size(), "at least one");
        assertEquals(List.of(imgs, List.of()), ConvAutoencoder.holdOut(imgs, 0, new SplittableRandom(4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvAutoencoder.holdOut(imgs.subList(0, 1), 0.5, new SplittableRandom(4)));
        assertTrue(e.getMessage().contains("no training image"), e.getMessage());
    }

    @Test
    void iteratorNoiseIsASeededSecondFeatureArray() {
        List<GrayImage> imgs = TestImages.random(6, 4, 4, 2);
        ShuffledImageIterator a = new ShuffledImageIterator(imgs, 4, 4, 4, new SplittableRandom(1), 500,
                new SplittableRandom(2));
        ShuffledImageIterator b = new ShuffledImageIterator(imgs, 4, 4, 4, new SplittableRandom(1), 500,
                new SplittableRandom(2));
        MultiDataSet first = a.next();
        assertEquals(2, first.numFeatureArrays());
        assertArrayEquals(new long[] {4, 500}, first.getFeatures(1).shape());
        assertEquals(first.getFeatures(1), b.next().getFeatures(1));
        assertArrayEquals(new long[] {2, 500}, a.next().getFeatures(1).shape(), "last batch is smaller");
        float[] eps = first.getFeatures(1).dup('c').data().asFloat();
        double mean = 0;
        double sq = 0;
        for (float v : eps) {
            mean += v;
            sq += v * v;
        }
        mean /= eps.length;
        assertEquals(0, mean, 0.1, "standard normal mean");
        assertEquals(1, sq / eps.length - mean * mean, 0.15, "standard normal variance");
        a.reset();
        assertNotEquals(first.getFeatures(1), a.next().getFeatures(1), "fresh noise after a reset");
    }
}
