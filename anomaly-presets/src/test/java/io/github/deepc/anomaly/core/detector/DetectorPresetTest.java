package io.github.deepc.anomaly.core.detector;

// in the detector package (not the presets one) to reach the builder's package-private buildConfig()

import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.presets.DetectorPreset;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.detector.DetectorConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
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
        assertTrue(e.getMessage().contains("'knee'") && e.getMessage().contains("general, chest, hand, non-xray"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DetectorPreset.of(null));
    }

    @Test
    void theDefaultsAreTheGeneralPreset() {
        assertEquals(DetectorDefaults.model(), DetectorPreset.GENERAL.model());
        assertEquals(DetectorDefaults.scorer(), DetectorPreset.GENERAL.scorer());
        assertEquals(PluginSpec.of("pca", "components", "64"), DetectorDefaults.model());
        assertEquals(DetectorDefaults.recommendedPipeline(48), DetectorPreset.GENERAL.pipeline(48));
        assertEquals(DetectorDefaults.pipeline(48), DetectorPreset.NON_XRAY.pipeline(48), "no equalisation");
    }

    @Test
    void theChestPresetIsAnEnsembleThatStartsWithTheGeneralDetector() {
        DetectorConfig general = AnomalyDetector.builder().preset(DetectorPreset.GENERAL).buildConfig();
        DetectorConfig chest = AnomalyDetector.builder().preset(DetectorPreset.CHEST, 32).buildConfig();
        assertFalse(general.isEnsemble());
        assertTrue(chest.isEnsemble());
        assertEquals(DetectorPreset.GENERAL.model(), chest.model());
        assertEquals(DetectorPreset.CHEST.members().size(), chest.members().size());
        assertEquals(DetectorPreset.CHEST.members().get(0).pipeline(32), chest.members().get(0).pipeline());
        // a later preset replaces the members of an earlier one
        assertFalse(AnomalyDetector.builder().preset(DetectorPreset.CHEST).preset(DetectorPreset.HAND).buildConfig()
                .isEnsemble());
    }
}
