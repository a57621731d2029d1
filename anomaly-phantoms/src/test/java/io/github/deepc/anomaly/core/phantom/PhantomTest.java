package io.github.deepc.anomaly.core.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import org.junit.jupiter.api.Test;

class PhantomTest {
    private static final GrayImage IMG = GrayImage.filled(4, 4, 0.5f);

    @Test
    void maskIsCopiedOnTheWayInAndOut() {
        boolean[] mask = new boolean[16];
        mask[3] = true;
        Phantom p = new Phantom(IMG, mask, AnomalyKind.LESION, 1);
        mask[3] = false;
        assertTrue(p.anomalyMask()[3]);
        p.anomalyMask()[3] = false;
        assertTrue(p.anomalyMask()[3]);
        assertEquals(1, p.anomalyPixelCount());
        assertEquals(1f, p.maskImage().get(3, 0));
        assertEquals(0f, p.maskImage().get(0, 0));
        assertTrue(p.isAbnormal());
    }

    @Test
    void rejectsInconsistentGroundTruth() {
        boolean[] empty = new boolean[16];
        boolean[] one = new boolean[16];
        one[0] = true;
        assertThrows(IllegalArgumentException.class, () -> new Phantom(IMG, empty, AnomalyKind.FRACTURE, 1));
        assertThrows(IllegalArgumentException.class, () -> new Phantom(IMG, one, AnomalyKind.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> new Phantom(IMG, new boolean[15], AnomalyKind.NONE, 1));
        assertFalse(new Phantom(IMG, empty, AnomalyKind.NONE, 1).isAbnormal());
    }

    @Test
    void kindsKnowTheirFileTags() {
        assertEquals("implant", AnomalyKind.IMPLANT.fileTag());
        assertFalse(AnomalyKind.anomalies().contains(AnomalyKind.NONE));
        assertEquals(3, AnomalyKind.anomalies().size());
    }
}
