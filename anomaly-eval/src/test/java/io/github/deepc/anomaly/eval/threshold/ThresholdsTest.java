package io.github.deepc.anomaly.eval.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.detector.Threshold;
import io.github.deepc.anomaly.eval.scores.ScoreRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Threshold selection on hand-made score sets, with the exact expected thresholds and confusion matrices. */
class ThresholdsTest {
    private static List<ScoreRow> rows(double[] normals, double[] abnormals) {
        List<ScoreRow> out = new ArrayList<>();
        for (double s : normals) {
            out.add(new ScoreRow("n" + s, "n" + s, Label.NORMAL, s));
        }
        for (double s : abnormals) {
            out.add(new ScoreRow("a" + s, "a" + s, Label.ABNORMAL, s));
        }
        out.add(new ScoreRow("u", "u", Label.UNKNOWN, 99));
        return out;
    }

    @Test
    void maxF1PicksTheBestValidationScore() {
        // F1 by threshold: 0.6 -> 0.5, 0.5 -> 0.8, 0.4 -> 0.667, 0.35 -> 6/7, 0.3 -> 0.75, ...
        Threshold t = Thresholds.maxF1(rows(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.35, 0.5, 0.6}));
        assertEquals(0.35, t.value());
        assertEquals("f1", t.method());
        assertTrue(t.description().contains("0.8571"), t.description());

        ThresholdReport r = ThresholdReport.of(t, rows(new double[] {0.05, 0.36, 0.2}, new double[] {0.34, 0.9, 0.35}));
        assertEquals(new ConfusionMatrix(2, 1, 2, 1), r.matrix());
        assertEquals(2.0 / 3, r.precision());
        assertEquals(2.0 / 3, r.recall());
        assertEquals(2.0 / 3, r.specificity());
        assertEquals(2.0 / 3, r.f1());
        assertEquals(6, r.matrix().total(), "unlabelled rows are not counted");
    }

    @Test
    void maxF1BreaksTiesTowardsTheHigherThreshold() {
        // 0.9 -> TP 1, FP 0, FN 1: F1 2/3; 0.4 -> TP 2, FP 2, FN 0: F1 2/3 as well
        Threshold t = Thresholds.maxF1(rows(new double[] {0.5, 0.45, 0.1}, new double[] {0.9, 0.4}));
        assertEquals(0.9, t.value());
    }

    @Test
    void maxF1NeedsAnAbnormalImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Thresholds.maxF1(rows(new double[] {0.1}, new double[0])));
        assertTrue(e.getMessage().contains("abnormal"), e.getMessage());
    }

    @Test
    void falsePositiveRateThresholdIsJustAboveTheAllowedNormals() {
        double[] normals = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        List<ScoreRow> validation = rows(normals, new double[] {0.85});
        Threshold t = Thresholds.forFalsePositiveRate(validation, 0.2);
        assertEquals(Math.nextUp(0.8), t.value(), "two of ten normals (0.9, 1.0) may be called abnormal");
        assertEquals("fpr", t.method());
        assertEquals(Math.nextUp(0.8), Thresholds.forFalsePositiveRate(validation, 0.25).value());
        assertEquals(Math.nextUp(1.0), Thresholds.forFalsePositiveRate(validation, 0.0).value(), "no false positive");
        assertEquals(0.1, Thresholds.forFalsePositiveRate(validation, 1.0).value(), "every normal may be flagged");
        ConfusionMatrix m = ConfusionMatrix.of(validation, t);
        assertEquals(new ConfusionMatrix(1, 2, 8, 0), m);
        assertEquals(0.2, m.falsePositiveRate(), 1e-12);

        ThresholdReport test = ThresholdReport.of(t, rows(new double[] {0.8, 0.81, 0.2}, new double[] {0.8, 0.95}));
        assertEquals(new ConfusionMatrix(1, 1, 2, 1), test.matrix());
        assertEquals(0.5, test.precision());
        assertEquals(0.5, test.recall());
        assertEquals(2.0 / 3, test.specificity());
    }

    @Test
    void tiedNormalScoresAreNeverSplit() {
        Threshold t = Thresholds.forFalsePositiveRate(rows(new double[] {0.5, 0.5, 0.5, 0.1}, new double[0]), 0.5);
        assertEquals(Math.nextUp(0.5), t.value(), "two of the three tied normals cannot be flagged alone");
    }

    @Test
    void fixedAndChoose() {
        assertEquals(0.25, Thresholds.choose(ThresholdMethod.FIXED, List.of(), 0, 0.25).value());
        assertEquals("fixed", Thresholds.fixed(1).method());
        assertThrows(IllegalArgumentException.class, () -> Thresholds.choose(ThresholdMethod.FIXED, List.of(), 0, null));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.forFalsePositiveRate(rows(new double[] {1}, new double[0]), 1.5));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.forFalsePositiveRate(rows(new double[0], new double[] {1}), 0.1));
        assertEquals(ThresholdMethod.FPR, ThresholdMethod.parse("FPR"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdMethod.parse("youden"));
        assertTrue(e.getMessage().contains("f1"), e.getMessage());
    }

    @Test
    void ratiosWithoutDenominatorAreNaN() {
        ConfusionMatrix nothingCalled = new ConfusionMatrix(0, 0, 3, 2);
        assertTrue(Double.isNaN(nothingCalled.precision()));
        assertEquals(0.0, nothingCalled.recall());
        assertEquals(1.0, nothingCalled.specificity());
        assertEquals(0.0, nothingCalled.f1());
    }
}
