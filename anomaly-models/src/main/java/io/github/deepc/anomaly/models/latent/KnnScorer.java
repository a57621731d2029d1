package io.github.deepc.anomaly.models.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k-nearest-neighbour distance in latent space: the score of an image is the mean Euclidean distance from its
 * (standardised) latent vector to the {@code k} nearest training latents. Fitting stores the standardised training
 * latents (as floats); each query is a brute-force scan, {@code O(n * d)} for {@code n} training images and latent
 * dimension {@code d} (see {@link PointSet}). A training image scored against its own training set has one
 * neighbour at distance 0. No heat map. Thread-safe once fitted.
 */
public final class KnnScorer implements OutlierScorer {
    /** The scorer id. */
    public static final String ID = "knn";
    private static final Logger LOG = LoggerFactory.getLogger(KnnScorer.class);
    private static final int MAGIC = 0x4B4E4E1A; // "KNN" + 0x1A
    private static final int VERSION = 1;
    private static final String WHAT = "knn scorer";

    private final int k;
    private final FeatureStandardizer features;
    private final ScorerState<Fitted> state = new ScorerState<>(WHAT, MAGIC, VERSION);

    private record Fitted(Standardizer scaler, PointSet points) {
    }

    /**
     * @param k           neighbours averaged, at least 1
     * @param standardize whether to standardise each feature on the training latents first
     */
    public KnnScorer(int k, boolean standardize) {
        if (k < 1) {
            throw new IllegalArgumentException("parameter knn.k must be at least 1, got " + k);
        }
        this.k = k;
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
        Fitted f = new Fitted(t.scaler(), t.pointSet());
        state.set(f);
        LOG.debug("knn scorer fitted on {} latents of {} values (k={}, standardize={})", f.points.size(),
                f.points.dimension(), k, features.enabled());
    }

    @Override
    public Score score(ModelOutput output) {
        Fitted f = state.require();
        double[] q = features.apply(f.scaler, output);
        double sum = 0;
        for (double d : f.points.nearestDistances(q, k, -1)) {
            sum += d;
        }
        return new Score(sum / k, null);
    }

    /** Format: {@link StateFormat} framing around the standardiser and the standardised training points. */
    @Override
    public void writeState(OutputStream out) throws IOException {
        state.write(out, (d, f) -> {
            d.writeBoolean(features.enabled());
            f.scaler.write(d);
            f.points.write(d);
        });
    }

    @Override
    public void readState(InputStream in) throws IOException {
        state.read(in, d -> {
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
            return new Fitted(scaler, points);
        });
    }

    @Override
    public String toString() {
        Fitted f = state.get();
        return "KnnScorer[k=" + k + ", standardize=" + features.enabled()
                + (f == null ? ", not fitted" : ", " + f.points.size() + " points of " + f.points.dimension()) + "]";
    }
}
