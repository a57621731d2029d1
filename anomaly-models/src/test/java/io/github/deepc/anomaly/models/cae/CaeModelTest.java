package io.github.deepc.anomaly.models.cae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaeModelTest {
    private static final int SIZE = 32;

    /** One model fitted once and shared by the read-only tests. */
    private CaeModel shared;
    private List<GrayImage> sharedImages;
    private TrainingSummary sharedSummary;
    private final List<EpochReport> sharedReports = new ArrayList<>();

    @BeforeAll
    void fitShared() {
        sharedImages = TestImages.blobs(24, SIZE, 2, 7);
        shared = new CaeModel("reference", 3, 8, 1e-3);
        sharedSummary = shared.fit(sharedImages, new TrainingContext(42, new ProgressListener() {
            @Override
            public void onEpoch(EpochReport report) {
                sharedReports.add(report);
            }
        }));
    }

    @AfterAll
    void closeShared() {
        shared.close();
    }

    private static CaeModel model(int epochs) {
        return new CaeModel("reference", epochs, 8, 1e-3);
    }

    private static List<float[]> reconstructions(AnomalyModel m, List<GrayImage> images) {
        List<float[]> out = new ArrayList<>();
        for (ModelOutput o : m.infer(images)) {
            out.add(o.reconstruction());
        }
        return out;
    }

    @Test
    void referenceArchitectureHas185217Parameters() {
        assertEquals(185_217L, CaeGraph.parameterCount("reference"));
        assertEquals(185_217L, shared.parameterCount());
        long counted = 0;
        for (SDVariable v : shared.referenceGraph().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                counted += v.getArr().length();
            }
        }
        assertEquals(185_217L, counted, "trainable values in the SameDiff graph");
    }

    @Test
    void providerIsRegisteredAndDeclaresItsParameters() {
        ModelProvider found = null;
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            if (p.id().equals("cae")) {
                found = p;
            }
        }
        assertNotNull(found, "cae provider registered in META-INF/services");
        assertEquals(java.util.Set.of(OutputKind.RECONSTRUCTION), found.outputs());
        assertEquals(List.of("architecture", "depth", "channels", "kernel", "output-activation", "epochs", "batch-size",
                        "learning-rate", "validation-fraction", "patience", "engine", "inference-batch"),
                found.parameters().stream().map(s -> s.name()).toList());
        try (AnomalyModel m = found.create(Map.of())) {
            CaeModel cae = (CaeModel) m;
            assertEquals("reference", cae.architecture());
            assertEquals(CaeEngine.DIRECT, cae.training().engine());
            assertTrue(cae.toString().contains("epochs=10") && cae.toString().contains("batch=32")
                    && cae.toString().contains("lr=0.001"), cae.toString());
        }
        ModelProvider p = found;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.create(Map.of("architecture", "resnet")));
        assertTrue(e.getMessage().contains("architecture"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("epochs", "0")));
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("engine", "cuda")));
        assertTrue(e.getMessage().contains("direct") && e.getMessage().contains("samediff"), e.getMessage());
    }

    @Test
    void outputHasInputShapeAndValuesInOpenUnitInterval() {
        List<ModelOutput> outs = shared.infer(sharedImages.subList(0, 5));
        assertEquals(5, outs.size());
        for (int i = 0; i < outs.size(); i++) {
            ModelOutput o = outs.get(i);
            assertEquals(sharedImages.get(i), o.input());
            assertEquals(java.util.Set.of(OutputKind.RECONSTRUCTION), o.kinds());
            float[] r = o.reconstruction();
            assertEquals(SIZE * SIZE, r.length);
            for (float v : r) {
                assertTrue(v > 0f && v < 1f, "sigmoid output in (0,1), got " + v);
            }
        }
        assertTrue(shared.infer(List.of()).isEmpty());
    }

    @Test
    void inferenceBatchesAcrossTheBatchLimitKeepOrder() {
        // 70 images -> batches of 64 and 6; each image's reconstruction equals its single-image reconstruction
        List<GrayImage> many = TestImages.blobs(70, SIZE, 0, 99);
        List<float[]> all = reconstructions(shared, many);
        assertEquals(70, all.size());
        for (int i : new int[] {0, 63, 64, 69}) {
            float[] single = reconstructions(shared, List.of(many.get(i))).get(0);
            float[] batched = all.get(i);
            for (int k = 0; k < single.length; k++) {
                assertEquals(single[k], batched[k], 1e-5f, "image " + i + " pixel " + k);
            }
        }
    }

    @Test
    void listenerGetsOneReportPerEpochAndSummaryMatches() {
        assertEquals(3, sharedReports.size());
        for (int i = 0; i < 3; i++) {
            EpochReport r = sharedReports.get(i);
            assertEquals(i + 1, r.epoch());
            assertEquals(3, r.epochs());
            assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss());
            assertTrue(r.imagesPerSecond() > 0, "images/s " + r.imagesPerSecond());
            assertTrue(r.seconds() > 0, "seconds " + r.seconds());
        }
        assertEquals(24, sharedSummary.images());
        assertEquals(3, sharedSummary.epochs());
        assertEquals(sharedReports.get(2).loss(), sharedSummary.finalLoss(), 0.0);
        assertTrue(sharedSummary.imagesPerSecond() > 0);
        double secs = sharedReports.stream().mapToDouble(EpochReport::seconds).sum();
        assertEquals(secs, sharedSummary.seconds(), 1e-9);
    }

    @Test
    void lossDecreasesOnSmoothImages() {
        List<Double> losses = new ArrayList<>();
        try (CaeModel m = model(3)) {
            m.fit(TestImages.blobs(32, SIZE, 0, 3), new TrainingContext(5, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    losses.add(report.loss());
                }
            }));
        }
        assertEquals(3, losses.size());
        assertTrue(losses.get(2) < losses.get(0), "loss should decrease: " + losses);
    }

    @Test
    void sameSeedGivesIdenticalModelsDifferentSeedsDiffer() {
        List<GrayImage> train = TestImages.blobs(12, SIZE, 1, 11);
        List<GrayImage> probe = TestImages.blobs(3, SIZE, 1, 12);
        List<float[]> a;
        List<float[]> b;
        List<float[]> c;
        TrainingSummary sa;
        TrainingSummary sb;
        try (CaeModel m1 = model(2); CaeModel m2 = model(2); CaeModel m3 = model(2)) {
            sa = m1.fit(train, new TrainingContext(1234, ProgressListener.NONE));
            sb = m2.fit(train, new TrainingContext(1234, ProgressListener.NONE));
            m3.fit(train, new TrainingContext(1235, ProgressListener.NONE));
            a = reconstructions(m1, probe);
            b = reconstructions(m2, probe);
            c = reconstructions(m3, probe);
        }
        assertEquals(sa.finalLoss(), sb.finalLoss(), 0.0, "same seed, same loss");
        boolean anyDiff = false;
        for (int i = 0; i < probe.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "same seed must give bit-identical reconstructions");
            anyDiff |= !Arrays.equals(a.get(i), c.get(i));
        }
        assertTrue(anyDiff, "a different seed should give a different model");
    }

    @Test
    void lossIsMaskedMseOverValidPixelsAndIgnoresInvalidOnes() {
        SameDiff sd = shared.referenceGraph();
        // image 0: 2-pixel invalid border; image 1: no valid pixel at all (contributes 0, no division by zero)
        List<GrayImage> imgs = new ArrayList<>(TestImages.blobs(1, SIZE, 2, 21));
        imgs.add(GrayImage.wrap(SIZE, SIZE, new float[SIZE * SIZE], new boolean[SIZE * SIZE]));
        int px = SIZE * SIZE;
        float[] x = new float[2 * px];
        float[] mask = new float[2 * px];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(imgs.get(b).unsafePixels(), 0, x, b * px, px);
            for (int i = 0; i < px; i++) {
                mask[b * px + i] = imgs.get(b).unsafeMask()[i] ? 1f : 0f;
            }
        }
        long[] shape = {2, 1, SIZE, SIZE};
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(CaeGraph.INPUT, Nd4j.create(x, shape, DataType.FLOAT));
        ph.put(CaeGraph.MASK, Nd4j.create(mask, shape, DataType.FLOAT));
        Map<String, INDArray> res = sd.output(ph, CaeGraph.OUTPUT, CaeGraph.LOSS);
        float[] out = res.get(CaeGraph.OUTPUT).dup('c').data().asFloat();
        double expected0 = 0;
        int valid0 = 0;
        for (int i = 0; i < px; i++) {
            if (mask[i] != 0) {
                double d = out[i] - x[i];
                expected0 += d * d;
                valid0++;
            }
        }
        expected0 /= valid0;
        double expected = (expected0 + 0.0) / 2; // image 1 has no valid pixel
        assertEquals(expected, res.get(CaeGraph.LOSS).getDouble(0), 1e-6);

        // the gradient of the loss w.r.t. the reconstruction vanishes at invalid pixels and not at valid ones
        Map<String, INDArray> grads = sd.calculateGradients(ph, CaeGraph.OUTPUT);
        float[] g = grads.get(CaeGraph.OUTPUT).dup('c').data().asFloat();
        int nonZeroValid = 0;
        for (int i = 0; i < 2 * px; i++) {
            if (mask[i] == 0) {
                assertEquals(0f, g[i], 0f, "gradient at invalid pixel " + i);
            } else if (g[i] != 0f) {
                nonZeroValid++;
            }
        }
        assertTrue(nonZeroValid > valid0 / 2, "valid pixels carry gradient: " + nonZeroValid);
    }

    @Test
    void saveLoadRoundTripGivesBitIdenticalReconstructions() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        shared.writeState(bos);
        bos.write(new byte[] {1, 2, 3}); // trailing data of an enclosing format must stay unread
        List<GrayImage> probe = TestImages.blobs(5, SIZE, 2, 31);
        List<float[]> before = reconstructions(shared, probe);
        try (CaeModel loaded = model(1)) {
            ByteArrayInputStream in = new ByteArrayInputStream(bos.toByteArray());
            loaded.readState(in);
            assertEquals(3, in.available(), "readState must not read past its state");
            List<float[]> after = reconstructions(loaded, probe);
            for (int i = 0; i < probe.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "image " + i);
            }
            // and the reloaded model writes the same bytes
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            loaded.writeState(again);
            byte[] orig = Arrays.copyOf(bos.toByteArray(), bos.size() - 3);
            assertArrayEquals(orig, again.toByteArray());
        }
    }

    @Test
    void corruptStateIsAClearIOException() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        shared.writeState(bos);
        byte[] good = bos.toByteArray();
        try (CaeModel m = model(1)) {
            byte[] badMagic = good.clone();
            badMagic[0] ^= 0x55;
            assertMessage(m, badMagic, "magic");

            byte[] badVersion = good.clone();
            badVersion[7] = 99;
            assertMessage(m, badVersion, "version");

            assertMessage(m, Arrays.copyOf(good, good.length / 2), "truncated");
            assertMessage(m, new byte[0], "truncated");

            byte[] flipped = good.clone();
            flipped[good.length - 100] ^= 0x01; // inside the last variable's values
            assertMessage(m, flipped, "checksum");

            assertThrows(IllegalStateException.class, () -> m.infer(sharedImages), "failed loads leave it unfitted");
        }
    }

    private static void assertMessage(CaeModel m, byte[] state, String word) {
        IOException e = assertThrows(IOException.class, () -> m.readState(new ByteArrayInputStream(state)));
        assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should mention " + word);
    }

    @Test
    void wrongSizesAndStatesGiveClearErrors() {
        try (CaeModel m = model(1)) {
            IllegalStateException notFitted = assertThrows(IllegalStateException.class, () -> m.infer(sharedImages));
            assertEquals("model not fitted", notFitted.getMessage());
            assertThrows(IllegalStateException.class, () -> m.writeState(new ByteArrayOutputStream()));

            List<GrayImage> mixed = new ArrayList<>(TestImages.blobs(3, SIZE, 0, 1));
            mixed.add(TestImages.random(1, 40, 32, 2).get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(mixed, new TrainingContext(1, ProgressListener.NONE)));
            assertTrue(e.getMessage().contains("image 3") && e.getMessage().contains("40x32")
                    && e.getMessage().contains("32x32"), e.getMessage());

            IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(TestImages.random(2, 30, 30, 3), new TrainingContext(1, ProgressListener.NONE)));
            assertTrue(odd.getMessage().contains("multiples of 8"), odd.getMessage());

            assertThrows(IllegalArgumentException.class,
                    () -> m.fit(List.of(), new TrainingContext(1, ProgressListener.NONE)));

            float[] nan = new float[SIZE * SIZE];
            nan[5] = Float.NaN;
            IllegalArgumentException nanE = assertThrows(IllegalArgumentException.class, () -> m.fit(
                    List.of(GrayImage.wrap(SIZE, SIZE, nan, null)), new TrainingContext(1, ProgressListener.NONE)));
            assertTrue(nanE.getMessage().contains("non-finite"), nanE.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shared.infer(List.of(sharedImages.get(0), TestImages.random(1, 64, 64, 4).get(0))));
        assertTrue(e.getMessage().contains("image 1") && e.getMessage().contains("64x64")
                && e.getMessage().contains("32x32"), e.getMessage());
    }

    @Test
    void closeReleasesAndLeavesTheModelUnfitted() {
        CaeModel m = model(1);
        m.fit(TestImages.blobs(4, 16, 0, 8), new TrainingContext(3, ProgressListener.NONE));
        assertEquals(1, m.infer(TestImages.blobs(1, 16, 0, 9)).size());
        m.close();
        assertThrows(IllegalStateException.class, () -> m.infer(TestImages.blobs(1, 16, 0, 9)));
        m.close(); // idempotent
        // it can be fitted again
        m.fit(TestImages.blobs(4, 16, 0, 8), new TrainingContext(3, ProgressListener.NONE));
        assertFalse(m.infer(TestImages.blobs(1, 16, 0, 9)).isEmpty());
        m.close();
    }

    @Test
    void forwardMatchesNaivePyTorchSemantics() {
        SameDiff sd = shared.referenceGraph();
        List<GrayImage> probe = TestImages.blobs(2, SIZE, 0, 77);
        List<float[]> got = reconstructions(shared, probe);
        for (int n = 0; n < probe.size(); n++) {
            float[] expected = NaiveCae.forward(sd, probe.get(n).unsafePixels(), SIZE, SIZE);
            float[] actual = got.get(n);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 2e-5f, "image " + n + " pixel " + i);
            }
        }
    }

    /** The SameDiff graph itself (not the direct engine that infers by default) against the naive forward pass. */
    @Test
    void graphForwardMatchesNaivePyTorchSemantics() {
        SameDiff sd = shared.referenceGraph();
        List<GrayImage> probe = TestImages.blobs(2, SIZE, 0, 77);
        float[] graph = sd.outputSingle(CaePlaceholders.of(probe), CaeGraph.OUTPUT).dup('c').data().asFloat();
        for (int n = 0; n < probe.size(); n++) {
            float[] expected = NaiveCae.forward(sd, probe.get(n).unsafePixels(), SIZE, SIZE);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], graph[n * SIZE * SIZE + i], 2e-5f, "graph, image " + n + " pixel " + i);
            }
        }
    }

    @Test
    void reportedLossIsThePreUpdateMaskedMseAndInitFollowsTheSeed() {
        // one epoch in one batch: the reported loss is the loss of the seeded initial network on all images
        List<GrayImage> imgs = TestImages.blobs(10, SIZE, 3, 17);
        List<EpochReport> reports = new ArrayList<>();
        try (CaeModel m = new CaeModel("reference", 1, 16, 1e-3)) {
            m.fit(imgs, new TrainingContext(99, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    reports.add(report);
                }
            }));
        }
        AutoencoderSpec reference = AutoencoderSpec.plain(ConvLayout.REFERENCE);
        SameDiff init = CaeGraph.build(reference, SIZE, SIZE, new SplittableRandom(99).split());
        int px = SIZE * SIZE;
        float[] x = new float[imgs.size() * px];
        float[] mask = new float[imgs.size() * px];
        for (int b = 0; b < imgs.size(); b++) {
            System.arraycopy(imgs.get(b).unsafePixels(), 0, x, b * px, px);
            for (int i = 0; i < px; i++) {
                mask[b * px + i] = imgs.get(b).unsafeMask()[i] ? 1f : 0f;
            }
        }
        long[] shape = {imgs.size(), 1, SIZE, SIZE};
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(CaeGraph.INPUT, Nd4j.create(x, shape, DataType.FLOAT));
        ph.put(CaeGraph.MASK, Nd4j.create(mask, shape, DataType.FLOAT));
        double expected = init.output(ph, CaeGraph.LOSS).get(CaeGraph.LOSS).getDouble(0);
        assertEquals(1, reports.size());
        assertEquals(expected, reports.get(0).loss(), 1e-6 * expected);

        // PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in = in*9 (conv), out*9 (transposed)
        for (int i = 0; i < reference.stages().size(); i++) {
            io.github.deepc.anomaly.models.conv.Stage l = reference.stages().get(i);
            String name = reference.stageName(i);
            double bound = 1 / Math.sqrt((l.transposed() ? l.out() : l.in()) * 9);
            double maxW = init.getVariable(name + "_w").getArr().amaxNumber().doubleValue();
            assertTrue(maxW <= bound && maxW > 0.9 * bound, name + " weights max " + maxW + " bound " + bound);
            double maxB = init.getVariable(name + "_b").getArr().amaxNumber().doubleValue();
            assertTrue(maxB <= bound, name + " bias max " + maxB + " bound " + bound);
        }
    }

    @Test
    void failingListenerAbortsTrainingAndLeavesTheModelUnfitted() {
        try (CaeModel m = model(3)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> m.fit(TestImages.blobs(4, 16, 0, 1),
                    new TrainingContext(1, new ProgressListener() {
                        @Override
                        public void onEpoch(EpochReport report) {
                            throw new IllegalStateException("stop here");
                        }
                    })));
            assertEquals("stop here", e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.infer(TestImages.blobs(1, 16, 0, 2)));
        }
    }
}
