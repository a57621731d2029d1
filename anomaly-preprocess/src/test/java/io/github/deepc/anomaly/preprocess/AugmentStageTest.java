package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.preprocess.AugmentStage.Settings;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentStageTest {
    private static final AugmentStage DEFAULTS = new AugmentStage(Settings.defaults());

    private static StageContext training(long seed) {
        return StageContext.standalone(true, seed);
    }

    private static Settings only(double flipH, double flipV, double degrees, double rotateP, double bMin, double bMax,
                                 double brightP, double zMin, double zMax, double zoomP) {
        return new Settings(flipH, flipV, degrees, rotateP, bMin, bMax, brightP, zMin, zMax, zoomP);
    }

    @Test
    void sameSeedSameResultDifferentSeedsDiffer() {
        GrayImage img = Radiographs.bodyFilling(48, 40, 1, 255f);
        GrayImage a = DEFAULTS.apply(img, training(7));
        GrayImage b = DEFAULTS.apply(img, training(7));
        assertEquals(a, b);
        assertArrayEquals(a.unsafeMask(), b.unsafeMask());
        Set<GrayImage> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            distinct.add(DEFAULTS.apply(img, training(seed)));
        }
        assertTrue(distinct.size() >= 18, "different seeds give different augmentations: " + distinct.size());
    }

    @Test
    void identityWhenNotTraining() {
        GrayImage img = Radiographs.bodyFilling(32, 32, 1, 255f);
        AugmentStage always = new AugmentStage(only(1, 1, 45, 1, 2, 2, 1, 1.5, 1.5, 1));
        for (long seed = 0; seed < 5; seed++) {
            assertSame(img, always.apply(img, StageContext.standalone(false, seed)));
        }
        assertSame(img, new AugmentStage(Settings.none()).apply(img, training(1)));
    }

    @Test
    void flipsMirrorPixelsAndMask() {
        GrayImage img = TestImages.random(7, 5, 3, 10f, 0.6);
        GrayImage h = new AugmentStage(only(1, 0, 0, 0, 1, 1, 0, 1, 1, 0)).apply(img, training(1));
        GrayImage v = new AugmentStage(only(0, 1, 0, 0, 1, 1, 0, 1, 1, 0)).apply(img, training(1));
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(img.get(x, y), h.get(6 - x, y), 0f);
                assertEquals(img.isValid(x, y), h.isValid(6 - x, y));
                assertEquals(img.get(x, y), v.get(x, 4 - y), 0f);
                assertEquals(img.isValid(x, y), v.isValid(x, 4 - y));
            }
        }
    }

    @Test
    void rotatedInPixelsAreInvalid() {
        GrayImage img = Radiographs.bodyFilling(41, 41, 2, 255f);
        // every rotation by 45 degrees exactly, about the centre
        AugmentStage rotate = new AugmentStage(only(0, 0, 45, 1, 1, 1, 0, 1, 1, 0));
        GrayImage out = rotate.apply(img, training(3));
        assertEquals(41, out.width());
        assertEquals(41, out.height());
        assertEquals(41 * 41, out.unsafeMask().length);
        for (int[] corner : new int[][] {{0, 0}, {40, 0}, {0, 40}, {40, 40}, {2, 2}}) {
            assertFalse(out.isValid(corner[0], corner[1]), "corner " + corner[0] + "," + corner[1] + " comes from outside");
        }
        assertTrue(out.isValid(20, 20));
        assertTrue(out.isValid(20, 0) || out.isValid(20, 1), "edge midpoints stay inside under a rotation");
        float min = img.validRange()[0];
        assertEquals(min, out.get(0, 0), 1e-4f, "pixels from outside take the valid minimum");
    }

    @Test
    void zoomOutLeavesAnInvalidFrameAndZoomInKeepsAllValid() {
        GrayImage img = Radiographs.bodyFilling(40, 30, 2, 255f);
        GrayImage small = new AugmentStage(only(0, 0, 0, 0, 1, 1, 0, 0.5, 0.5, 1)).apply(img, training(1));
        assertFalse(small.isValid(0, 0));
        assertFalse(small.isValid(39, 29));
        assertTrue(small.isValid(20, 15));
        assertTrue(Math.abs(small.validCount() - img.size() / 4) <= 2 * (40 + 30), "about a quarter valid: " + small.validCount());
        GrayImage large = new AugmentStage(only(0, 0, 0, 0, 1, 1, 0, 2, 2, 1)).apply(img, training(1));
        assertEquals(img.size(), large.validCount());
    }

    @Test
    void brightnessScalesOnlyValidPixels() {
        GrayImage img = TestImages.random(10, 10, 1, 100f, 0.5);
        GrayImage out = new AugmentStage(only(0, 0, 0, 0, 2, 2, 1, 1, 1, 0)).apply(img, training(1));
        for (int i = 0; i < img.size(); i++) {
            float expected = img.unsafeMask()[i] ? 2 * img.unsafePixels()[i] : img.unsafePixels()[i];
            assertEquals(expected, out.unsafePixels()[i], 1e-4f);
        }
        assertArrayEquals(img.unsafeMask(), out.unsafeMask());
    }

    @Test
    void drawsDoNotDependOnOtherTransformsSettings() {
        // turning flips off must not change the rotation drawn for the same seed
        AugmentStage withFlips = new AugmentStage(only(0.5, 0.5, 30, 1, 1, 1, 0, 1, 1, 0));
        AugmentStage noFlips = new AugmentStage(only(0, 0, 30, 1, 1, 1, 0, 1, 1, 0));
        for (long seed = 0; seed < 10; seed++) {
            assertEquals(withFlips.draw(training(seed).random()).degrees(), noFlips.draw(training(seed).random()).degrees(), 0.0);
        }
    }

    @Test
    void tinyImagesWork() {
        AugmentStage all = new AugmentStage(only(1, 1, 30, 1, 1.2, 1.2, 1, 0.8, 0.8, 1));
        GrayImage one = GrayImage.filled(1, 1, 5f);
        GrayImage out = all.apply(one, training(1));
        assertEquals(1, out.width());
        assertEquals(1, out.unsafeMask().length);
        GrayImage none = GrayImage.of(3, 2, new float[6], new boolean[6]);
        assertEquals(0, all.apply(none, training(1)).validCount());
    }

    @Test
    void settingsAreValidatedNamingTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> only(1.5, 0, 0, 0, 1, 1, 0, 1, 1, 0));
        assertTrue(e.getMessage().contains("augment.flip-horizontal"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> only(0, 0, 0, 0, 1.2, 0.8, 0, 1, 1, 0));
        assertTrue(e.getMessage().contains("augment.brightness-min") && e.getMessage().contains("brightness-max"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> only(0, 0, 0, 0, 1, 1, 0, 1.2, 0.9, 0));
        assertTrue(e.getMessage().contains("zoom-min <= zoom-max"), e.getMessage());
        AugmentStageProvider p = new AugmentStageProvider();
        assertEquals(10, p.parameters().size());
        assertEquals(Settings.defaults(), ((AugmentStage) p.create(Map.of())).settings());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("rotate-degrees", "270")));
        assertTrue(e.getMessage().contains("augment.rotate-degrees"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("zoom-min", "1.5")));
        assertTrue(e.getMessage().contains("zoom-min"), e.getMessage());
    }

    @Test
    void inAPipelineOnlyTrainingAugments() {
        Pipeline p = Pipeline.create(List.of(PluginSpec.of("resize", "size", "32"), PluginSpec.of("pad", "size", "32"),
                PluginSpec.of("normalize"), PluginSpec.of("augment", "rotate-probability", "1", "flip-horizontal", "1")),
                PluginRegistry.load(getClass().getClassLoader()));
        GrayImage img = Radiographs.bodyFilling(50, 40, 1, 255f);
        GrayImage scoring = p.apply(img, false, 3).image();
        GrayImage train1 = p.apply(img, true, 3).image();
        GrayImage train2 = p.apply(img, true, 3).image();
        assertEquals(train1, train2);
        assertNotEquals(scoring, train1);
    }
}
