package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pipelines an experiment can name without listing stages: {@code default} (resize, pad, normalize:
 * {@link DetectorDefaults#pipeline(int)} at {@link DetectorDefaults#SIZE} px), {@code recommended} (histogram
 * equalisation first: {@link DetectorDefaults#recommendedPipeline(int)}), either with a size suffix
 * ({@code default-32}, {@code recommended-128}), and {@code none} (no preprocessing: the images must already share
 * one size).
 */
public final class NamedPipelines {
    private static final Pattern SIZED = Pattern.compile("(default|recommended)(?:-(\\d{1,4}))?");

    private NamedPipelines() {
    }

    /**
     * @param name a pipeline name
     * @return its stages
     * @throws IllegalArgumentException for an unknown name, listing the known forms
     */
    public static List<PluginSpec> resolve(String name) {
        if (name.equals("none")) {
            return List.of();
        }
        Matcher m = SIZED.matcher(name);
        if (m.matches()) {
            int size = m.group(2) == null ? DetectorDefaults.SIZE : Integer.parseInt(m.group(2));
            if (size >= 8) {
                IntFunction<List<PluginSpec>> family = m.group(1).equals("default")
                        ? DetectorDefaults::pipeline : DetectorDefaults::recommendedPipeline;
                return family.apply(size);
            }
        }
        throw new IllegalArgumentException("unknown pipeline '" + name + "': give its 'stages' or a 'file', or use a"
                + " named pipeline: default, recommended, default-<size> or recommended-<size> (size >= 8, e.g."
                + " default-64), none");
    }
}
