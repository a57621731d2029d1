package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.FittedStageProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provides the {@code histogram-match} stage ({@link HistogramMatchStage}). Parameters: {@code points} (64: the
 * reference has {@code points + 1} quantiles) and {@code reference} (comma-separated ascending quantiles; empty, the
 * default, means "learn it from the training normals when the detector is fitted").
 */
public final class HistogramMatchStageProvider implements FittedStageProvider {
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.ofInt("points", 64, 1, 4096, "the reference has points + 1 quantiles"),
            ParameterSpec.ofString("reference", "",
                    "comma-separated ascending reference quantiles; empty = learned from the training normals"));

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public HistogramMatchStageProvider() {
    }

    @Override
    public String id() {
        return HistogramMatchStage.ID;
    }

    @Override
    public String description() {
        return "Matches each image's grey-level distribution to a reference learned from the training normals"
                + " (stored in the detector), cancelling exposure and contrast differences between acquisitions.";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    /**
     * The reference's range (matched pixels are interpolated between its quantiles, invalid ones get its minimum);
     * unknown until the reference is learned.
     */
    @Override
    public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
        String ref = params.getString("reference").trim();
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        float[] q = quantiles(ref);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : q) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? Optional.of(new ValueRange(lo, hi)) : Optional.empty();
    }

    @Override
    public PreprocessingStage create(Parameters params) {
        String ref = params.getString("reference").trim();
        if (ref.isEmpty()) {
            throw new IllegalStateException(HistogramMatchStage.ID + " has no reference yet: it is learned when the"
                    + " detector is fitted (or give reference=q0,q1,...)");
        }
        return new HistogramMatchStage(quantiles(ref));
    }

    private static float[] quantiles(String ref) {
        String[] parts = ref.split(",");
        float[] q = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                q[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter " + HistogramMatchStage.ID + ".reference: value " + i + " '"
                        + parts[i] + "' is not a number; expected comma-separated ascending numbers");
            }
        }
        return q;
    }

    @Override
    public boolean needsFit(Map<String, String> params) {
        String ref = params.get("reference");
        return ref == null || ref.isBlank();
    }

    @Override
    public Map<String, String> fit(Map<String, String> params, List<GrayImage> images) {
        int points = Parameters.parse(id(), PARAMETERS, params).getInt("points");
        double[] sum = new double[points + 1];
        int used = 0;
        for (GrayImage img : images) {
            float[] v = HistogramMatchStage.validSorted(img.unsafePixels(), img.unsafeMask(), HistogramMatchStage.ID);
            if (v.length == 0) {
                continue;
            }
            for (int j = 0; j <= points; j++) {
                sum[j] += v.length == 1 ? v[0] : HistogramMatchStage.quantile(v, j / (double) points);
            }
            used++;
        }
        if (used == 0) {
            throw new IllegalArgumentException(HistogramMatchStage.ID + ": none of the " + images.size()
                    + " training images has a valid pixel; cannot learn a reference histogram");
        }
        float[] ref = new float[points + 1];
        for (int j = 0; j <= points; j++) {
            ref[j] = (float) (sum[j] / used);
            if (j > 0 && ref[j] < ref[j - 1]) {
                ref[j] = ref[j - 1]; // guard against rounding: a mean of ascending sequences is ascending
            }
        }
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put("points", Integer.toString(points));
        out.put("reference", HistogramMatchStage.format(ref));
        return out;
    }
}
