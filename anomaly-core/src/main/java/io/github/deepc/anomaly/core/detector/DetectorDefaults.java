package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.spi.PluginSpec;
import java.util.List;

/**
 * The library's recommended detector. The ids refer to plugins of {@code anomaly-preprocess} and
 * {@code anomaly-models}, which must be on the class path to build it.
 */
public final class DetectorDefaults {
    /** Default square image side in pixels. */
    public static final int SIZE = 64;
    /** Default master seed. */
    public static final long SEED = 42L;

    private DetectorDefaults() {
    }

    /**
     * @param size square side the images are brought to
     * @return resize (longest side to {@code size}), centred padding to {@code size x size}, min-max to [0,1]
     */
    public static List<PluginSpec> pipeline(int size) {
        String n = Integer.toString(size);
        return List.of(PluginSpec.of("resize", "size", n), PluginSpec.of("pad", "size", n), PluginSpec.of("normalize"));
    }

    /** @return the default model: the convolutional autoencoder */
    public static PluginSpec model() {
        return PluginSpec.of("cae");
    }

    /** @return the default scorer: masked reconstruction MSE */
    public static PluginSpec scorer() {
        return PluginSpec.of("masked-mse");
    }
}
