package io.github.deepc.anomaly.models.score.latent;

import java.util.Locale;

/**
 * The {@code gamma} setting of {@link OneClassSvmScorer}: a positive number, {@code scale} (scikit-learn's default,
 * {@code 1 / (n_features * X.var())} with the variance over all entries of the standardised training matrix, 1 when
 * that variance is 0) or {@code auto} ({@code 1 / n_features}).
 *
 * @param mode  {@code scale}, {@code auto} or {@code value}
 * @param value the number for mode {@code value}, else 0
 */
record SvmGamma(String mode, double value) {
    /** The default. */
    static final String SCALE = "scale";
    private static final String AUTO = "auto";
    private static final String VALUE = "value";

    /**
     * @param raw the parameter text
     * @return the setting
     * @throws IllegalArgumentException naming the parameter when the text is neither word nor a positive number
     */
    static SvmGamma parse(String raw) {
        String v = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (v.equals(SCALE) || v.equals(AUTO)) {
            return new SvmGamma(v, 0);
        }
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && Double.isFinite(d)) {
                return new SvmGamma(VALUE, d);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("parameter one-class-svm.gamma='" + raw
                + "' is not valid; expected scale, auto or a positive number");
    }

    /**
     * @param x the standardised training rows the SVM is fitted on
     * @return the kernel coefficient to use
     */
    double resolve(float[][] x) {
        int d = x[0].length;
        return switch (mode) {
            case AUTO -> 1.0 / d;
            case SCALE -> {
                double sum = 0;
                long n = 0;
                for (float[] row : x) {
                    for (float f : row) {
                        sum += f;
                        n++;
                    }
                }
                double mean = sum / n;
                double ss = 0;
                for (float[] row : x) {
                    for (float f : row) {
                        ss += (f - mean) * (f - mean);
                    }
                }
                double var = ss / n;
                yield var > 0 ? 1.0 / (d * var) : 1.0;
            }
            default -> value;
        };
    }

    @Override
    public String toString() {
        return mode.equals(VALUE) ? Double.toString(value) : mode;
    }
}
