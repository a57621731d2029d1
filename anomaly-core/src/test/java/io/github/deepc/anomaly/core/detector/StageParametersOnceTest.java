package io.github.deepc.anomaly.core.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.preprocessing.ImageSizes;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.preprocessing.ValidatedStage;
import io.github.deepc.anomaly.core.preprocessing.ValueRanges;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk of the image size: a detector parses and range-checks its stages' parameters (the size among them) once
 * when it is built, and the size check, the value-range check and the pipeline it creates all read that one result.
 */
class StageParametersOnceTest {
    /** Stage {@code test-counting}: a resize-like stage (size parameter, keeps the range) that counts its parses. */
    public static final class CountingStage implements StageProvider {
        final AtomicInteger parameterReads = new AtomicInteger();

        /** For {@link java.util.ServiceLoader}. */
        public CountingStage() {
        }

        @Override
        public String id() {
            return "test-counting";
        }

        @Override
        public String description() {
            return "Counts how often its parameter declarations are read (once per parse).";
        }

        @Override
        public List<ParameterSpec> parameters() {
            parameterReads.incrementAndGet();
            return List.of(ParameterSpec.ofInt("size", 64, 8, 4096, "the side"));
        }

        @Override
        public Optional<String> sizeParameter() {
            return Optional.of("size");
        }

        @Override
        public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
            return input;
        }

        @Override
        public PreprocessingStage create(Parameters params) {
            int side = params.getInt("size");
            return (img, ctx) -> GrayImage.filled(side, side, 0.5f);
        }
    }

    @TempDir
    Path tmp;

    /** A registry with the core's test plugins and {@link CountingStage}, found by ServiceLoader like any plugin. */
    private URLClassLoader loader() throws IOException {
        Path services = Files.createDirectories(tmp.resolve("META-INF/services"));
        Files.writeString(services.resolve(StageProvider.class.getName()), CountingStage.class.getName() + "\n");
        return new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void aDetectorParsesItsStagesParametersOnceWhenBuilt() throws IOException {
        try (URLClassLoader loader = loader()) {
            PluginRegistry registry = PluginRegistry.load(loader);
            CountingStage counting = (CountingStage) registry.stages().get("test-counting");
            int before = counting.parameterReads.get();
            try (AnomalyDetector d = AnomalyDetector.builder().registry(registry)
                    .pipeline(List.of(PluginSpec.of("test-counting", "size", "32"))).model(PluginSpec.of("test-mean"))
                    .scorer(PluginSpec.of("test-mse")).build()) {
                assertEquals(1, counting.parameterReads.get() - before, "parsed once: validated, size read, created");
                GrayImage out = d.pipeline().apply(GrayImage.filled(3, 2, 1f), false, 1L).image();
                assertEquals(32, out.width(), "the stage was created with the size");
            }
            // the range is still checked once, when the detector is built: refused before the stage is created
            PluginException e = assertThrows(PluginException.class, () -> AnomalyDetector.builder().registry(registry)
                    .pipeline(List.of(PluginSpec.of("test-counting", "size", "4"))).model(PluginSpec.of("test-mean"))
                    .scorer(PluginSpec.of("test-mse")).build());
            assertTrue(e.getMessage().contains("size"), e.getMessage());
        }
    }

    @Test
    void theValidatedStagesGiveWhatTheSpecsGive() throws IOException {
        try (URLClassLoader loader = loader()) {
            PluginRegistry registry = PluginRegistry.load(loader);
            List<PluginSpec> specs = List.of(PluginSpec.of("test-scale", "factor", "2"),
                    PluginSpec.of("test-counting", "size", "16"), PluginSpec.of("test-scale"));
            List<ValidatedStage> validated = ValidatedStage.of(specs, registry);
            assertEquals(ImageSizes.side(specs, registry), ImageSizes.side(validated));
            assertEquals(Optional.of(new ImageSizes.Side("test-counting", "size", 16)), ImageSizes.side(validated));
            assertEquals(ValueRanges.output(specs, registry), ValueRanges.output(validated));
            GrayImage in = GrayImage.filled(5, 4, 0.25f);
            assertEquals(Pipeline.create(specs, registry).apply(in, false, 3L), Pipeline.create(validated).apply(in, false, 3L));
            assertEquals(specs, Pipeline.create(validated).specs());
            assertThrows(PluginException.class, () -> ValidatedStage.of(List.of(PluginSpec.of("no-such-stage")), registry));
        }
    }
}
