package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;

/**
 * Example of a custom preprocessing stage: gamma correction of images already scaled to [0,1] (put it after
 * {@code normalize}). The mask is kept as it is, since no pixel moves.
 */
public final class GammaStageProvider implements StageProvider {
    @Override
    public String id() {
        return "example-gamma";
    }

    @Override
    public String description() {
        return "Example plugin: gamma correction x^gamma of [0,1] images.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.ofDouble("gamma", 0.8, 0.05, 20.0, "the exponent; < 1 brightens"));
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        double gamma = params.getDouble("gamma");
        return (image, context) -> {
            float[] p = image.pixels();
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.pow(Math.max(0f, p[i]), gamma);
            }
            return image.withPixels(p);
        };
    }
}
