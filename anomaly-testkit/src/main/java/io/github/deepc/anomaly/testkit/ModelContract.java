package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.plugin.PluginCatalog;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The {@link AnomalyModel} contract as JUnit 5 dynamic tests, for a {@code @TestFactory}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> myModelKeepsTheContract() {
 *     return ModelContract.of(new MyModelProvider()).params(Map.of("epochs", "1")).tests();
 * }
 * }</pre>
 *
 * <p>The model is fitted once (on {@link TestImages#blobs} of 16 x 16 pixels unless other images are given) and then
 * checked: it produces the outputs its provider declares, of the input's geometry and finite; inference is
 * deterministic; a state written and read into a fresh model gives bit-identical outputs and writes the same bytes
 * again; a truncated or foreign state is refused with an {@link java.io.IOException}; {@code close()} may be called
 * twice and, where a native-memory measure is given ({@link Builder#nativeMemory}), releases what the model
 * allocated from its creation to its {@code close()} (measured around the model the other checks used).
 */
public final class ModelContract {
    private ModelContract() {
    }

    /**
     * @param provider the model provider to check
     * @return a builder of the checks
     */
    public static Builder of(ModelProvider provider) {
        return new Builder(provider);
    }

    /**
     * Checks every model of a catalog (a registry's {@code models()}), one container per id.
     *
     * @param catalog the models
     * @param setup   configures the checks of each provider (small parameters, images)
     * @return the checks
     */
    public static Stream<DynamicNode> forAll(PluginCatalog<ModelProvider> catalog,
            Function<Builder, Builder> setup) {
        return catalog.providers().stream()
                .map(p -> DynamicContainer.dynamicContainer(p.id(), setup.apply(of(p)).tests()));
    }

    /** Configures the checks of one model provider. */
    public static final class Builder {
        private final ModelProvider provider;
        private Map<String, String> params = Map.of();
        private List<GrayImage> training = TestImages.blobs(8, 16, 0, 11);
        private List<GrayImage> test = TestImages.blobs(3, 16, 0, 12);
        private long seed = 42L;
        private LongSupplier nativeMemory;
        private long nativeSlack = 1 << 20;
        private AnomalyModel fitted;
        private long nativeBefore;

        private Builder(ModelProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /** @return the provider under test */
        public ModelProvider provider() {
            return provider;
        }

        /**
         * @param value the model's parameters (keep them small: one epoch, small networks)
         * @return this
         */
        public Builder params(Map<String, String> value) {
            this.params = Map.copyOf(value);
            return this;
        }

        /**
         * @param fit  the training images, all of one size
         * @param test the images to infer on, of the same size
         * @return this
         */
        public Builder images(List<GrayImage> fit, List<GrayImage> test) {
            this.training = List.copyOf(fit);
            this.test = List.copyOf(test);
            return this;
        }

        /**
         * @param value the training seed
         * @return this
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Checks that {@code close()} releases native memory: the measure after the checked model was created,
         * fitted, used and closed must be back within {@code slackBytes} of the measure before it was created.
         *
         * @param bytes      current native bytes in use, e.g. JavaCPP's {@code Pointer::totalBytes} (which counts only
         *                   what JavaCPP allocates itself: OpenCV mats and pointers, not ND4J's array buffers)
         * @param slackBytes what may stay allocated (caches of the native library)
         * @return this
         */
        public Builder nativeMemory(LongSupplier bytes, long slackBytes) {
            this.nativeMemory = bytes;
            this.nativeSlack = slackBytes;
            return this;
        }

        /** @return the checks, in order (the model is fitted by the first) */
        public Stream<DynamicNode> tests() {
            String id = provider.id();
            return Stream.of(
                    DynamicTest.dynamicTest(id + " produces its declared outputs, finite and of the input's size",
                            this::declaredOutputs),
                    DynamicTest.dynamicTest(id + " infers deterministically", this::deterministic),
                    DynamicTest.dynamicTest(id + " reloads its state bit-identically", this::reload),
                    DynamicTest.dynamicTest(id + " refuses a truncated or foreign state", this::refusesDamaged),
                    DynamicTest.dynamicTest(id + " can be closed twice and releases native memory", this::close));
        }

        private AnomalyModel fitted() {
            if (fitted == null) {
                nativeBefore = nativeMemory == null ? 0 : nativeMemory.getAsLong();
                AnomalyModel m = provider.create(params);
                m.fit(training, new TrainingContext(seed, ProgressListener.NONE));
                fitted = m;
            }
            return fitted;
        }

        private void declaredOutputs() {
            AnomalyModel m = fitted();
            assertEquals(provider.outputs(), m.outputs(), provider.id() + ": the model's outputs() vs its provider's");
            List<ModelOutput> out = m.infer(test);
            assertEquals(test.size(), out.size(), "one output per image");
            for (int i = 0; i < out.size(); i++) {
                ModelOutput o = out.get(i);
                GrayImage in = test.get(i);
                assertTrue(o.kinds().containsAll(provider.outputs()), provider.id() + " declares " + provider.outputs()
                        + " but produced " + o.kinds());
                if (o.kinds().contains(OutputKind.RECONSTRUCTION)) {
                    assertEquals(in.size(), o.reconstruction().length, "reconstruction size");
                    ContractSupport.assertFinite(provider.id() + " reconstruction", o.reconstruction());
                }
                if (o.kinds().contains(OutputKind.ANOMALY_MAP)) {
                    assertEquals(in.size(), o.anomalyMap().length, "anomaly map size");
                    ContractSupport.assertFinite(provider.id() + " anomaly map", o.anomalyMap());
                }
                if (o.kinds().contains(OutputKind.LATENT)) {
                    ContractSupport.assertFinite(provider.id() + " latent", o.latent());
                }
                for (OutputKind k : o.kinds()) {
                    if (k != OutputKind.RECONSTRUCTION && k != OutputKind.ANOMALY_MAP && k != OutputKind.LATENT) {
                        assertTrue(Double.isFinite(o.scalar(k)), provider.id() + " " + k + " is " + o.scalar(k));
                    }
                }
            }
        }

        private void deterministic() {
            AnomalyModel m = fitted();
            assertSameOutputs(m.infer(test), m.infer(test), "two inferences of one fitted model");
        }

        private void reload() {
            AnomalyModel m = fitted();
            byte[] state = ContractSupport.bytes(m::writeState);
            assertTrue(state.length > 0, provider.id() + " wrote an empty state");
            try (AnomalyModel fresh = provider.create(params)) {
                ContractSupport.read(fresh::readState, state);
                assertSameOutputs(m.infer(test), fresh.infer(test), "outputs of the reloaded model");
                assertArrayEquals(state, ContractSupport.bytes(fresh::writeState),
                        provider.id() + ": the reloaded model writes a different state");
            }
        }

        private void refusesDamaged() {
            byte[] state = ContractSupport.bytes(fitted()::writeState);
            ContractSupport.assertRefusesDamaged(provider.id(), state, () -> {
                AnomalyModel fresh = provider.create(params);
                return in -> {
                    try {
                        fresh.readState(in);
                    } finally {
                        fresh.close();
                    }
                };
            });
        }

        private void close() {
            AnomalyModel m = fitted();
            m.infer(test);
            m.close();
            m.close();
            fitted = null;
            if (nativeMemory != null) {
                long kept = nativeMemory.getAsLong() - nativeBefore;
                assertTrue(kept <= nativeSlack, provider.id() + " kept " + kept
                        + " native bytes after close() (allowed " + nativeSlack + ")");
            }
        }

        private void assertSameOutputs(List<ModelOutput> a, List<ModelOutput> b, String what) {
            assertEquals(a.size(), b.size(), what);
            for (int i = 0; i < a.size(); i++) {
                ModelOutput x = a.get(i);
                ModelOutput y = b.get(i);
                assertEquals(x.kinds(), y.kinds(), what + ": kinds of image " + i);
                for (OutputKind k : x.kinds()) {
                    String where = provider.id() + " " + what + ": " + k + " of image " + i + " differs";
                    switch (k) {
                        case RECONSTRUCTION -> assertArrayEquals(x.reconstruction(), y.reconstruction(), where);
                        case ANOMALY_MAP -> assertArrayEquals(x.anomalyMap(), y.anomalyMap(), where);
                        case LATENT -> assertArrayEquals(x.latent(), y.latent(), where);
                        default -> assertEquals(Double.doubleToLongBits(x.scalar(k)), Double.doubleToLongBits(y.scalar(k)),
                                where);
                    }
                }
            }
        }
    }
}
