package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import java.util.List;
import java.util.Objects;

/**
 * Reads the {@link io.github.deepc.anomaly.core.model.OutputKind#LATENT} vectors out of model outputs for the
 * latent-space scorers, checking that they all have one length and finite values; every message names the scorer.
 */
public final class LatentVectors {
    private LatentVectors() {
    }

    /**
     * @param normals the model's outputs for the training normals, at least one
     * @param scorer  the scorer id, for messages
     * @return one row per output, the latent vector widened to double
     * @throws IllegalArgumentException for no outputs, an output without a latent vector, latent vectors of
     *                                  differing lengths or non-finite values
     */
    public static double[][] matrix(List<ModelOutput> normals, String scorer) {
        Objects.requireNonNull(normals, "normals");
        if (normals.isEmpty()) {
            throw new IllegalArgumentException(scorer + " scorer needs at least one training output to fit");
        }
        int dim = latentOf(normals.get(0), 0, scorer).length;
        if (dim == 0) {
            throw new IllegalArgumentException(scorer + " scorer: the model's latent vectors are empty");
        }
        double[][] x = new double[normals.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = widen(latentOf(normals.get(i), i, scorer), dim, "training output " + i, scorer);
        }
        return x;
    }

    /**
     * @param output one model output
     * @param dim    the latent length seen when fitting
     * @param scorer the scorer id, for messages
     * @return the latent vector widened to double
     * @throws IllegalArgumentException when its length differs from {@code dim} or a value is not finite
     */
    public static double[] vector(ModelOutput output, int dim, String scorer) {
        Objects.requireNonNull(output, "output");
        return widen(latentOf(output, -1, scorer), dim, "the scored output", scorer);
    }

    private static float[] latentOf(ModelOutput o, int index, String scorer) {
        if (o == null) {
            throw new IllegalArgumentException(scorer + " scorer: training output " + index + " is null");
        }
        try {
            return o.latent();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(scorer + " scorer reads latent vectors: " + e.getMessage(), e);
        }
    }

    private static double[] widen(float[] v, int dim, String where, String scorer) {
        if (v.length != dim) {
            throw new IllegalArgumentException(scorer + " scorer: " + where + " has a latent vector of " + v.length
                    + " values, expected " + dim + " (the length seen when fitting)");
        }
        double[] d = new double[dim];
        for (int j = 0; j < dim; j++) {
            if (!Float.isFinite(v[j])) {
                throw new IllegalArgumentException(scorer + " scorer: " + where + " has a non-finite latent value "
                        + v[j] + " at " + j);
            }
            d[j] = v[j];
        }
        return d;
    }
}
