package io.github.deepc.anomaly.core.model;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a model produced for one (preprocessed) image. Which parts are present depends on the model; reading an
 * absent part is an error naming it.
 */
public final class ModelOutput {
    private final GrayImage input;
    private final float[] reconstruction;
    private final float[] latent;
    private final float[] anomalyMap;
    private final Map<OutputKind, Double> scalars;

    private ModelOutput(Builder b) {
        this.input = Objects.requireNonNull(b.input, "input");
        this.reconstruction = b.reconstruction;
        this.latent = b.latent;
        this.anomalyMap = b.anomalyMap;
        this.scalars = Collections.unmodifiableMap(new EnumMap<>(b.scalars));
    }

    /**
     * @param input the preprocessed image the model saw
     * @return a builder
     */
    public static Builder builder(GrayImage input) {
        return new Builder(input);
    }

    /** @return the preprocessed input image (with its valid-pixel mask) */
    public GrayImage input() {
        return input;
    }

    /** @return which kinds of output are present */
    public Set<OutputKind> kinds() {
        EnumSet<OutputKind> k = EnumSet.noneOf(OutputKind.class);
        if (reconstruction != null) {
            k.add(OutputKind.RECONSTRUCTION);
        }
        if (latent != null) {
            k.add(OutputKind.LATENT);
        }
        if (anomalyMap != null) {
            k.add(OutputKind.ANOMALY_MAP);
        }
        k.addAll(scalars.keySet());
        return k;
    }

    /**
     * The reconstruction, row-major with the input's shape. Not copied: treat as read-only.
     *
     * @return the reconstruction
     * @throws IllegalStateException when the model produced none
     */
    public float[] reconstruction() {
        if (reconstruction == null) {
            throw missing(OutputKind.RECONSTRUCTION);
        }
        return reconstruction;
    }

    /**
     * The latent vector. Not copied: treat as read-only.
     *
     * @return the latent vector
     * @throws IllegalStateException when the model produced none
     */
    public float[] latent() {
        if (latent == null) {
            throw missing(OutputKind.LATENT);
        }
        return latent;
    }

    /**
     * The per-pixel anomaly map, row-major with the input's shape, higher = more anomalous. Not copied: treat as
     * read-only.
     *
     * @return the anomaly map
     * @throws IllegalStateException when the model produced none
     */
    public float[] anomalyMap() {
        if (anomalyMap == null) {
            throw missing(OutputKind.ANOMALY_MAP);
        }
        return anomalyMap;
    }

    /**
     * @param kind a scalar output kind (probabilities, KL, distance)
     * @return its value
     * @throws IllegalStateException when the model produced none
     */
    public double scalar(OutputKind kind) {
        Double v = scalars.get(kind);
        if (v == null) {
            throw missing(kind);
        }
        return v;
    }

    private IllegalStateException missing(OutputKind kind) {
        return new IllegalStateException("model output has no " + kind + " (present: " + kinds() + ")");
    }

    /** Builds a {@link ModelOutput}. */
    public static final class Builder {
        private final GrayImage input;
        private float[] reconstruction;
        private float[] latent;
        private float[] anomalyMap;
        private final Map<OutputKind, Double> scalars = new EnumMap<>(OutputKind.class);

        private Builder(GrayImage input) {
            this.input = input;
        }

        /**
         * @param values row-major reconstruction of the input's size (ownership passes to the output)
         * @return this
         */
        public Builder reconstruction(float[] values) {
            if (values.length != input.size()) {
                throw new IllegalArgumentException("reconstruction has " + values.length + " values, input has " + input.size());
            }
            this.reconstruction = values;
            return this;
        }

        /**
         * @param values row-major per-pixel anomaly map of the input's size, higher = more anomalous (ownership
         *               passes to the output)
         * @return this
         */
        public Builder anomalyMap(float[] values) {
            if (values.length != input.size()) {
                throw new IllegalArgumentException("anomaly map has " + values.length + " values, input has " + input.size());
            }
            this.anomalyMap = values;
            return this;
        }

        /**
         * @param values latent vector (ownership passes to the output)
         * @return this
         */
        public Builder latent(float[] values) {
            this.latent = values;
            return this;
        }

        /**
         * @param kind  scalar kind
         * @param value its value
         * @return this
         */
        public Builder scalar(OutputKind kind, double value) {
            if (kind == OutputKind.RECONSTRUCTION || kind == OutputKind.LATENT || kind == OutputKind.ANOMALY_MAP) {
                throw new IllegalArgumentException(kind + " is not a scalar output");
            }
            scalars.put(kind, value);
            return this;
        }

        /** @return the output */
        public ModelOutput build() {
            return new ModelOutput(this);
        }
    }
}
