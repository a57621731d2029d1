package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.phantom.AnomalyKind;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.Phantom;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Uses this module's own plugins by id: the {@code example-gamma} stage (see {@link GammaStageProvider}) and the
 * {@code example-max-error} scorer (see {@link MaxErrorScorerProvider}), both found through
 * {@code META-INF/services} like any plugin of the library.
 */
public final class CustomPlugins {
    private CustomPlugins() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        System.out.println("stages:  " + registry.stages().ids());
        System.out.println("scorers: " + registry.scorers().ids());

        List<PluginSpec> pipeline = new ArrayList<>(DetectorDefaults.pipeline(32));
        pipeline.add(PluginSpec.of("example-gamma", "gamma", "0.7"));
        HandPhantomGenerator phantoms = HandPhantomGenerator.ofSize(32);
        List<GrayImage> normals = phantoms.normals(1, 40).stream().map(Phantom::image).toList();
        try (AnomalyDetector detector = AnomalyDetector.builder().pipeline(pipeline)
                .model(PluginSpec.of("cae", "epochs", "2")).scorer(PluginSpec.of("example-max-error", "power", "2"))
                .build()) {
            detector.fitImages(normals, ProgressListener.NONE);
            for (AnomalyKind kind : AnomalyKind.values()) {
                Phantom p = phantoms.generate(777, kind);
                System.out.printf("%-8s max-error score %.5f%n", kind, detector.score(p.image()).score());
            }
        }
    }
}
