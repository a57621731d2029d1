package io.github.deepc.anomaly.models.score.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.model.ModelOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneClassSvmScorerTest {
    /** A tight cluster at the origin. */
    private static final double[][] INLIERS = LatentOutputs.gaussian(200, 0, 0, 1, 11);
    /** Hand-placed outliers, far from the cluster. */
    private static final double[][] OUTLIERS = {{6, 6}, {-7, 1}, {0, -8}, {5, -5}};

    private static double score(OneClassSvmScorer s, double... p) {
        return s.score(LatentOutputs.of(p)).value();
    }

    private static double[] scores(OneClassSvmScorer s, double[][] points) {
        return Arrays.stream(points).mapToDouble(p -> score(s, p)).toArray();
    }

    @Test
    void rbfSeparatesHandPlacedOutliers() {
        OneClassSvmScorer s = new OneClassSvmScorer(SvmKernel.RBF, 0.1, "scale", 3, 0, true);
        assertTrue(s.needsFit());
        s.fit(LatentOutputs.of(INLIERS));
        // standardised 2-D data has overall variance 1: gamma = 1 / (2 * 1)
        assertEquals(0.5, s.fittedGamma(), 1e-6);
        double[] in = scores(s, INLIERS);
        double[] sorted = in.clone();
        Arrays.sort(sorted);
        double p95 = sorted[(int) (0.95 * sorted.length)];
        for (double[] o : OUTLIERS) {
            double v = score(s, o);
            assertTrue(v > 0, "outlier " + Arrays.toString(o) + " should lie outside (score " + v + ")");
            assertTrue(v > sorted[sorted.length - 1], "outlier " + Arrays.toString(o) + " scores " + v
                    + ", not above every training point (max " + sorted[sorted.length - 1] + ")");
        }
        assertTrue(p95 < score(s, OUTLIERS[0]));
        assertTrue(score(s, 0, 0) < 0, "the centre of the cluster is inside");
        // nu bounds the fraction of training outliers from above and of support vectors from below
        long outside = Arrays.stream(in).filter(v -> v > 1e-9).count();
        assertTrue(outside <= 0.1 * in.length + 2, outside + " training points outside for nu=0.1");
        assertTrue(s.supportVectorCount() >= 0.1 * in.length - 1, s.supportVectorCount() + " support vectors");
    }

    @Test
    void everyKernelTrainsAndRanksTheFarOutlierHigher() {
        for (SvmKernel k : SvmKernel.values()) {
            OneClassSvmScorer s = new OneClassSvmScorer(k, 0.2, "auto", 2, 1.0, true);
            s.fit(LatentOutputs.of(INLIERS));
            assertEquals(0.5, s.fittedGamma(), 1e-12, k.word());
            if (k == SvmKernel.RBF) {
                assertTrue(score(s, 6, 6) > score(s, 0, 0), k.word());
            }
            assertTrue(Double.isFinite(score(s, 6, 6)), k.word());
        }
    }

    @Test
    void numericGammaAndParameterErrors() {
        OneClassSvmScorer s = new OneClassSvmScorer(SvmKernel.RBF, 0.1, "0.25", 3, 0, false);
        s.fit(LatentOutputs.of(INLIERS));
        assertEquals(0.25, s.fittedGamma());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new OneClassSvmScorer(SvmKernel.RBF, 0.1, "-1", 3, 0, true));
        assertTrue(g.getMessage().contains("one-class-svm.gamma='-1'"), g.getMessage());
        IllegalArgumentException nu = assertThrows(IllegalArgumentException.class,
                () -> new OneClassSvmScorer(SvmKernel.RBF, 0, "scale", 3, 0, true));
        assertTrue(nu.getMessage().contains("one-class-svm.nu"), nu.getMessage());
        IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class, () -> SvmKernel.of("cubic"));
        assertTrue(kernel.getMessage().contains("rbf, linear, poly, sigmoid"), kernel.getMessage());
        IllegalStateException unfitted = assertThrows(IllegalStateException.class,
                () -> new OneClassSvmScorer(SvmKernel.RBF, 0.1, "scale", 3, 0, true).score(LatentOutputs.of(1, 1)));
        assertTrue(unfitted.getMessage().contains("not fitted"), unfitted.getMessage());
    }

    @Test
    void saveAndLoadGiveIdenticalScores() throws IOException {
        OneClassSvmScorer s = new OneClassSvmScorer(SvmKernel.RBF, 0.1, "scale", 3, 0, true);
        s.fit(LatentOutputs.of(INLIERS));
        OneClassSvmScorer loaded = LatentOutputs.roundTrip(s,
                new OneClassSvmScorer(SvmKernel.RBF, 0.1, "scale", 3, 0, true));
        List<ModelOutput> queries = LatentOutputs.of(LatentOutputs.concat(OUTLIERS, LatentOutputs.gaussian(30, 1, 0, 2, 5)));
        for (ModelOutput q : queries) {
            assertEquals(s.score(q).value(), loaded.score(q).value());
        }
        assertEquals(s.supportVectorCount(), loaded.supportVectorCount());
        byte[] state = LatentOutputs.state(s);
        IOException other = assertThrows(IOException.class,
                () -> new OneClassSvmScorer(SvmKernel.LINEAR, 0.1, "scale", 3, 0, true)
                        .readState(new ByteArrayInputStream(state)));
        assertTrue(other.getMessage().contains("kernel=rbf"), other.getMessage());
    }

    @Test
    void fittingLeavesTheApplicationsLibsvmPrintHookInPlace() {
        List<String> printed = new java.util.ArrayList<>();
        libsvm.svm_print_interface mine = printed::add;
        libsvm.svm.svm_set_print_string_function(mine);
        try {
            new OneClassSvmScorer(SvmKernel.RBF, 0.1, "scale", 3, 0, true).fit(LatentOutputs.of(INLIERS));
            assertTrue(LibsvmTraining.currentHook() == mine, "the application's hook is back after fitting");
            assertEquals(List.of(), printed, "libsvm's own lines went to the debug log, not to the application's hook");
        } finally {
            libsvm.svm.svm_set_print_string_function(null);
        }
    }
}
