package io.github.deepc.anomaly.core.score;

import io.github.deepc.anomaly.core.model.ModelOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Turns a model's outputs for one image into one number, higher meaning more abnormal, plus an optional heat map.
 *
 * <p>Which outputs a scorer reads is declared by its {@link io.github.deepc.anomaly.core.spi.ScorerProvider};
 * a detector checks that the model provides them when it is configured. Scorers that need fitting (e.g. a
 * one-class SVM on latent vectors) override {@link #fit(List)} and the state methods. Must be thread-safe once
 * fitted.
 */
public interface OutlierScorer {
    /**
     * @return whether {@link #fit(List)} must see the training normals' outputs; the default is {@code false},
     *         which spares the detector an extra inference pass over the training set
     */
    default boolean needsFit() {
        return false;
    }

    /**
     * Fits the scorer on the model's outputs for the training normals; the default needs no fitting.
     *
     * @param normals outputs for normal images
     */
    default void fit(List<ModelOutput> normals) {
    }

    /**
     * Fits the scorer with a seed for any stochastic step (subsampling, initialisation), derived by the detector from
     * its master seed. The default ignores the seed and calls {@link #fit(List)}: deterministic scorers override only
     * that one.
     *
     * @param normals outputs for normal images
     * @param seed    the scorer's seed
     */
    default void fit(List<ModelOutput> normals, long seed) {
        fit(normals);
    }

    /**
     * @param output the model's output for one image
     * @return its score
     */
    Score score(ModelOutput output);

    /**
     * Writes fitted state; the default has none.
     *
     * @param out where to write; not closed
     * @throws IOException when writing fails
     */
    default void writeState(OutputStream out) throws IOException {
    }

    /**
     * Restores fitted state; the default has none.
     *
     * @param in where to read; not closed
     * @throws IOException when the state is corrupt
     */
    default void readState(InputStream in) throws IOException {
    }
}
