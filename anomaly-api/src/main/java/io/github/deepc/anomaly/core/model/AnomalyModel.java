package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * A model of normal images: fitted on normal images only, then asked for its {@link ModelOutput}s on new ones.
 *
 * <p>Images arrive preprocessed and all of one size; the model keeps that size and rejects others with a clear
 * error. {@link #infer(List)} must be deterministic for a fitted model, so that a saved and reloaded detector
 * gives bit-identical scores. Models may hold native memory: {@link #close()} releases it.
 */
public interface AnomalyModel extends AutoCloseable {
    /** @return the output kinds this model produces */
    Set<OutputKind> outputs();

    /**
     * Fits the model on normal images.
     *
     * @param normals preprocessed normal images, all of one size, at least one
     * @param context seed and progress listener
     * @return how training went
     */
    TrainingSummary fit(List<GrayImage> normals, TrainingContext context);

    /**
     * @param images preprocessed images of the training size
     * @return one output per image, in order
     * @throws IllegalStateException when the model is not fitted
     */
    List<ModelOutput> infer(List<GrayImage> images);

    /**
     * Writes everything needed to restore the fitted model (weights, input size) to a stream.
     *
     * @param out where to write; not closed
     * @throws IOException when writing fails
     */
    void writeState(OutputStream out) throws IOException;

    /**
     * Restores a state written by {@link #writeState(OutputStream)} into a model created with the same parameters.
     *
     * @param in where to read; not closed
     * @throws IOException when the state is corrupt or does not fit this model
     */
    void readState(InputStream in) throws IOException;

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }
}
