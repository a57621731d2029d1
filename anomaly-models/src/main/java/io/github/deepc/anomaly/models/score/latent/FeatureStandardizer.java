package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/**
 * How the latent-space scorers turn model outputs into the features they work on: the training latents, checked and
 * optionally standardised on themselves, then rounded to float (the precision the scorers keep and save them in);
 * a scored output's latent, standardised the same way; and the standardiser's part of a saved state. Every message
 * names the scorer. Immutable.
 */
final class FeatureStandardizer {
    private final String scorer;
    private final boolean enabled;

    /**
     * What fitting produced.
     *
     * @param scaler the standardiser fitted on the training latents (the identity when disabled)
     * @param points the standardised training latents, as floats
     */
    record Training(Standardizer scaler, float[][] points) {
        /** @return the standardised training latents as a point set for nearest-neighbour queries */
        PointSet pointSet() {
            return new PointSet(points, scaler.dimension());
        }
    }

    /**
     * @param scorer  the scorer id, for messages
     * @param enabled whether to standardise each feature on the training latents
     */
    FeatureStandardizer(String scorer, boolean enabled) {
        this.scorer = scorer;
        this.enabled = enabled;
    }

    /** @return whether features are standardised */
    boolean enabled() {
        return enabled;
    }

    /**
     * @param normals the model's outputs for the training normals
     * @return the fitted standardiser and the standardised training latents
     * @throws IllegalArgumentException when the latents are unusable
     */
    Training fit(List<ModelOutput> normals) {
        return fit(normals, 1, null);
    }

    /**
     * @param normals   the model's outputs for the training normals
     * @param minRows   the fewest training images the scorer works with
     * @param parameter the scorer's parameter that sets {@code minRows}, for the message
     * @return the fitted standardiser and the standardised training latents
     * @throws IllegalArgumentException when there are fewer than {@code minRows} outputs or the latents are unusable
     */
    Training fit(List<ModelOutput> normals, int minRows, String parameter) {
        double[][] raw = LatentVectors.matrix(normals, scorer);
        if (raw.length < minRows) {
            throw new IllegalArgumentException("parameter " + scorer + "." + parameter + "=" + minRows
                    + " needs at least " + minRows + " training images, got " + raw.length);
        }
        Standardizer scaler = Standardizer.fit(raw, enabled);
        return new Training(scaler, scaler.applyToFloats(raw));
    }

    /**
     * @param scaler the fitted standardiser
     * @param output a scored output
     * @return its latent vector, standardised
     * @throws IllegalArgumentException when the latent is missing, of another length than when fitting, or not finite
     */
    double[] apply(Standardizer scaler, ModelOutput output) {
        return scaler.apply(LatentVectors.vector(output, scaler.dimension(), scorer));
    }

    /**
     * @param d    a saved state's body, at the standardiser written by {@link Standardizer#write}
     * @param what the state's name, for messages
     * @return the standardiser
     * @throws IOException when it is corrupt
     */
    static Standardizer read(DataInputStream d, String what) throws IOException {
        return Standardizer.read(d, StateFormat.MAX_LENGTH, what);
    }
}
