package io.github.deepc.anomaly.core.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandPhantomGeneratorTest {
    private static final int SIZE = 64;
    private static final HandPhantomGenerator GEN = HandPhantomGenerator.ofSize(SIZE);

    @ParameterizedTest
    @EnumSource(AnomalyKind.class)
    void sameSeedGivesBitIdenticalPhantomsAcrossInstances(AnomalyKind kind) {
        Phantom a = GEN.generate(42, kind);
        Phantom b = HandPhantomGenerator.ofSize(SIZE).generate(42, kind);
        assertArrayEquals(a.image().pixels(), b.image().pixels());
        assertArrayEquals(a.anomalyMask(), b.anomalyMask());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        assertNotEquals(GEN.generate(1, AnomalyKind.NONE).image(), GEN.generate(2, AnomalyKind.NONE).image());
    }

    @ParameterizedTest
    @EnumSource(AnomalyKind.class)
    void phantomHasRequestedShapeValuesAndKind(AnomalyKind kind) {
        Phantom p = GEN.generate(7, kind);
        GrayImage img = p.image();
        assertEquals(SIZE, img.width());
        assertEquals(SIZE, img.height());
        assertEquals(img.size(), img.validCount());
        for (float v : img.pixels()) {
            assertTrue(v >= 0f && v <= 1f, "value out of [0,1]: " + v);
        }
        assertEquals(kind, p.kind());
        assertEquals(7, p.seed());
        assertEquals(kind != AnomalyKind.NONE, p.isAbnormal());
        assertEquals(kind == AnomalyKind.NONE, p.anomalyPixelCount() == 0);
    }

    @ParameterizedTest
    @EnumSource(value = AnomalyKind.class, names = {"FRACTURE", "IMPLANT", "LESION"})
    void anomalyChangesPixelsOnlyInsideItsMask(AnomalyKind kind) {
        for (long seed = 0; seed < 12; seed++) {
            Phantom normal = GEN.generate(seed, AnomalyKind.NONE);
            Phantom abnormal = GEN.generate(seed, kind);
            float[] n = normal.image().pixels();
            float[] a = abnormal.image().pixels();
            boolean[] mask = abnormal.anomalyMask();
            double insideDiff = 0;
            int inside = 0;
            for (int i = 0; i < n.length; i++) {
                if (mask[i]) {
                    insideDiff += Math.abs(a[i] - n[i]);
                    inside++;
                } else {
                    assertEquals(n[i], a[i], "seed " + seed + ": pixel " + i + " outside the mask changed");
                }
            }
            assertTrue(inside > 0, "empty mask for " + kind + " seed " + seed);
            assertTrue(insideDiff / inside > 0.02, kind + " seed " + seed + " barely changes its mask: "
                    + insideDiff / inside);
        }
    }

    @Test
    void bonesAreBrighterThanTissueBrighterThanAir() {
        for (long seed = 0; seed < 10; seed++) {
            byte[] regions = GEN.regions(seed);
            float[] p = GEN.generate(seed, AnomalyKind.NONE).image().pixels();
            double[] sum = new double[5];
            int[] count = new int[5];
            for (int i = 0; i < p.length; i++) {
                sum[regions[i]] += p[i];
                count[regions[i]]++;
            }
            for (byte r : new byte[] {HandPhantomGenerator.AIR, HandPhantomGenerator.TISSUE, HandPhantomGenerator.BONE}) {
                assertTrue(count[r] > 10, "seed " + seed + ": too few pixels of region " + r);
            }
            double air = sum[HandPhantomGenerator.AIR] / count[HandPhantomGenerator.AIR];
            double tissue = sum[HandPhantomGenerator.TISSUE] / count[HandPhantomGenerator.TISSUE];
            double bone = sum[HandPhantomGenerator.BONE] / count[HandPhantomGenerator.BONE];
            assertTrue(air + 0.1 < tissue, "seed " + seed + ": air " + air + " vs tissue " + tissue);
            assertTrue(tissue + 0.1 < bone, "seed " + seed + ": tissue " + tissue + " vs bone " + bone);
        }
    }

    @Test
    void sideMarkerIsVeryBrightAndInACorner() {
        for (long seed = 0; seed < 10; seed++) {
            byte[] regions = GEN.regions(seed);
            float[] p = GEN.generate(seed, AnomalyKind.NONE).image().pixels();
            float max = 0;
            for (int i = 0; i < p.length; i++) {
                if (regions[i] == HandPhantomGenerator.MARKER) {
                    int x = i % SIZE;
                    int y = i / SIZE;
                    assertTrue(Math.min(x, SIZE - 1 - x) < SIZE / 4 && Math.min(y, SIZE - 1 - y) < SIZE / 4,
                            "marker pixel away from the corners at " + x + "," + y);
                    max = Math.max(max, p[i]);
                }
            }
            assertTrue(max > 0.9f, "seed " + seed + ": marker not very bright: " + max);
        }
        HandPhantomGenerator plain = HandPhantomGenerator.builder(SIZE).marker(false).build();
        for (byte r : plain.regions(3)) {
            assertNotEquals(HandPhantomGenerator.MARKER, r);
        }
    }

    @Test
    void normalsAndAbnormalsUseConsecutiveSeedsAndCycleKinds() {
        List<Phantom> normals = GEN.normals(100, 3);
        assertEquals(3, normals.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(100 + i, normals.get(i).seed());
            assertEquals(AnomalyKind.NONE, normals.get(i).kind());
            assertFalse(normals.get(i).isAbnormal());
        }
        List<Phantom> abnormals = GEN.abnormals(200, 4);
        assertEquals(List.of(AnomalyKind.FRACTURE, AnomalyKind.IMPLANT, AnomalyKind.LESION, AnomalyKind.FRACTURE),
                abnormals.stream().map(Phantom::kind).toList());
        for (int i = 0; i < 4; i++) {
            assertEquals(200 + i, abnormals.get(i).seed());
            assertEquals(GEN.generate(200 + i, abnormals.get(i).kind()), abnormals.get(i));
        }
        assertTrue(GEN.normals(5, 0).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> GEN.abnormals(5, -1));
    }

    @Test
    void settingsChangeTheImageAndAreValidated() {
        HandPhantomGenerator quiet = HandPhantomGenerator.builder(SIZE).noise(0, 0).gradient(0).rotation(0)
                .scale(1, 1).translation(0).fingerSpread(0).gain(1, 1).offset(0, 0).build();
        assertNotEquals(GEN.generate(9, AnomalyKind.NONE).image(), quiet.generate(9, AnomalyKind.NONE).image());
        assertEquals(quiet.generate(9, AnomalyKind.NONE), quiet.generate(9, AnomalyKind.NONE));
        assertEquals(SIZE, quiet.size());
        assertEquals(0, quiet.maxRotationDegrees());
        assertThrows(IllegalArgumentException.class, () -> HandPhantomGenerator.ofSize(31));
        assertThrows(IllegalArgumentException.class, () -> HandPhantomGenerator.builder(64).scale(1.1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> HandPhantomGenerator.builder(64).rotation(-1));
        assertThrows(IllegalArgumentException.class, () -> HandPhantomGenerator.builder(64).noise(0, Double.NaN));
        assertThrows(NullPointerException.class, () -> GEN.generate(1, null));
    }

    @Test
    void smallestSizeWorksForEveryKind() {
        HandPhantomGenerator tiny = HandPhantomGenerator.ofSize(HandPhantomGenerator.MIN_SIZE);
        for (long seed = 0; seed < 20; seed++) {
            for (AnomalyKind kind : AnomalyKind.anomalies()) {
                assertTrue(tiny.generate(seed, kind).anomalyPixelCount() > 0);
            }
        }
    }
}
