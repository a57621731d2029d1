package io.github.deepc.anomaly.models.gan;

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
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.testkit.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three GAN models on tiny problems (32x32 images, a few dozen of them, 4 base channels): training health,
 * alternating updates, outputs, determinism, saved state and errors.
 */
@ExtendWith(Nd4jSingleThread.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GanModelTest {
    private static final int SIZE = 32;
    private static final List<String> IDS = List.of(DcganModel.ID, BiganModel.ID, AlphaGanModel.ID);

    private final Map<String, GanModel> fitted = new LinkedHashMap<>();
    private final Map<String, List<EpochReport>> reports = new HashMap<>();
    private final Map<String, TrainingSummary> summaries = new HashMap<>();
    private List<GrayImage> train;
    private List<GrayImage> probe;

    static GanConfig.Builder tiny() {
        return GanConfig.builder().epochs(2).batchSize(8).latent(8).channels(4);
    }

    static GanModel model(String id, GanConfig config) {
        return switch (id) {
            case DcganModel.ID -> new DcganModel(config);
            case BiganModel.ID -> new BiganModel(config);
            case AlphaGanModel.ID -> new AlphaGanModel(config);
            default -> throw new IllegalArgumentException(id);
        };
    }

    @BeforeAll
    void fitShared() {
        train = TestImages.blobs(16, SIZE, 2, 7);
        probe = TestImages.blobs(5, SIZE, 2, 8);
        for (String id : IDS) {
            List<EpochReport> r = new ArrayList<>();
            GanModel m = model(id, tiny().build());
            summaries.put(id, m.fit(train, new TrainingContext(42, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    r.add(report);
                }
            })));
            fitted.put(id, m);
            reports.put(id, r);
        }
    }

    @AfterAll
    void closeShared() {
        fitted.values().forEach(GanModel::close);
    }

    @Test
    void providersAreRegisteredWithTheirParametersAndOutputs() {
        // the registry tolerates providers of other packages that fail to load
        Map<String, ModelProvider> found = new HashMap<>();
        PluginRegistry.load(GanModelTest.class.getClassLoader()).models().providers().forEach(p -> found.put(p.id(), p));
        List<String> common = List.of("epochs", "batch-size", "latent", "channels", "generator-learning-rate",
                "discriminator-learning-rate", "label-smoothing", "range", "sample-every", "sample-dir");
        for (String id : IDS) {
            ModelProvider p = found.get(id);
            assertNotNull(p, id + " registered in META-INF/services");
            List<String> names = p.parameters().stream().map(ParameterSpec::name).toList();
            assertEquals(common, names.subList(0, common.size()), id);
            try (AnomalyModel m = p.create(Map.of())) {
                assertEquals(p.outputs(), m.outputs(), id);
                GanConfig c = ((GanModel) m).config();
                assertEquals(GanConfig.DEFAULT_EPOCHS, c.epochs());
                assertEquals(0.9, c.labelSmoothing());
                assertEquals(2e-4, c.generatorLearningRate());
            }
        }
        assertEquals(Set.of(OutputKind.DISCRIMINATOR_PROBABILITY), found.get("dcgan").outputs());
        assertEquals(Set.of(OutputKind.DISCRIMINATOR_PROBABILITY, OutputKind.RECONSTRUCTION, OutputKind.LATENT),
                found.get("bigan").outputs());
        assertEquals(Set.of(OutputKind.DISCRIMINATOR_PROBABILITY, OutputKind.CODE_DISCRIMINATOR_PROBABILITY,
                OutputKind.RECONSTRUCTION, OutputKind.LATENT), found.get("alpha-gan").outputs());
        ModelProvider alpha = found.get("alpha-gan");
        assertTrue(alpha.parameters().stream().map(ParameterSpec::name).toList()
                .containsAll(List.of("attention", "spectral-norm", "reconstruction-weight")));
        GanConfig c = ((GanModel) alpha.create(Map.of("attention", "false", "reconstruction-weight", "3"))).config();
        assertFalse(c.attention());
        assertEquals(3.0, c.reconstructionWeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> found.get("dcgan").create(Map.of("label-smoothing", "0.3")));
        assertTrue(e.getMessage().contains("label-smoothing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> found.get("dcgan").create(Map.of("attention", "true")));
        assertTrue(e.getMessage().contains("attention"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GanConfig.builder().latent(0).build());
        assertTrue(e.getMessage().contains("latent"), e.getMessage());
    }

    @Test
    void everyEpochReportsGeneratorLossAndTrainingHealth() {
        for (String id : IDS) {
            List<EpochReport> r = reports.get(id);
            assertEquals(2, r.size(), id);
            for (EpochReport e : r) {
                assertTrue(Double.isFinite(e.loss()) && e.loss() > 0, id + " generator loss " + e.loss());
                assertTrue(e.imagesPerSecond() > 0 && e.seconds() > 0, id);
                Set<String> keys = new java.util.HashSet<>(List.of(GanModel.DISCRIMINATOR_LOSS, GanModel.D_REAL,
                        GanModel.D_FAKE, GanModel.DIVERSITY));
                if (id.equals(AlphaGanModel.ID)) {
                    keys.add(GanModel.CODE_DISCRIMINATOR_LOSS);
                    keys.add(GanModel.RECONSTRUCTION);
                }
                assertEquals(keys, e.extra().keySet(), id);
                for (String k : List.of(GanModel.D_REAL, GanModel.D_FAKE)) {
                    double v = e.extra().get(k);
                    assertTrue(v > 0 && v < 1, id + " " + k + " " + v);
                }
                assertTrue(e.extra().get(GanModel.DIVERSITY) > 0, id + " diversity " + e.extra());
                assertTrue(e.extra().get(GanModel.DISCRIMINATOR_LOSS) > 0, id);
            }
            TrainingSummary s = summaries.get(id);
            assertEquals(16, s.images());
            assertEquals(2, s.epochs());
            assertEquals(r.get(1).loss(), s.finalLoss(), 0.0, id);
        }
    }

    @Test
    void outputsHaveTheDeclaredKindsAndShapes() {
        for (String id : IDS) {
            GanModel m = fitted.get(id);
            List<ModelOutput> outs = m.infer(probe);
            assertEquals(probe.size(), outs.size());
            for (int i = 0; i < outs.size(); i++) {
                ModelOutput o = outs.get(i);
                assertEquals(probe.get(i), o.input());
                assertEquals(m.outputs(), o.kinds(), id);
                double d = o.scalar(OutputKind.DISCRIMINATOR_PROBABILITY);
                assertTrue(d > 0 && d < 1, id + " D(x) " + d);
                if (m.outputs().contains(OutputKind.RECONSTRUCTION)) {
                    assertEquals(SIZE * SIZE, o.reconstruction().length);
                    for (float v : o.reconstruction()) {
                        assertTrue(v >= 0f && v <= 1f, id + " reconstruction in the unit range: " + v);
                    }
                    assertEquals(8, o.latent().length);
                }
                if (m.outputs().contains(OutputKind.CODE_DISCRIMINATOR_PROBABILITY)) {
                    double c = o.scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY);
                    assertTrue(c > 0 && c < 1, id + " C(E(x)) " + c);
                }
            }
            // batching does not change results: one image alone equals it within the batch
            ModelOutput alone = m.infer(List.of(probe.get(3))).get(0);
            assertEquals(outs.get(3).scalar(OutputKind.DISCRIMINATOR_PROBABILITY),
                    alone.scalar(OutputKind.DISCRIMINATOR_PROBABILITY), 1e-6, id);
            assertTrue(m.infer(List.of()).isEmpty());
        }
    }

    @Test
    void oneStepMovesBothPlayersAndEachHalfStepOnlyItsOwn() {
        for (String id : IDS) {
            GanModel m = model(id, tiny().build());
            GanArchitecture a = m.architecture(SIZE, SIZE);
            try (Players p = m.build(a, new SplittableRandom(1));
                 GanModel.Batch b = new GanModel.Batch(ImageArrays.pixels(train, null, 0, 8, SIZE, SIZE),
                         ImageArrays.masks(train, null, 0, 8, SIZE, SIZE),
                         new LatentNoise(8, new SplittableRandom(2)).next(8))) {
                EpochStats stats = new EpochStats();
                Map<String, float[]> d0 = snapshot(p.discriminator().parameters());
                Map<String, float[]> g0 = snapshot(p.generator().parameters());
                Map<String, float[]> sn0 = snapshot(p.spectralNorm().vectors());

                m.discriminatorStep(p, b, stats);
                Map<String, float[]> d1 = snapshot(p.discriminator().parameters());
                assertSame(g0, snapshot(p.generator().parameters()), id + ": the generator is fixed in D's step");
                assertMoved(d0, d1, id + " discriminator");
                if (id.equals(AlphaGanModel.ID)) {
                    assertFalse(sn0.isEmpty());
                    assertMoved(sn0, snapshot(p.spectralNorm().vectors()), id + " spectral-norm vectors");
                }

                m.generatorStep(p, b, stats);
                assertSame(d1, snapshot(p.discriminator().parameters()), id + ": the discriminator is fixed in G's step");
                assertMoved(g0, snapshot(p.generator().parameters()), id + " generator");
                assertEquals(1, p.discriminator().iterations());
                assertEquals(1, p.generator().iterations());
                assertTrue(Double.isFinite(stats.mean(GanModel.GENERATOR_LOSS)));
                assertTrue(Double.isFinite(stats.mean(GanModel.DISCRIMINATOR_LOSS)));
            }
        }
    }

    private static Map<String, float[]> snapshot(Map<String, INDArray> arrays) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, v) -> m.put(k, GraphSupport.toFloats(v)));
        return m;
    }

    private static void assertSame(Map<String, float[]> before, Map<String, float[]> after, String message) {
        assertEquals(before.keySet(), after.keySet(), message);
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), message + ": " + k);
        }
    }

    /** Most arrays change (attention projections have no gradient while gamma is still 0). */
    private static void assertMoved(Map<String, float[]> before, Map<String, float[]> after, String message) {
        int moved = 0;
        for (String k : before.keySet()) {
            if (!Arrays.equals(before.get(k), after.get(k))) {
                moved++;
            }
        }
        assertTrue(moved >= before.size() * 2 / 3 && moved > 0, message + ": " + moved + " of " + before.size() + " moved");
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndDifferentSeedsDiffer() throws IOException {
        List<GrayImage> small = train.subList(0, 8);
        for (String id : IDS) {
            GanConfig c = tiny().epochs(1).build();
            try (GanModel m1 = model(id, c); GanModel m2 = model(id, c); GanModel m3 = model(id, c)) {
                TrainingSummary s1 = m1.fit(small, new TrainingContext(1234, ProgressListener.NONE));
                TrainingSummary s2 = m2.fit(small, new TrainingContext(1234, ProgressListener.NONE));
                m3.fit(small, new TrainingContext(1235, ProgressListener.NONE));
                assertEquals(s1.finalLoss(), s2.finalLoss(), 0.0, id);
                assertArrayEquals(state(m1), state(m2), id + ": same seed, same weights");
                assertFalse(Arrays.equals(state(m1), state(m3)), id + ": another seed, other weights");
            }
        }
    }

    private static byte[] state(AnomalyModel m) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        m.writeState(bos);
        return bos.toByteArray();
    }

    @Test
    void saveLoadRoundTripGivesBitIdenticalOutputs() throws IOException {
        for (String id : IDS) {
            GanModel m = fitted.get(id);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            m.writeState(bos);
            bos.write(new byte[] {1, 2, 3}); // trailing data of an enclosing format must stay unread
            List<ModelOutput> before = m.infer(probe);
            try (GanModel loaded = model(id, tiny().epochs(1).build())) {
                ByteArrayInputStream in = new ByteArrayInputStream(bos.toByteArray());
                loaded.readState(in);
                assertEquals(3, in.available(), id + ": readState must not read past its state");
                List<ModelOutput> after = loaded.infer(probe);
                for (int i = 0; i < probe.size(); i++) {
                    for (OutputKind k : m.outputs()) {
                        switch (k) {
                            case RECONSTRUCTION -> assertArrayEquals(before.get(i).reconstruction(), after.get(i).reconstruction(), id);
                            case LATENT -> assertArrayEquals(before.get(i).latent(), after.get(i).latent(), id);
                            default -> assertEquals(before.get(i).scalar(k), after.get(i).scalar(k), 0.0, id + " " + k);
                        }
                    }
                }
                assertArrayEquals(Arrays.copyOf(bos.toByteArray(), bos.size() - 3), state(loaded), id + ": same bytes again");
            }
        }
    }

    @Test
    void corruptOrMismatchedStatesAreClearIOExceptions() throws IOException {
        byte[] good = state(fitted.get(DcganModel.ID));
        try (GanModel m = model(DcganModel.ID, tiny().build())) {
            byte[] badMagic = good.clone();
            badMagic[0] ^= 0x55;
            assertMessage(m, badMagic, "magic");
            byte[] badVersion = good.clone();
            badVersion[7] = 99;
            assertMessage(m, badVersion, "version");
            assertMessage(m, Arrays.copyOf(good, good.length / 2), "truncated");
            assertMessage(m, new byte[0], "truncated");
            byte[] flipped = good.clone();
            flipped[good.length - 100] ^= 0x01;
            assertMessage(m, flipped, "checksum");
            assertThrows(IllegalStateException.class, () -> m.infer(probe), "failed loads leave it unfitted");
        }
        try (GanModel other = model(BiganModel.ID, tiny().build())) {
            assertMessage(other, good, "'dcgan'");
        }
        try (GanModel wider = model(DcganModel.ID, tiny().latent(9).build())) {
            assertMessage(wider, good, "latent=8");
        }
    }

    private static void assertMessage(AnomalyModel m, byte[] state, String word) {
        IOException e = assertThrows(IOException.class, () -> m.readState(new ByteArrayInputStream(state)));
        assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should mention " + word);
    }

    @Test
    void wrongInputsGiveClearErrors() {
        try (GanModel m = model(DcganModel.ID, tiny().epochs(1).build())) {
            IllegalStateException notFitted = assertThrows(IllegalStateException.class, () -> m.infer(probe));
            assertEquals("model not fitted", notFitted.getMessage());
            TrainingContext ctx = new TrainingContext(1, ProgressListener.NONE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(TestImages.blobs(2, 40, 0, 1), ctx));
            assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
            List<GrayImage> mixed = new ArrayList<>(TestImages.blobs(2, SIZE, 0, 1));
            mixed.add(TestImages.blobs(1, 48, 0, 1).get(0));
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(mixed, ctx));
            assertTrue(e.getMessage().contains("image 2") && e.getMessage().contains("48x48"), e.getMessage());
            float[] px = new float[SIZE * SIZE];
            px[3] = -0.5f;
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(List.of(GrayImage.wrap(SIZE, SIZE, px, null)), ctx));
            assertTrue(e.getMessage().contains("range=unit") && e.getMessage().contains("-0.5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.fit(List.of(), ctx));
        }
        GanModel dc = fitted.get(DcganModel.ID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dc.infer(TestImages.blobs(1, 48, 0, 1)));
        assertTrue(e.getMessage().contains("48x48") && e.getMessage().contains("32x32"), e.getMessage());
    }

    @Test
    void symmetricRangeTrainsOnMinusOneToOneWithTanhOutput(@TempDir Path dir) throws IOException {
        List<GrayImage> sym = new ArrayList<>();
        for (GrayImage g : train.subList(0, 8)) {
            float[] p = g.pixels();
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * 2 - 1;
            }
            sym.add(g.withPixels(p));
        }
        GanConfig c = tiny().epochs(2).range(PixelRange.SYMMETRIC).samples(1, dir).build();
        try (GanModel m = model(BiganModel.ID, c)) {
            m.fit(sym, new TrainingContext(3, ProgressListener.NONE));
            boolean negative = false;
            for (ModelOutput o : m.infer(sym)) {
                for (float v : o.reconstruction()) {
                    assertTrue(v >= -1f && v <= 1f, "tanh output " + v);
                    negative |= v < 0;
                }
            }
            assertTrue(negative, "symmetric range reaches below 0");
        }
        for (int epoch = 1; epoch <= 2; epoch++) {
            Path png = dir.resolve(String.format("bigan-epoch-%04d.png", epoch));
            assertTrue(Files.exists(png), png.toString());
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(4 * (SIZE + 2) + 2, img.getWidth(), "4x4 grid of 16 samples with 2-pixel gaps");
            assertEquals(4 * (SIZE + 2) + 2, img.getHeight());
        }
    }
}
