package io.github.deepc.anomaly.eval.experiment;

import io.github.deepc.anomaly.core.detector.DetectorDefaults;
import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pipelines an experiment can name without listing stages: {@code default} (the library's recommended pipeline,
 * {@link DetectorDefaults#pipeline(int)} at {@link DetectorDefaults#SIZE} px), {@code default-<N>} (the same at N px)
 * and {@code none} (no preprocessing: the images must already share one size).
 */
public final class NamedPipelines {
    private static final Pattern DEFAULT_SIZED = Pattern.compile("default-(\\d{1,4})");

    private NamedPipelines() {
    }

    /**
     * @param name a pipeline name
     * @return its stages
     * @throws IllegalArgumentException for an unknown name, listing the known forms
     */
    public static List<PluginSpec> resolve(String name) {
        if (name.equals("default")) {
            return DetectorDefaults.pipeline(DetectorDefaults.SIZE);
        }
        if (name.equals("none")) {
            return List.of();
        }
        Matcher m = DEFAULT_SIZED.matcher(name);
        if (m.matches() && Integer.parseInt(m.group(1)) >= 8) {
            return DetectorDefaults.pipeline(Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("unknown pipeline '" + name + "': give its 'stages' or a 'file', or use a"
                + " named pipeline: default, default-<size> (size >= 8, e.g. default-64), none");
    }
}
