package io.github.deepc.anomaly.models.score.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbscanScorerTest {
    /** Two dense clusters of 60 points each. */
    private static final double[][] CLUSTERS = LatentOutputs.concat(LatentOutputs.gaussian(60, 0, 0, 0.3, 21),
            LatentOutputs.gaussian(60, 5, 5, 0.3, 22));
    /** Isolated points, each far from both clusters and from each other. */
    private static final double[][] OUTLIERS = {{10, -3}, {-4, 8}, {2.5, 12}};

    private static double score(DbscanScorer s, double... p) {
        return s.score(LatentOutputs.of(p)).value();
    }

    @Test
    void heuristicRadiusFindsTheClustersAndTheNoise() {
        DbscanScorer s = new DbscanScorer(0, 5, false);
        assertTrue(s.needsFit());
        s.fit(LatentOutputs.of(LatentOutputs.concat(CLUSTERS, OUTLIERS)));
        assertEquals(2, s.clusterCount(), s.toString());
        assertEquals(OUTLIERS.length, s.noiseCount(), s.toString());
        assertTrue(s.fittedEps() > 0.05 && s.fittedEps() < 2, "eps " + s.fittedEps());
        for (double[] o : OUTLIERS) {
            assertTrue(score(s, o) > 1, Arrays.toString(o) + " should be noise: " + score(s, o));
        }
        for (double[] p : new double[][] {{0, 0}, {5, 5}, {0.1, -0.1}}) {
            assertTrue(score(s, p) <= 1, Arrays.toString(p) + " should be in a cluster: " + score(s, p));
        }
        assertTrue(score(s, 2.5, 2.5) > 1, "between the clusters is empty");
        assertTrue(score(s, 20, 20) > score(s, 8, 8), "farther is more abnormal");
    }

    @Test
    void corePointsCountThemselves() {
        // min-pts 3, eps 1: A has B (0.5) and C (1.0) within eps, three with itself: core; so are B and C. D is alone.
        double[][] pts = {{0, 0}, {0.5, 0}, {1.0, 0}, {5, 0}};
        DbscanScorer s = new DbscanScorer(1.0, 3, false);
        s.fit(LatentOutputs.of(pts));
        assertEquals(3, s.coreCount());
        assertEquals(1, s.clusterCount());
        assertEquals(1, s.noiseCount());
        assertEquals(1.0, s.fittedEps());
        // nearest core point of (3, 0) is C at distance 2
        assertEquals(2.0, score(s, 3, 0), 1e-12);
        assertEquals(0.0, score(s, 0.5, 0), 1e-12);
        DbscanScorer strict = new DbscanScorer(1.0, 4, false);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> strict.fit(LatentOutputs.of(pts)));
        assertTrue(none.getMessage().contains("no core point") && none.getMessage().contains("min-pts=4"),
                none.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> new DbscanScorer(0, 5, false).fit(LatentOutputs.of(pts)));
        assertTrue(few.getMessage().contains("dbscan.min-pts=5"), few.getMessage());
    }

    @Test
    void duplicatePointsAreSeparatePoints() {
        // Commons Math keys visited points by equality; identical latents must still count as separate points
        double[][] pts = {{1, 1}, {1, 1}, {1, 1}, {9, 9}};
        DbscanScorer s = new DbscanScorer(0.5, 3, false);
        s.fit(LatentOutputs.of(pts));
        assertEquals(3, s.coreCount());
        assertEquals(1, s.noiseCount());
    }

    @Test
    void kDistancesUseTheSameConvention() {
        double[][] line = {{0}, {1}, {2}, {3}, {10}};
        PointSet ps = new PointSet(Standardizer.fit(line, false).applyToFloats(line), 1);
        // min-pts 2: the nearest other point; min-pts 3: the second nearest other point
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 7.0), Arrays.stream(KDistance.of(ps, 2)).boxed().toList());
        assertEquals(List.of(2.0, 1.0, 1.0, 2.0, 8.0), Arrays.stream(KDistance.of(ps, 3)).boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> KDistance.of(ps, 6));
    }

    @Test
    void kneeOfAConstructedCurve() {
        // a slow linear rise over 90 points, then a steep tail of 10: the knee is the last slow point
        double[] curve = new double[100];
        for (int i = 0; i < 90; i++) {
            curve[i] = 1 + 0.01 * i;
        }
        for (int i = 90; i < 100; i++) {
            curve[i] = 1.9 + (i - 89);
        }
        assertEquals(89, KDistance.knee(curve));
        double[] shuffled = curve.clone();
        for (int i = 0; i < shuffled.length; i++) {
            int j = (i * 37) % shuffled.length;
            double t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        assertEquals(1.89, KDistance.eps(shuffled), 1e-12);
        assertEquals(0, KDistance.knee(new double[] {2, 2, 2, 2}));
        assertEquals(0.5, KDistance.eps(new double[] {0, 0, 0, 0.5}), "zero knee falls back to the smallest positive");
        assertEquals(1.0, KDistance.eps(new double[] {0, 0, 0}), "coinciding points fall back to 1");
    }

    @Test
    void saveAndLoadGiveIdenticalScores() throws IOException {
        DbscanScorer s = new DbscanScorer(0, 5, true);
        s.fit(LatentOutputs.of(LatentOutputs.concat(CLUSTERS, OUTLIERS)));
        DbscanScorer loaded = LatentOutputs.roundTrip(s, new DbscanScorer(0, 5, true));
        for (double[] q : LatentOutputs.concat(OUTLIERS, LatentOutputs.gaussian(20, 2, 2, 3, 9))) {
            assertEquals(score(s, q), score(loaded, q));
        }
        assertEquals(s.fittedEps(), loaded.fittedEps());
        assertEquals(s.coreCount(), loaded.coreCount());
        assertEquals(s.clusterCount(), loaded.clusterCount());
        IOException other = assertThrows(IOException.class, () -> LatentOutputs.roundTrip(s, new DbscanScorer(0, 4, true)));
        assertTrue(other.getMessage().contains("min-pts=5"), other.getMessage());
    }
}
