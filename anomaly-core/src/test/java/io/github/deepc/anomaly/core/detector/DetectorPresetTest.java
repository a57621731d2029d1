package io.github.deepc.anomaly.core.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.spi.PluginSpec;
import org.junit.jupiter.api.Test;

class DetectorPresetTest {
    @Test
    void namesAreFoundCaseInsensitively() {
        for (DetectorPreset p : DetectorPreset.values()) {
            assertEquals(p, DetectorPreset.of(p.word()));
            assertEquals(p, DetectorPreset.of(" " + p.word().toUpperCase() + " "));
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectorPreset.of("knee"));
        assertTrue(e.getMessage().contains("'knee'") && e.getMessage().contains("general, chest, hand"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DetectorPreset.of(null));
    }

    @Test
    void theDefaultsAreTheGeneralPreset() {
        assertEquals(DetectorDefaults.model(), DetectorPreset.GENERAL.model());
        assertEquals(DetectorDefaults.scorer(), DetectorPreset.GENERAL.scorer());
        assertEquals(PluginSpec.of("pca", "components", "64"), DetectorDefaults.model());
        for (DetectorPreset p : DetectorPreset.values()) {
            assertEquals(DetectorDefaults.recommendedPipeline(48), p.pipeline(48));
        }
    }
}
