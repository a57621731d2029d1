package io.github.deepc.anomaly.core.detector;

import java.util.List;

/**
 * A ready-made detector by name, e.g. {@code DetectorPreset.CHEST} of {@code anomaly-presets}. The core only knows
 * this interface: presets name plugin ids of modules it cannot see, so they live beside those modules and reach the
 * builder ({@link AnomalyDetector.Builder#preset(Preset, int)}) or a {@link DetectorRecipe} through it.
 */
public interface Preset {
    /** @return the preset's name, lowercase-hyphenated, as the CLI's {@code --preset} takes it */
    String word();

    /**
     * @param size square side the images are brought to
     * @return the preset's detectors at that size: the first is the primary one (its heat map is the ensemble's), any
     *         others make an ensemble whose calibrated scores are averaged
     */
    List<DetectorParts> detectors(int size);
}
