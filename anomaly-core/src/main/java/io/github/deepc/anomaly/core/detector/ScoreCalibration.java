package io.github.deepc.anomaly.core.detector;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.deepc.anomaly.core.spi.Choice;
import io.github.deepc.anomaly.core.spi.Choices;
import java.util.Arrays;

/**
 * How one ensemble member's scores are put on a common footing: learned from the member's scores of held-out
 * training normals (the calibration part), so that members whose raw scores live on different scales (a cosine
 * distance, a squared error, a patch distance) can be averaged.
 *
 * @param median the calibration scores' median
 * @param scale  their robust spread, 1.4826 x the median absolute deviation (the standard deviation for normal data);
 *               the interquartile range / 1.349 or the standard deviation when that is 0, and 1 when all are equal
 * @param sorted the calibration scores, ascending (for {@link Method#RANK})
 */
public record ScoreCalibration(@JsonProperty("median") double median, @JsonProperty("scale") double scale,
                               @JsonProperty("sorted") double[] sorted) {
    /** The ways to normalise a member's score. */
    public enum Method implements Choice {
        /** {@code (score - median) / scale}: unbounded, keeps how far beyond the normals an image lies. */
        ROBUST_Z("robust-z"),
        /** The fraction of calibration normals scoring lower (ties count half): in [0, 1], robust to outliers. */
        RANK("rank");

        private final String word;

        Method(String word) {
            this.word = word;
        }

        @Override
        public String word() {
            return word;
        }

        /**
         * @param word a method's word
         * @return the method
         * @throws IllegalArgumentException naming the known words
         */
        public static Method of(String word) {
            return Choices.parse(Method.class, "combine", word);
        }
    }

    /**
     * @param scores a member's scores of the calibration normals, at least one, finite
     * @return the calibration
     */
    public static ScoreCalibration of(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no calibration scores: an ensemble needs held-out normals to calibrate on");
        }
        double[] s = scores.clone();
        Arrays.sort(s);
        double median = quantile(s, 0.5);
        double[] dev = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            dev[i] = Math.abs(s[i] - median);
        }
        Arrays.sort(dev);
        double scale = 1.4826 * quantile(dev, 0.5);
        if (!(scale > 0)) {
            scale = (quantile(s, 0.75) - quantile(s, 0.25)) / 1.349;
        }
        if (!(scale > 0)) {
            double mean = Arrays.stream(s).average().orElse(0);
            scale = Math.sqrt(Arrays.stream(s).map(v -> (v - mean) * (v - mean)).sum() / s.length);
        }
        if (!(scale > 0)) {
            scale = 1.0;
        }
        return new ScoreCalibration(median, scale, s);
    }

    /**
     * @param score  a raw score of this member
     * @param method how to normalise
     * @return the normalised score
     */
    public double normalise(double score, Method method) {
        if (method == Method.ROBUST_Z) {
            return (score - median) / scale;
        }
        int below = lowerBound(score);
        int upTo = upperBound(score);
        return (below + 0.5 * (upTo - below)) / sorted.length;
    }

    private int lowerBound(double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Linear-interpolation quantile of sorted values (numpy's default). */
    private static double quantile(double[] sorted, double q) {
        double x = q * (sorted.length - 1);
        int i = (int) Math.floor(x);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreCalibration c && Double.compare(c.median, median) == 0
                && Double.compare(c.scale, scale) == 0 && Arrays.equals(c.sorted, sorted);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(median) + Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        return "ScoreCalibration[median=" + median + ", scale=" + scale + ", n=" + sorted.length + "]";
    }
}
