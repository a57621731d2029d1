package io.github.deepc.anomaly.models.gan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spectral normalisation (Miyato et al. 2018): a weight {@code W}, viewed as a matrix {@code M} of
 * {@code rows x cols} (all dimensions but the output one, by the output features), is used as
 * {@code W / sigma} with {@code sigma = v^T M u} estimated by power iteration.
 *
 * <p>The estimate is split between Java and the graph, which keeps it exact and cheap in SameDiff 1.0.0-M2.1 (which
 * has no stop-gradient): the persistent unit vectors {@code u} ({@code cols x 1}) and {@code v} ({@code rows x 1})
 * live here and advance by one power iteration per discriminator step ({@link #iterate(Map)}:
 * {@code v = normalise(M u)}, {@code u = normalise(M^T v)}); the graph receives them as placeholders and computes
 * {@code sigma} from the current {@code W}, so the gradient flows through {@code sigma} to {@code W} with {@code u},
 * {@code v} held constant, as in the paper. Inference uses the stored vectors without advancing them, and the vectors
 * are part of the saved state. {@code SelfAttentionTest} checks the layer's gradient against central differences.
 */
final class SpectralNorm implements AutoCloseable {
    /** Suffix of the {@code u} placeholder of a normalised weight. */
    static final String U = "_sn_u";
    /** Suffix of the {@code v} placeholder of a normalised weight. */
    static final String V = "_sn_v";
    private static final double EPS = 1e-12;

    private final Map<String, long[]> shapes;
    private final Map<String, INDArray> vectors = new LinkedHashMap<>();

    private SpectralNorm(Map<String, long[]> shapes, SplittableRandom rng) {
        this.shapes = new LinkedHashMap<>(shapes);
        for (Map.Entry<String, long[]> e : this.shapes.entrySet()) {
            long rows = e.getValue()[0];
            long cols = e.getValue()[1];
            vectors.put(e.getKey() + U, unitVector(cols, rng));
            vectors.put(e.getKey() + V, unitVector(rows, rng));
        }
    }

    /**
     * @param shapes normalised weights with their {rows, cols}
     * @param rng    randomness for the initial vectors, or {@code null} for zeros (a saved state follows)
     * @return the state
     */
    static SpectralNorm create(Map<String, long[]> shapes, SplittableRandom rng) {
        return new SpectralNorm(shapes, rng);
    }

    private static INDArray unitVector(long n, SplittableRandom rng) {
        float[] v = new float[Math.toIntExact(n)];
        if (rng != null) {
            double sq = 0;
            double[] d = new double[v.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.nextGaussian();
                sq += d[i] * d[i];
            }
            double norm = Math.sqrt(sq) + EPS;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (d[i] / norm);
            }
        }
        return Nd4j.create(v, new long[] {n, 1}, DataType.FLOAT);
    }

    /**
     * Builds {@code W / (v^T M u)} into a graph, with {@code u} and {@code v} as placeholders.
     *
     * @param sd       the graph
     * @param name     the weight's name
     * @param w        the weight
     * @param rows     rows of its matrix view
     * @param cols     columns of its matrix view
     * @param dataType data type of the weight
     * @return the normalised weight, same shape as {@code w}
     */
    static SDVariable normalise(SameDiff sd, String name, SDVariable w, long rows, long cols, DataType dataType) {
        SDVariable u = sd.placeHolder(name + U, dataType, cols, 1);
        SDVariable v = sd.placeHolder(name + V, dataType, rows, 1);
        SDVariable m = sd.reshape(w, rows, cols);
        SDVariable sigma = sd.mmul(m, u).mul(v).sum();
        // not w.div(sigma): in 1.0.0-M2.1 the gradient of a division with respect to a broadcast scalar divisor is
        // wrong (by orders of magnitude); multiplying by the reciprocal differentiates correctly
        return w.mul(sd.math().reciprocal(sigma));
    }

    /**
     * One power iteration for every normalised weight.
     *
     * @param weights live weight arrays by name; must contain every normalised weight
     */
    void iterate(Map<String, INDArray> weights) {
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            INDArray w = weights.get(e.getKey());
            if (w == null) {
                throw new IllegalStateException("no array for spectrally normalised weight " + e.getKey());
            }
            INDArray u = vectors.get(e.getKey() + U);
            INDArray v = vectors.get(e.getKey() + V);
            INDArray m = w.reshape('c', e.getValue()[0], e.getValue()[1]);
            // m and its transpose are views of the live weight: only the fresh products are closed
            try (INDArray nv = m.mmul(u)) {
                nv.divi(nv.norm2Number().doubleValue() + EPS);
                try (INDArray nu = m.transpose().mmul(nv)) {
                    nu.divi(nu.norm2Number().doubleValue() + EPS);
                    v.assign(nv);
                    u.assign(nu);
                }
            }
        }
    }

    /**
     * Adds the vectors a graph needs to its feeds.
     *
     * @param used  the normalised weights of that graph (see {@link ParamScope#spectralShapes()})
     * @param feeds where to put them
     */
    void feed(Iterable<String> used, Map<String, INDArray> feeds) {
        for (String name : used) {
            INDArray u = vectors.get(name + U);
            if (u == null) {
                throw new IllegalStateException("no spectral-norm vectors for weight " + name);
            }
            feeds.put(name + U, u);
            feeds.put(name + V, vectors.get(name + V));
        }
    }

    /** @return the live vectors by placeholder name, in a fixed order (for saving and loading) */
    Map<String, INDArray> vectors() {
        return Collections.unmodifiableMap(vectors);
    }

    @Override
    public void close() {
        vectors.values().forEach(GraphMemory::closeQuietly);
    }
}
