package io.github.deepc.anomaly.core.plugin;

import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.ProviderFailure;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.testplugins.TestPlugins;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {
    @TempDir
    Path tmp;

    /** A class loader that adds a services file for ScorerProvider listing the given class names. */
    private ClassLoader withScorers(String... classNames) throws IOException {
        Path services = tmp.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.write(services.resolve(ScorerProvider.class.getName()), List.of(classNames));
        return new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void discoversTestPluginsByKind() {
        PluginRegistry r = PluginRegistry.load(getClass().getClassLoader());
        assertTrue(r.stages().ids().contains("test-scale"));
        assertTrue(r.models().ids().contains("test-mean"));
        assertTrue(r.scorers().ids().containsAll(List.of("test-mse", "test-disc")));
        assertTrue(r.failures().isEmpty(), () -> "unexpected failures " + r.failures());
    }

    @Test
    void duplicateIdIsAnErrorNamingBothClasses() throws IOException {
        ClassLoader cl = withScorers(TestPlugins.DuplicateMseScorer.class.getName());
        PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.load(cl));
        assertTrue(e.getMessage().contains("'test-mse'"), e.getMessage());
        assertTrue(e.getMessage().contains(TestPlugins.MseScorer.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(TestPlugins.DuplicateMseScorer.class.getName()), e.getMessage());
    }

    @Test
    void brokenProvidersAreReportedWithoutHidingTheOthers() throws IOException {
        ClassLoader cl = withScorers("com.example.DoesNotExist", TestPlugins.BrokenScorer.class.getName(),
                TestPlugins.BadIdScorer.class.getName());
        PluginRegistry r = PluginRegistry.load(cl);
        assertTrue(r.scorers().ids().containsAll(List.of("test-mse", "test-disc")), "healthy providers stay available");
        List<String> failures = r.scorers().failures().stream().map(ProviderFailure::description).toList();
        assertEquals(3, failures.size(), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.contains("DoesNotExist")), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.contains("BrokenScorer") && f.contains("native library missing")), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.contains("Bad_Id")), failures.toString());
        // asking for an unknown id mentions the broken providers, so the user sees why
        PluginException e = assertThrows(PluginException.class, () -> r.scorers().get("one-class-svm"));
        assertTrue(e.getMessage().contains("BrokenScorer"), e.getMessage());
    }

    @Test
    void unknownIdListsTheAvailableOnes() {
        PluginRegistry r = PluginRegistry.load(getClass().getClassLoader());
        PluginException e = assertThrows(PluginException.class, () -> r.models().get("gan"));
        assertTrue(e.getMessage().contains("unknown model 'gan'"), e.getMessage());
        assertTrue(e.getMessage().contains("test-mean"), e.getMessage());
    }

    @Test
    void createsFromIdAndStringParameters() {
        PluginRegistry r = PluginRegistry.load(getClass().getClassLoader());
        io.github.deepc.anomaly.core.pipeline.PreprocessingStage scale = r.stages().create(PluginSpec.of("test-scale", "factor", "2.5"));
        io.github.deepc.anomaly.core.image.GrayImage two = io.github.deepc.anomaly.core.image.GrayImage.filled(2, 1, 2f);
        assertEquals(5f, scale.apply(two, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(false, 1)).get(1, 0),
                "the string parameter reached the created stage");
        PluginException bad = assertThrows(PluginException.class,
                () -> r.stages().create(PluginSpec.of("test-scale", "factor", "lots")));
        assertTrue(bad.getMessage().contains("test-scale.factor") && bad.getMessage().contains("a number"), bad.getMessage());
        PluginException unknown = assertThrows(PluginException.class,
                () -> r.stages().create(new PluginSpec("test-scale", Map.of("facter", "2"))));
        assertTrue(unknown.getMessage().contains("unknown parameter 'facter'") && unknown.getMessage().contains("factor"),
                unknown.getMessage());
    }
}
