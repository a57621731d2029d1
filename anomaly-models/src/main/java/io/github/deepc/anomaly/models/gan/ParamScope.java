package io.github.deepc.anomaly.models.gan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters of one player's networks as they appear in one SameDiff graph.
 *
 * <p>An <em>owned</em> scope declares them as trainable variables, initialised in declaration order from a seeded
 * generator (or zeros when a saved state is about to overwrite them). A <em>foreign</em> scope declares the same names
 * as placeholders, fed on every call with the owning player's live arrays, so that the graph can use another
 * player's networks without training them. Declaring a name again returns the first variable: a network applied to
 * several inputs shares its weights. Spectrally normalised weights also get their power-iteration vectors as
 * placeholders (see {@link SpectralNorm}).
 */
final class ParamScope {
    private final SameDiff sd;
    private final boolean owned;
    private final SplittableRandom init;
    private final DataType dataType;
    private final Map<String, SDVariable> params = new LinkedHashMap<>();
    private final Map<String, SDVariable> normalised = new HashMap<>();
    private final Map<String, long[]> spectral = new LinkedHashMap<>();

    private ParamScope(SameDiff sd, boolean owned, SplittableRandom init, DataType dataType) {
        this.sd = Objects.requireNonNull(sd, "sd");
        this.owned = owned;
        this.init = init;
        this.dataType = Objects.requireNonNull(dataType, "dataType");
    }

    /**
     * @param sd       the graph
     * @param init     initialisation randomness, or {@code null} for zeros
     * @param dataType parameter data type (float32 for models, float64 for gradient checks)
     * @return a scope whose parameters are trainable variables of {@code sd}
     */
    static ParamScope owned(SameDiff sd, SplittableRandom init, DataType dataType) {
        return new ParamScope(sd, true, init, dataType);
    }

    /**
     * @param sd       the graph
     * @param dataType parameter data type
     * @return a scope whose parameters are placeholders of {@code sd}
     */
    static ParamScope foreign(SameDiff sd, DataType dataType) {
        return new ParamScope(sd, false, null, dataType);
    }

    /** @return the graph */
    SameDiff graph() {
        return sd;
    }

    /** @return the parameters' data type */
    DataType dataType() {
        return dataType;
    }

    /**
     * A parameter drawn from N(0, std^2) in row-major order (DCGAN's initialisation for weights).
     *
     * @param name  unique parameter name
     * @param std   standard deviation
     * @param shape its shape
     * @return the variable or placeholder
     */
    SDVariable normal(String name, double std, long... shape) {
        return declare(name, std, shape);
    }

    /**
     * A parameter that starts at zero (biases, attention gains).
     *
     * @param name  unique parameter name
     * @param shape its shape
     * @return the variable or placeholder
     */
    SDVariable zeros(String name, long... shape) {
        return declare(name, 0.0, shape);
    }

    private SDVariable declare(String name, double std, long[] shape) {
        SDVariable existing = params.get(name);
        if (existing != null) {
            return existing;
        }
        SDVariable v = owned ? sd.var(name, initial(std, shape)) : sd.placeHolder(name, dataType, shape);
        params.put(name, v);
        return v;
    }

    private INDArray initial(double std, long[] shape) {
        int n = Math.toIntExact(length(shape));
        double[] values = new double[n];
        if (init != null && std > 0) {
            for (int i = 0; i < n; i++) {
                values[i] = init.nextGaussian() * std;
            }
        }
        if (dataType == DataType.DOUBLE) {
            return Nd4j.create(values, shape, DataType.DOUBLE);
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, dataType);
    }

    /**
     * The spectrally normalised form {@code W / sigma(W)} of a declared weight, built once per graph.
     *
     * @param name weight name
     * @param rows rows of the weight viewed as a matrix (all dimensions but the last, multiplied)
     * @param cols columns (its last dimension: output features)
     * @return the normalised weight
     */
    SDVariable spectralNormalised(String name, long rows, long cols) {
        SDVariable w = params.get(name);
        if (w == null) {
            throw new IllegalStateException("weight " + name + " must be declared before it is normalised");
        }
        SDVariable n = normalised.get(name);
        if (n == null) {
            n = SpectralNorm.normalise(sd, name, w, rows, cols, dataType);
            normalised.put(name, n);
            spectral.put(name, new long[] {rows, cols});
        }
        return n;
    }

    /** @return whether the parameters are trainable variables of the graph */
    boolean isOwned() {
        return owned;
    }

    /** @return the parameter names in declaration order */
    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(params.keySet()));
    }

    /** @return the spectrally normalised weights with their {rows, cols}, in declaration order */
    Map<String, long[]> spectralShapes() {
        return Collections.unmodifiableMap(spectral);
    }

    /**
     * @param shape a shape
     * @return the number of values
     */
    static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
