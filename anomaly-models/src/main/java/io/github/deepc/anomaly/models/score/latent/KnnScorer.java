package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k-nearest-neighbour distance in latent space: the score of an image is the mean distance from its (standardised)
 * latent vector to the {@code k} nearest training latents. Fitting stores the standardised training latents (as
 * floats); each query is a brute-force scan, {@code O(n * d)} for {@code n} training images and latent dimension
 * {@code d} (see {@link PointSet}). A training image scored against its own training set has one neighbour at
 * distance 0. No heat map. Thread-safe once fitted.
 *
 * <p><b>Metrics.</b> {@link KnnMetric#EUCLIDEAN} is {@code |q - p|}. {@link KnnMetric#COSINE} is
 * {@code 1 - q . p / (|q| |p|)} on the standardised latents: training points and queries are scaled to unit length
 * after standardisation, and each Euclidean neighbour distance {@code d} between unit vectors becomes the cosine
 * distance {@code d^2 / 2}, which is exact and keeps the nearest-neighbour order. A zero vector (a latent equal to
 * the training mean when standardising) has no direction and stays zero: its cosine distance is 0.5 to every
 * non-zero vector (halfway between identical and opposite, where scikit-learn's {@code cosine_distances} says 1)
 * and 0 to another zero vector.
 *
 * <p>State format version 2 adds the metric; a version-1 state (written before there was a choice) is read as
 * Euclidean.
 */
public final class KnnScorer implements OutlierScorer {
    /** The scorer id. */
    public static final String ID = "knn";
    private static final Logger LOG = LoggerFactory.getLogger(KnnScorer.class);
    private static final int MAGIC = 0x4B4E4E1A; // "KNN" + 0x1A
    private static final int VERSION = 2;
    /** The first version with the metric; version 1 states are Euclidean. */
    private static final int METRIC_VERSION = 2;
    private static final String WHAT = "knn scorer";
    /** How far a saved cosine point's length may be from 1 (float rounding of a unit vector is about 1e-7). */
    private static final double UNIT_TOLERANCE = 1e-4;

    private final int k;
    private final KnnMetric metric;
    private final FeatureStandardizer features;
    private final ScorerState<Fitted> state = new ScorerState<>(WHAT, MAGIC, VERSION);

    private record Fitted(Standardizer scaler, PointSet points) {
    }

    /**
     * A Euclidean scorer.
     *
     * @param k           neighbours averaged, at least 1
     * @param standardize whether to standardise each feature on the training latents first
     */
    public KnnScorer(int k, boolean standardize) {
        this(k, standardize, KnnMetric.EUCLIDEAN);
    }

    /**
     * @param k           neighbours averaged, at least 1
     * @param standardize whether to standardise each feature on the training latents first
     * @param metric      the distance between (standardised) latents
     */
    public KnnScorer(int k, boolean standardize, KnnMetric metric) {
        if (k < 1) {
            throw new IllegalArgumentException("parameter knn.k must be at least 1, got " + k);
        }
        this.k = k;
        this.metric = Objects.requireNonNull(metric, "metric");
        this.features = new FeatureStandardizer(ID, standardize);
    }

    @Override
    public boolean needsFit() {
        return true;
    }

    /**
     * @throws IllegalArgumentException when there are fewer than {@code k} outputs or their latents are unusable
     */
    @Override
    public void fit(List<ModelOutput> normals) {
        FeatureStandardizer.Training t = features.fit(normals, k, "k");
        float[][] points = t.points();
        if (metric == KnnMetric.COSINE) {
            for (int i = 0; i < points.length; i++) {
                points[i] = unitFloats(points[i]);
            }
        }
        Fitted f = new Fitted(t.scaler(), new PointSet(points, t.scaler().dimension()));
        state.set(f);
        LOG.debug("knn scorer fitted on {} latents of {} values (k={}, standardize={}, metric={})", f.points.size(),
                f.points.dimension(), k, features.enabled(), metric.word());
    }

    @Override
    public Score score(ModelOutput output) {
        Fitted f = state.require();
        double[] q = features.apply(f.scaler, output);
        if (metric == KnnMetric.COSINE) {
            toUnit(q);
        }
        double sum = 0;
        for (double d : f.points.nearestDistances(q, k, -1)) {
            // between unit vectors |q - p|^2 = 2 - 2 q.p, so d^2 / 2 is the cosine distance
            sum += metric == KnnMetric.COSINE ? d * d / 2 : d;
        }
        return new Score(sum / k, null);
    }

    /**
     * Scales {@code v} to unit length in place; a zero vector stays zero.
     *
     * @param v the vector
     */
    static void toUnit(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0) {
            return;
        }
        // dividing by the largest magnitude first keeps the squares from under- or overflowing
        double s = 0;
        for (double x : v) {
            double y = x / max;
            s += y * y;
        }
        double norm = Math.sqrt(s);
        for (int j = 0; j < v.length; j++) {
            v[j] = v[j] / max / norm;
        }
    }

    private static float[] unitFloats(float[] p) {
        double[] v = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            v[j] = p[j];
        }
        toUnit(v);
        float[] out = new float[p.length];
        for (int j = 0; j < p.length; j++) {
            out[j] = (float) v[j];
        }
        return out;
    }

    /**
     * Format version 2: {@link StateFormat} framing around the metric word, the standardiser and the standardised
     * (for cosine also unit-length) training points.
     */
    @Override
    public void writeState(OutputStream out) throws IOException {
        state.write(out, (d, f) -> {
            d.writeUTF(metric.word());
            d.writeBoolean(features.enabled());
            f.scaler.write(d);
            f.points.write(d);
        });
    }

    /** Reads format versions 1 (Euclidean, no metric word) and 2. */
    @Override
    public void readState(InputStream in) throws IOException {
        state.read(in, 1, (d, version) -> {
            KnnMetric m = version >= METRIC_VERSION ? readMetric(d.readUTF()) : KnnMetric.EUCLIDEAN;
            if (m != metric) {
                throw new IOException(WHAT + " state was fitted with metric=" + m.word()
                        + " but this scorer has metric=" + metric.word());
            }
            boolean s = d.readBoolean();
            if (s != features.enabled()) {
                throw new IOException(WHAT + " state was fitted with standardize=" + s + " but this scorer has "
                        + features.enabled());
            }
            Standardizer scaler = FeatureStandardizer.read(d, WHAT);
            PointSet points = PointSet.read(d, StateFormat.MAX_LENGTH, scaler.dimension(), WHAT);
            if (points.size() < k) {
                throw new IOException(WHAT + " state holds " + points.size() + " training points, fewer than k=" + k);
            }
            if (m == KnnMetric.COSINE) {
                checkUnit(points);
            }
            return new Fitted(scaler, points);
        });
    }

    private static KnnMetric readMetric(String word) throws IOException {
        for (KnnMetric m : KnnMetric.values()) {
            if (m.word().equals(word)) {
                return m;
            }
        }
        throw new IOException("corrupt " + WHAT + " state: unknown metric '" + word + "'");
    }

    private static void checkUnit(PointSet points) throws IOException {
        for (int i = 0; i < points.size(); i++) {
            double s = 0;
            for (double v : points.point(i)) {
                s += v * v;
            }
            if (s != 0 && Math.abs(Math.sqrt(s) - 1) > UNIT_TOLERANCE) {
                throw new IOException("corrupt " + WHAT + " state: cosine point " + i + " has length " + Math.sqrt(s)
                        + ", expected 1 or 0");
            }
        }
    }

    @Override
    public String toString() {
        Fitted f = state.get();
        return "KnnScorer[k=" + k + ", standardize=" + features.enabled() + ", metric=" + metric.word()
                + (f == null ? ", not fitted" : ", " + f.points.size() + " points of " + f.points.dimension()) + "]";
    }
}
