package io.github.deepc.anomaly.examples;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.util.List;
import java.util.Set;

/**
 * Example of a custom scorer plugin: the largest absolute reconstruction error over valid pixels, optionally
 * raised to a power. Registered in {@code META-INF/services/io.github.deepc.anomaly.core.spi.ScorerProvider}, so
 * {@code --scorer example-max-error} and {@code PluginSpec.of("example-max-error")} find it.
 */
public final class MaxErrorScorerProvider implements ScorerProvider {
    @Override
    public String id() {
        return "example-max-error";
    }

    @Override
    public String description() {
        return "Example plugin: largest absolute reconstruction error over valid pixels.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.ofDouble("power", 1.0, 0.1, 10.0, "exponent applied to the error"));
    }

    @Override
    public Set<OutputKind> requiredOutputs() {
        return Set.of(OutputKind.RECONSTRUCTION);
    }

    @Override
    public OutlierScorer create(Parameters params) {
        double power = params.getDouble("power");
        return output -> {
            GrayImage in = output.input();
            float[] x = in.unsafePixels();
            float[] r = output.reconstruction();
            boolean[] valid = in.unsafeMask();
            float[] map = new float[x.length];
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                if (valid[i]) {
                    map[i] = (float) Math.pow(Math.abs(x[i] - r[i]), power);
                    max = Math.max(max, map[i]);
                }
            }
            return new Score(max, GrayImage.wrap(in.width(), in.height(), map, valid.clone()));
        };
    }
}
