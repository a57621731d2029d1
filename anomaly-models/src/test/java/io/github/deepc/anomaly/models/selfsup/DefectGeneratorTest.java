package io.github.deepc.anomaly.models.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each defect kind does, the size range (small and thin defects included), and the errors. */
class DefectGeneratorTest {
    private static final int SIDE = 64;

    @Test
    void everyKindMakesVisibleDefectsOfItsOwnKind() {
        GrayImage image = DefectGeneratorProperties.randomImage(SIDE, SIDE, 1, false);
        GrayImage donor = DefectGeneratorProperties.randomImage(SIDE, SIDE, 2, false);
        for (DefectKind kind : DefectKind.values()) {
            DefectGenerator g = new DefectGenerator(EnumSet.of(kind), 0.05, 0.3, 0.02);
            int made = 0;
            for (long seed = 0; seed < 40; seed++) {
                Defect d = g.generate(image, donor, seed);
                if (d.kind() != null) {
                    assertEquals(kind, d.kind());
                    made++;
                }
            }
            assertTrue(made >= 36, kind + " made only " + made + " of 40 defects");
        }
    }

    @Test
    void sizesSpanSmallThinAndLargeDefectsWithinTheBounds() {
        GrayImage image = DefectGeneratorProperties.randomImage(SIDE, SIDE, 3, false);
        DefectGenerator g = new DefectGenerator(EnumSet.of(DefectKind.NOISE), 0.03, 0.3, 0.001);
        int small = 0;
        int large = 0;
        // the largest region: major axis 0.3 * 64 = 19.2 px, radius up to 1.6x by the harmonics
        double bound = Math.PI * Math.pow(19.2 / 2 * 1.6 + 1, 2);
        for (long seed = 0; seed < 300; seed++) {
            int area = g.generate(image, null, seed).area();
            assertTrue(area <= bound, "area " + area + " above " + bound);
            small += area <= 8 ? 1 : 0;
            large += area >= 100 ? 1 : 0;
        }
        assertTrue(small >= 20, "only " + small + " defects of at most 8 pixels");
        assertTrue(large >= 20, "only " + large + " defects of at least 100 pixels");
    }

    @Test
    void kindsAreDrawnUniformlyAndForeignPatchesNeedADonor() {
        GrayImage image = DefectGeneratorProperties.randomImage(SIDE, SIDE, 4, true);
        GrayImage donor = DefectGeneratorProperties.randomImage(SIDE, SIDE, 5, true);
        DefectGenerator all = new DefectGenerator(EnumSet.allOf(DefectKind.class), 0.05, 0.3, 0.02);
        Map<DefectKind, Integer> counts = new EnumMap<>(DefectKind.class);
        for (long seed = 0; seed < 500; seed++) {
            counts.merge(all.generate(image, donor, seed).kind(), 1, Integer::sum);
        }
        for (DefectKind k : DefectKind.values()) {
            assertTrue(counts.getOrDefault(k, 0) >= 60, k + " drawn " + counts.get(k) + " times of 500");
        }
        for (long seed = 0; seed < 50; seed++) {
            assertNotEquals(DefectKind.FOREIGN_PATCH, all.generate(image, null, seed).kind(), "no donor, no foreign patch");
        }
        DefectGenerator foreign = new DefectGenerator(EnumSet.of(DefectKind.FOREIGN_PATCH), 0.05, 0.3, 0.02);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> foreign.generate(image, null, 1));
        assertTrue(e.getMessage().contains("donor"), e.getMessage());
        GrayImage wrongSize = GrayImage.filled(SIDE, SIDE / 2, 0.5f);
        e = assertThrows(IllegalArgumentException.class, () -> all.generate(image, wrongSize, 1));
        assertTrue(e.getMessage().contains("64x32"), e.getMessage());
    }

    @Test
    void aFlatImageGetsNoCutPasteDefect() {
        GrayImage flat = GrayImage.filled(16, 16, 0.5f);
        Defect d = new DefectGenerator(EnumSet.of(DefectKind.CUT_PASTE), 0.1, 0.5, 0.02).generate(flat, null, 9);
        assertEquals(0, d.area());
        assertEquals(null, d.kind());
        assertEquals(flat, d.image());
    }

    @Test
    void badParametersAreNamed() {
        Set<DefectKind> k = EnumSet.of(DefectKind.BLUR);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DefectGenerator(k, 0, 0.3, 0.02))
                .getMessage().contains("min-defect-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DefectGenerator(k, 0.3, 0.2, 0.02))
                .getMessage().contains("max-defect-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DefectGenerator(k, 0.1, 0.2, 1))
                .getMessage().contains("min-change"));
        assertThrows(IllegalArgumentException.class, () -> new DefectGenerator(EnumSet.noneOf(DefectKind.class), 0.1, 0.2, 0.1));
        assertEquals(EnumSet.of(DefectKind.CUT_PASTE, DefectKind.BLUR), DefectKind.parseList(" blur, Cut-Paste ,"));
        assertEquals(EnumSet.allOf(DefectKind.class), DefectKind.parseList("all"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DefectKind.parseList("blur,scratch"));
        assertTrue(e.getMessage().contains("scratch") && e.getMessage().contains("foreign-patch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DefectKind.parseList(" , "));
        GrayImage none = GrayImage.of(2, 2, new float[4], new boolean[4]);
        assertFalse(assertThrows(IllegalArgumentException.class,
                () -> new DefectGenerator(k, 0.1, 0.5, 0.02).generate(none, null, 1)).getMessage().isEmpty());
    }
}
