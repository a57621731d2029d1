package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.plugin.PluginCatalog;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The {@link OutlierScorer} contract as JUnit 5 dynamic tests, for a {@code @TestFactory}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> myScorerKeepsTheContract() {
 *     return ScorerContract.of(new MyScorerProvider()).tests();
 * }
 * }</pre>
 *
 * <p>Unless model outputs are given, the scorer gets {@link #syntheticOutputs synthetic ones} with every kind its
 * provider requires. Checked: fitting twice on the same normals gives the same, finite scores; once fitted, scoring
 * on {@value ContractSupport#THREADS} threads at once gives the scores of one call after another (thread-safe); a
 * heat map has the input image's geometry and finite valid values; the state written and read into a fresh scorer
 * gives bit-identical scores and the same bytes again; a truncated or foreign state is refused with an
 * {@link java.io.IOException} (frame your state with a magic number, version and checksum, as the library's
 * {@code StateFormat} in {@code anomaly-models} does).
 */
public final class ScorerContract {
    private ScorerContract() {
    }

    /**
     * @param provider the scorer provider to check
     * @return a builder of the checks
     */
    public static Builder of(ScorerProvider provider) {
        return new Builder(provider);
    }

    /**
     * Checks every scorer of a catalog (a registry's {@code scorers()}), one container per id.
     *
     * @param catalog the scorers
     * @param setup   configures the checks of each provider
     * @return the checks
     */
    public static Stream<DynamicNode> forAll(PluginCatalog<ScorerProvider> catalog, Function<Builder, Builder> setup) {
        return catalog.providers().stream()
                .map(p -> DynamicContainer.dynamicContainer(p.id(), setup.apply(of(p)).tests()));
    }

    /**
     * Model outputs with the given kinds for smooth 16 x 16 images: a reconstruction near the input, an anomaly map
     * of small values, an 8-value latent vector and scalars in (0, 1); {@code abnormal} outputs stray further.
     *
     * @param kinds    the kinds every output carries
     * @param count    how many
     * @param abnormal whether they should look abnormal
     * @param seed     randomness
     * @return the outputs
     */
    public static List<ModelOutput> syntheticOutputs(Set<OutputKind> kinds, int count, boolean abnormal, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double spread = abnormal ? 0.3 : 0.05;
        List<ModelOutput> out = new ArrayList<>();
        for (GrayImage in : TestImages.blobs(count, 16, 2, seed)) {
            ModelOutput.Builder b = ModelOutput.builder(in);
            for (OutputKind k : kinds) {
                switch (k) {
                    case RECONSTRUCTION -> {
                        float[] rec = in.pixels();
                        for (int i = 0; i < rec.length; i++) {
                            rec[i] += (float) (spread * r.nextGaussian());
                        }
                        b.reconstruction(rec);
                    }
                    case ANOMALY_MAP -> {
                        float[] map = new float[in.size()];
                        for (int i = 0; i < map.length; i++) {
                            map[i] = (float) Math.abs(spread * r.nextGaussian());
                        }
                        b.anomalyMap(map);
                    }
                    case LATENT -> {
                        float[] z = new float[8];
                        for (int i = 0; i < z.length; i++) {
                            z[i] = (float) ((abnormal ? 3 : 0) + r.nextGaussian());
                        }
                        b.latent(z);
                    }
                    default -> b.scalar(k, abnormal ? 0.6 + 0.3 * r.nextDouble() : 0.05 + 0.3 * r.nextDouble());
                }
            }
            out.add(b.build());
        }
        return out;
    }

    /** Configures the checks of one scorer provider. */
    public static final class Builder {
        private static final long FIT_SEED = 17;

        private final ScorerProvider provider;
        private Map<String, String> params = Map.of();
        private List<ModelOutput> normals;
        private List<ModelOutput> test;

        private Builder(ScorerProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.normals = syntheticOutputs(provider.requiredOutputs(), 24, false, 21);
            List<ModelOutput> t = new ArrayList<>(syntheticOutputs(provider.requiredOutputs(), 4, false, 22));
            t.addAll(syntheticOutputs(provider.requiredOutputs(), 4, true, 23));
            this.test = t;
        }

        /** @return the provider under test */
        public ScorerProvider provider() {
            return provider;
        }

        /**
         * @param value the scorer's parameters
         * @return this
         */
        public Builder params(Map<String, String> value) {
            this.params = Map.copyOf(value);
            return this;
        }

        /**
         * @param fit  the model outputs of normal images to fit on
         * @param test the outputs to score
         * @return this
         */
        public Builder outputs(List<ModelOutput> fit, List<ModelOutput> test) {
            this.normals = List.copyOf(fit);
            this.test = List.copyOf(test);
            return this;
        }

        /** @return the checks */
        public Stream<DynamicNode> tests() {
            String id = provider.id();
            return Stream.of(
                    DynamicTest.dynamicTest(id + " fits deterministically and scores finite", this::deterministic),
                    DynamicTest.dynamicTest(id + " is thread-safe once fitted", this::threadSafe),
                    DynamicTest.dynamicTest(id + " gives heat maps of the input's geometry", this::heatmaps),
                    DynamicTest.dynamicTest(id + " reloads its state bit-identically", this::reload),
                    DynamicTest.dynamicTest(id + " refuses a truncated or foreign state", this::refusesDamaged));
        }

        private OutlierScorer fitted() {
            OutlierScorer s = provider.create(params);
            // the detector's entry point: a scorer with randomness (e.g. a sampled fit) takes it from this seed only
            s.fit(normals, FIT_SEED);
            return s;
        }

        private double[] scores(OutlierScorer s) {
            double[] v = new double[test.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = s.score(test.get(i)).value();
            }
            return v;
        }

        private void deterministic() {
            double[] a = scores(fitted());
            double[] b = scores(fitted());
            for (int i = 0; i < a.length; i++) {
                assertTrue(Double.isFinite(a[i]), provider.id() + ": score " + i + " is " + a[i]);
            }
            assertArrayEquals(a, b, provider.id() + ": two fits on the same normals scored differently");
        }

        private void threadSafe() {
            OutlierScorer s = fitted();
            double[] expected = scores(s);
            List<Callable<Double>> tasks = new ArrayList<>();
            for (ModelOutput o : test) {
                tasks.add(() -> s.score(o).value());
            }
            for (List<Double> run : ContractSupport.concurrently(tasks)) {
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], run.get(i), 0.0, provider.id() + ": concurrent score " + i);
                }
            }
        }

        private void heatmaps() {
            OutlierScorer s = fitted();
            for (ModelOutput o : test) {
                Score score = s.score(o);
                if (score.heatmap() == null) {
                    continue;
                }
                GrayImage h = score.heatmap();
                assertEquals(o.input().width(), h.width(), provider.id() + ": heat map width");
                assertEquals(o.input().height(), h.height(), provider.id() + ": heat map height");
                float[] p = h.unsafePixels();
                boolean[] m = h.unsafeMask();
                for (int i = 0; i < p.length; i++) {
                    assertTrue(!m[i] || Float.isFinite(p[i]), provider.id() + ": heat map pixel " + i + " is " + p[i]);
                }
            }
        }

        private void reload() {
            OutlierScorer s = fitted();
            byte[] state = ContractSupport.bytes(s::writeState);
            OutlierScorer fresh = provider.create(params);
            ContractSupport.read(fresh::readState, state);
            assertArrayEquals(scores(s), scores(fresh), provider.id() + ": scores of the reloaded scorer");
            assertArrayEquals(state, ContractSupport.bytes(fresh::writeState),
                    provider.id() + ": the reloaded scorer writes a different state");
            assertTrue(!s.needsFit() || state.length > 0, provider.id() + " needs fitting but wrote no state");
        }

        private void refusesDamaged() {
            byte[] state = ContractSupport.bytes(fitted()::writeState);
            ContractSupport.assertRefusesDamaged(provider.id(), state, () -> provider.create(params)::readState);
        }
    }
}
