package io.github.deepc.anomaly.models.pca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.testkit.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcaModelTest {
    private static final int MAGIC = 0x5043411A;

    private static TrainingContext context(long seed) {
        return new TrainingContext(seed, ProgressListener.NONE);
    }

    private static GrayImage image(int w, int h, double... px) {
        float[] f = new float[px.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) px[i];
        }
        return GrayImage.wrap(w, h, f, null);
    }

    /** {@code mean + sum_j coef[j][i] * dir[j]} as 1 x p images; all values exact in float. */
    private static List<GrayImage> combinations(double[] mean, double[][] dirs, double[][] coef) {
        List<GrayImage> out = new ArrayList<>();
        for (double[] c : coef) {
            double[] px = mean.clone();
            for (int j = 0; j < dirs.length; j++) {
                for (int i = 0; i < px.length; i++) {
                    px[i] += c[j] * dirs[j][i];
                }
            }
            out.add(image(px.length, 1, px));
        }
        return out;
    }

    private static double[][] pixels(List<GrayImage> images) {
        double[][] x = new double[images.size()][];
        for (int a = 0; a < x.length; a++) {
            float[] px = images.get(a).pixels();
            boolean[] valid = images.get(a).mask();
            x[a] = new double[px.length];
            for (int i = 0; i < px.length; i++) {
                x[a][i] = valid[i] ? px[i] : 0;
            }
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double squaredError(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    @Test
    void pointsOnALineGiveItsDirection() {
        // 6 images of 4 pixels (more images than pixels: the scatter-matrix route), on the line mean + t (3, 4, 0, 0)
        double[] mean = {1, 2, 0.5, 0.25};
        double[][] dir = {{3, 4, 0, 0}};
        List<GrayImage> train = combinations(mean, dir, new double[][] {{-2}, {-1}, {0}, {1}, {2}, {3}});
        PcaModel m = new PcaModel(3); // asks for 3, the data has 1
        TrainingSummary s = m.fit(train, context(1));
        assertEquals(6, s.images());
        assertEquals(1, s.epochs());
        assertEquals(0.0, s.finalLoss(), 1e-20);
        double[][] c = m.components();
        assertEquals(1, c.length);
        assertArrayEquals(new double[] {0.6, 0.8, 0, 0}, c[0], 1e-12);
        // t - mean(t) = -2.5 .. 2.5, times |(3, 4)| = 5: variance 25 * 17.5 / 5
        assertArrayEquals(new double[] {87.5}, m.explainedVariance(), 1e-9);
        assertArrayEquals(new double[] {2.5, 4, 0.5, 0.25}, m.mean(), 1e-12);
        ModelOutput out = m.infer(List.of(image(4, 1, 1 + 3 * 4, 2 + 4 * 4, 0.5, 0.25))).get(0);
        // t = 4 is 3.5 from the mean t = 0.5, 5 per unit of t
        assertArrayEquals(new float[] {17.5f}, out.latent(), 1e-5f);
        assertArrayEquals(new float[] {13, 18, 0.5f, 0.25f}, out.reconstruction(), 1e-5f);
        // the mean plus a step orthogonal to the line: projected back onto the mean
        ModelOutput off = m.infer(List.of(image(4, 1, 2.5 + 4, 4 - 3, 0.5 + 3, 0.25))).get(0);
        assertArrayEquals(new float[] {0}, off.latent(), 1e-6f);
        assertArrayEquals(new float[] {2.5f, 4, 0.5f, 0.25f}, off.reconstruction(), 1e-6f);
        assertTrue(m.toString().contains("1 kept"), m.toString());
    }

    @Test
    void pointsOnAPlaneGiveItsDirectionsInOrderOfVariance() {
        // 5 images of 16 pixels (fewer images than pixels: the Gram route), uncorrelated coefficients on e1 and e2
        double[] e1 = new double[16];
        double[] e2 = new double[16];
        for (int i = 0; i < 4; i++) {
            e1[i] = 0.5;
            e2[4 + i] = i % 2 == 0 ? 0.5 : -0.5;
        }
        double[] mean = new double[16];
        Arrays.fill(mean, 0.25);
        // a = (4, -4, 2, -2, 0), b = (1, 1, -1, -1, 0): a.b = 0, |a|^2 = 40, |b|^2 = 4
        List<GrayImage> train = combinations(mean, new double[][] {e2, e1},
                new double[][] {{1, 4}, {1, -4}, {-1, 2}, {-1, -2}, {0, 0}});
        List<GrayImage> square = new ArrayList<>();
        for (GrayImage g : train) {
            square.add(GrayImage.wrap(4, 4, g.pixels(), null));
        }
        PcaModel m = new PcaModel(2);
        m.fit(square, context(1));
        double[][] c = m.components();
        assertEquals(2, c.length);
        assertArrayEquals(e1, c[0], 1e-12);
        assertArrayEquals(e2, c[1], 1e-12);
        assertArrayEquals(new double[] {10, 1}, m.explainedVariance(), 1e-12);
        assertArrayEquals(new float[] {4, 1}, m.infer(List.of(square.get(0))).get(0).latent(), 1e-6f);
    }

    /** Top right singular vectors of the centred data by power iteration with deflation, independent of the model. */
    private static double[][] powerIteration(double[][] x, int k, double[] variances) {
        int n = x.length;
        int p = x[0].length;
        double[] mean = new double[p];
        for (double[] row : x) {
            for (int i = 0; i < p; i++) {
                mean[i] += row[i] / n;
            }
        }
        double[][] cov = new double[p][p];
        for (double[] row : x) {
            for (int i = 0; i < p; i++) {
                for (int l = 0; l < p; l++) {
                    cov[i][l] += (row[i] - mean[i]) * (row[l] - mean[l]);
                }
            }
        }
        double[][] v = new double[k][];
        for (int j = 0; j < k; j++) {
            double[] b = new double[p];
            Arrays.fill(b, 1);
            b[j % p] += 1;
            double lambda = 0;
            for (int it = 0; it < 20_000; it++) {
                double[] nb = new double[p];
                for (int i = 0; i < p; i++) {
                    nb[i] = dot(cov[i], b);
                }
                lambda = Math.sqrt(dot(nb, nb));
                for (int i = 0; i < p; i++) {
                    nb[i] /= lambda;
                }
                b = nb;
            }
            v[j] = b;
            variances[j] = lambda / (n - 1);
            for (int i = 0; i < p; i++) {
                for (int l = 0; l < p; l++) {
                    cov[i][l] -= lambda * b[i] * b[l];
                }
            }
        }
        return v;
    }

    @ParameterizedTest
    @CsvSource({"9, 2, 3, 1", "4, 3, 3, 2", "12, 2, 4, 3"})
    void componentsMatchAnIndependentDecomposition(int n, int w, int k, long seed) {
        // n images of w x 3 pixels: both routes (9 > 6, 4 < 9, 12 > 6); uniform data has distinct variances
        List<GrayImage> train = TestImages.random(n, w, 3, seed);
        PcaModel m = new PcaModel(k);
        m.fit(train, context(seed));
        double[] variances = new double[k];
        double[][] expected = powerIteration(pixels(train), k, variances);
        double[][] c = m.components();
        assertEquals(k, c.length);
        for (int j = 0; j < k; j++) {
            int arg = 0;
            for (int i = 1; i < expected[j].length; i++) {
                if (Math.abs(expected[j][i]) > Math.abs(expected[j][arg])) {
                    arg = i;
                }
            }
            double sign = Math.signum(expected[j][arg]);
            for (int i = 0; i < expected[j].length; i++) {
                expected[j][i] *= sign;
            }
            assertArrayEquals(expected[j], c[j], 1e-7, "component " + j);
        }
        assertArrayEquals(variances, m.explainedVariance(), 1e-9);
    }

    @Test
    void allComponentsReconstructTheInputAndTheMeanHasZeroCoefficients() {
        // 6 images of 4 x 3 pixels, two invalid: rank 5 = n - 1, all kept
        List<GrayImage> train = new ArrayList<>();
        for (GrayImage g : TestImages.random(6, 4, 3, 5)) {
            boolean[] mask = g.mask();
            mask[0] = false;
            mask[7] = false;
            train.add(g.withMask(mask));
        }
        PcaModel m = new PcaModel(64);
        TrainingSummary s = m.fit(train, context(1));
        assertEquals(5, m.components().length);
        assertTrue(s.finalLoss() < 1e-20, "training error " + s.finalLoss());
        double[][] x = pixels(train);
        List<ModelOutput> outs = m.infer(train);
        for (int a = 0; a < x.length; a++) {
            float[] r = outs.get(a).reconstruction();
            for (int i = 0; i < r.length; i++) {
                assertEquals(x[a][i], r[i], 1e-5, "image " + a + " pixel " + i);
            }
        }
        // invalid pixels count as 0: the reconstruction there is 0, whatever the pixel holds
        assertEquals(0f, outs.get(0).reconstruction()[0]);
        GrayImage meanImage = image(4, 3, m.mean());
        for (float v : m.infer(List.of(meanImage)).get(0).latent()) {
            assertEquals(0, v, 1e-6);
        }
    }

    @Test
    void reconstructionsAreOrthogonalProjectionsOnNestedComponents() {
        List<GrayImage> train = TestImages.blobs(30, 8, 1, 3);
        List<GrayImage> test = TestImages.blobs(5, 8, 1, 4);
        double[][] x = pixels(test);
        PcaModel all = new PcaModel(20);
        all.fit(train, context(1));
        double[][] big = all.components();
        assertTrue(big.length >= 10, big.length + " components");
        for (int j = 0; j < big.length; j++) {
            for (int l = 0; l < big.length; l++) {
                assertEquals(j == l ? 1 : 0, dot(big[j], big[l]), 1e-12, "components " + j + ", " + l);
            }
        }
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= big.length; k++) {
            PcaModel m = new PcaModel(k);
            m.fit(train, context(1));
            double[][] c = m.components();
            // the same decomposition: the first k of the 20, bit for bit
            for (int j = 0; j < k; j++) {
                assertArrayEquals(big[j], c[j]);
            }
            double error = 0;
            List<ModelOutput> outs = m.infer(test);
            for (int a = 0; a < x.length; a++) {
                float[] r = outs.get(a).reconstruction();
                error += squaredError(r, x[a]);
                // the residual is orthogonal to every component
                double[] residual = new double[r.length];
                for (int i = 0; i < r.length; i++) {
                    residual[i] = x[a][i] - r[i];
                }
                for (double[] cj : c) {
                    assertEquals(0, dot(residual, cj), 1e-5);
                }
            }
            assertTrue(error <= previous + 1e-9, "k=" + k + ": error " + error + " after " + previous);
            previous = error;
        }
    }

    @Test
    void signsAreDeterministicAndFitsRepeatBitForBit() {
        List<GrayImage> train = TestImages.blobs(25, 10, 0, 7);
        PcaModel a = new PcaModel(6);
        a.fit(train, context(1));
        PcaModel b = new PcaModel(6);
        b.fit(train, context(99)); // the seed is ignored
        double[][] ca = a.components();
        double[][] cb = b.components();
        for (int j = 0; j < ca.length; j++) {
            assertArrayEquals(ca[j], cb[j]);
            double largest = 0;
            for (double v : ca[j]) {
                largest = Math.abs(v) > Math.abs(largest) ? v : largest;
            }
            assertTrue(largest > 0, "component " + j + " has its largest entry " + largest);
        }
        List<GrayImage> test = TestImages.blobs(4, 10, 0, 8);
        List<ModelOutput> oa = a.infer(test);
        List<ModelOutput> ob = b.infer(test);
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(oa.get(i).latent(), ob.get(i).latent());
            assertArrayEquals(oa.get(i).reconstruction(), ob.get(i).reconstruction());
        }
    }

    @Test
    void saveAndLoadGiveIdenticalOutputsAndBadStatesAreRejected() throws IOException {
        PcaModel m = new PcaModel(5);
        m.fit(TestImages.blobs(20, 8, 1, 3), context(1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.writeState(bytes);
        byte[] state = bytes.toByteArray();
        PcaModel loaded = new PcaModel(5);
        loaded.readState(new ByteArrayInputStream(state));
        List<GrayImage> test = TestImages.blobs(6, 8, 1, 4);
        List<ModelOutput> a = m.infer(test);
        List<ModelOutput> b = loaded.infer(test);
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(a.get(i).reconstruction(), b.get(i).reconstruction());
            assertArrayEquals(a.get(i).latent(), b.get(i).latent());
        }
        assertArrayEquals(m.explainedVariance(), loaded.explainedVariance());

        IOException other = assertThrows(IOException.class,
                () -> new PcaModel(6).readState(new ByteArrayInputStream(state)));
        assertTrue(other.getMessage().contains("5 components") && other.getMessage().contains("pca model"),
                other.getMessage());
        IOException truncated = assertThrows(IOException.class,
                () -> new PcaModel(5).readState(new ByteArrayInputStream(Arrays.copyOf(state, state.length / 2))));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] flipped = state.clone();
        flipped[flipped.length / 2] ^= 1;
        IOException corrupt = assertThrows(IOException.class,
                () -> new PcaModel(5).readState(new ByteArrayInputStream(flipped)));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
        IOException magic = assertThrows(IOException.class,
                () -> new PcaModel(5).readState(new ByteArrayInputStream(new byte[16])));
        assertTrue(magic.getMessage().contains("not a pca model state"), magic.getMessage());

        // a well-framed state with a NaN in a component
        ByteArrayOutputStream nan = new ByteArrayOutputStream();
        StateFormat.write(nan, MAGIC, 1, d -> {
            d.writeInt(1);
            d.writeInt(1);
            d.writeInt(2);
            d.writeInt(1);
            StateFormat.writeDoubles(d, new double[] {0, 0});
            StateFormat.writeDoubles(d, new double[] {1});
            StateFormat.writeDoubles(d, new double[] {1, Double.NaN});
        });
        IOException notFinite = assertThrows(IOException.class,
                () -> new PcaModel(1).readState(new ByteArrayInputStream(nan.toByteArray())));
        assertTrue(notFinite.getMessage().contains("component 0 has the value NaN"), notFinite.getMessage());
        // more components kept than the parameter allows
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        StateFormat.write(many, MAGIC, 1, d -> {
            d.writeInt(1);
            d.writeInt(2);
        });
        IOException kept = assertThrows(IOException.class,
                () -> new PcaModel(1).readState(new ByteArrayInputStream(many.toByteArray())));
        assertTrue(kept.getMessage().contains("kept components 2 is outside [1, 1]"), kept.getMessage());
        // a failed read keeps the model as it was
        assertThrows(IOException.class, () -> loaded.readState(new ByteArrayInputStream(flipped)));
        assertArrayEquals(a.get(0).latent(), loaded.infer(test.subList(0, 1)).get(0).latent());
    }

    @Test
    void errorsNameTheProblem() {
        PcaModel m = new PcaModel(3);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> m.fit(List.of(), context(1)));
        assertTrue(none.getMessage().contains("no training images"), none.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> m.fit(TestImages.random(1, 4, 4, 1), context(1)));
        assertTrue(one.getMessage().contains("at least 2 training images"), one.getMessage());
        List<GrayImage> mixed = new ArrayList<>(TestImages.random(3, 4, 4, 1));
        mixed.add(GrayImage.filled(5, 4, 0.5f));
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> m.fit(mixed, context(1)));
        assertTrue(size.getMessage().contains("training image 3 is 5x4") && size.getMessage().contains("4x4"),
                size.getMessage());
        List<GrayImage> nan = new ArrayList<>(TestImages.random(3, 4, 4, 1));
        float[] px = nan.get(1).pixels();
        px[5] = Float.POSITIVE_INFINITY;
        nan.set(1, nan.get(1).withPixels(px));
        IllegalArgumentException finite = assertThrows(IllegalArgumentException.class, () -> m.fit(nan, context(1)));
        assertTrue(finite.getMessage().contains("training image 1 has a non-finite pixel value"), finite.getMessage());
        List<GrayImage> same = List.of(GrayImage.filled(4, 4, 0.1f), GrayImage.filled(4, 4, 0.1f),
                GrayImage.filled(4, 4, 0.1f));
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> m.fit(same, context(1)));
        assertTrue(flat.getMessage().contains("do not vary"), flat.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new PcaModel(0));
        assertEquals("parameter pca.components must be at least 1, got 0", k.getMessage());

        IllegalStateException unfitted = assertThrows(IllegalStateException.class,
                () -> new PcaModel(2).infer(List.of(GrayImage.filled(4, 4, 0f))));
        assertTrue(unfitted.getMessage().contains("not fitted"), unfitted.getMessage());
        assertThrows(IllegalStateException.class, () -> new PcaModel(2).writeState(new ByteArrayOutputStream()));
        m.fit(TestImages.random(5, 4, 4, 2), context(1));
        IllegalArgumentException infer = assertThrows(IllegalArgumentException.class,
                () -> m.infer(List.of(GrayImage.filled(8, 8, 0.5f))));
        assertTrue(infer.getMessage().contains("8x8") && infer.getMessage().contains("4x4"), infer.getMessage());
    }

    @Test
    void providerIsRegistered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        ModelProvider p = registry.models().get("pca");
        assertEquals("pca", p.id());
        assertEquals(Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT), p.outputs());
        assertEquals(List.of("components"), p.parameters().stream().map(s -> s.name()).toList());
        assertEquals("64", String.valueOf(p.parameters().get(0).defaultValue()));
        try (AnomalyModel model = registry.models().create(PluginSpec.of("pca", "components", "3"))) {
            assertEquals("PcaModel[components=3, not fitted]", model.toString());
        }
        RuntimeException bad = assertThrows(RuntimeException.class,
                () -> registry.models().create(PluginSpec.of("pca", "components", "0")));
        assertTrue(bad.getMessage().contains("pca.components"), bad.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"masked-mse, , true", "top-k-se, , true", "knn, euclidean, false", "knn, cosine, false"})
    void scoresPhantomsThroughADetector(String scorer, String metric, boolean heatmap, @TempDir Path dir)
            throws IOException {
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(dir.resolve("data"), 24, 6, 5);
        DataSet ds = DataSets.detect(dir.resolve("data"), PhantomDataSetWriter.NORMAL_DIR);
        PluginSpec s = metric == null ? PluginSpec.of(scorer) : PluginSpec.of(scorer, "k", "3", "metric", metric);
        try (AnomalyDetector d = AnomalyDetector.builder().pipeline(TestPipelines.basic(32))
                .model(PluginSpec.of("pca", "components", "8")).scorer(s).seed(3).build()) {
            TrainingSummary summary = d.fit(ds.normals().subList(0, 18), ProgressListener.NONE).summary();
            assertEquals(18, summary.images());
            assertTrue(Double.isFinite(summary.finalLoss()) && summary.finalLoss() >= 0, "loss " + summary.finalLoss());
            List<io.github.deepc.anomaly.core.data.Sample> probe = new ArrayList<>(ds.normals().subList(18, 24));
            probe.addAll(ds.abnormals());
            BatchResult<Detection> res = d.scoreAll(probe, ProgressListener.NONE);
            assertTrue(res.failures().isEmpty(), "failures: " + res.failures());
            assertEquals(12, res.results().size());
            for (Detection det : res.results()) {
                assertTrue(Double.isFinite(det.score()) && det.score() >= 0, det.sample().id() + " " + det.score());
                assertEquals(heatmap, det.heatmapIfAny().isPresent(), "heat map of " + scorer);
            }
            Path file = dir.resolve("pca.detector");
            d.save(file);
            try (AnomalyDetector loaded = AnomalyDetector.load(file)) {
                List<Detection> again = loaded.scoreAll(probe, ProgressListener.NONE).results();
                for (int i = 0; i < again.size(); i++) {
                    assertEquals(res.results().get(i).score(), again.get(i).score());
                }
            }
        }
    }

    @Test
    void moreComponentsThanTheDataAllowsAreCappedNotRejected() {
        SplittableRandom rng = new SplittableRandom(3);
        List<GrayImage> train = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            train.add(image(3, 1, rng.nextDouble(), rng.nextDouble(), rng.nextDouble()));
        }
        // 4 images of 3 pixels: at most min(n - 1, p) = 3 components
        PcaModel m = new PcaModel(10);
        m.fit(train, context(1));
        assertEquals(3, m.components().length);
        assertEquals(3, m.infer(train).get(0).latent().length);
    }

    /**
     * Issue 15 item 11: 6,000 images of 32 px stopped Commons Math's eigensolver with "convergence failed". Each kept
     * component must be an eigenvector of the training covariance: the projections on two components are
     * uncorrelated, and their variance is the explained variance.
     */
    @Test
    void thousandsOfImagesConvergeToEigenvectorsOfTheCovariance() {
        List<GrayImage> train = TestImages.blobs(6000, 32, 0, 11);
        PcaModel m = new PcaModel(64);
        m.fit(train, context(1));
        double[][] c = m.components();
        assertEquals(64, c.length);
        double[] mean = m.mean();
        double[][] x = pixels(train);
        int k = 8;
        double[][] cov = new double[k][k];
        for (double[] row : x) {
            double[] centred = new double[row.length];
            for (int i = 0; i < row.length; i++) {
                centred[i] = row[i] - mean[i];
            }
            double[] proj = new double[k];
            for (int j = 0; j < k; j++) {
                proj[j] = dot(c[j], centred);
            }
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    cov[j][l] += proj[j] * proj[l] / (x.length - 1);
                }
            }
        }
        double[] variances = m.explainedVariance();
        for (int j = 0; j < k; j++) {
            assertEquals(variances[j], cov[j][j], 1e-9 * variances[0], "variance along component " + j);
            for (int l = 0; l < j; l++) {
                assertEquals(0, cov[j][l], 1e-9 * variances[0], "covariance of components " + j + ", " + l);
            }
            if (j > 0) {
                assertTrue(variances[j] <= variances[j - 1], "descending at " + j);
            }
        }
    }
}
