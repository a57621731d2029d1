package io.github.deepc.anomaly.models.score.latent;

import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.score.Score;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Density-based outlier score from a DBSCAN clustering of the training latents.
 *
 * <p>Fitting standardises the training latents (optional), picks the radius {@code eps} from the knee of the
 * k-distance curve when {@code eps} is 0 ({@link KDistance}), clusters the points with Apache Commons Math's
 * {@link DBSCANClusterer} and keeps the <em>core points</em>: points with at least {@code minPts} points within
 * {@code eps}, <b>counting the point itself</b> (scikit-learn's convention; Commons Math counts only the other
 * points, so it is given {@code minPts - 1}). The clustering itself is reported (clusters, noise points) and checked
 * to contain every core point.
 *
 * <p>A new image's score is its distance to the nearest core point divided by {@code eps}: at most 1 means it
 * would join a cluster (as a core or border point), above 1 means DBSCAN would call it noise. The nearest core point
 * is found by brute force, {@code O(n_core * d)} per image for {@code n_core} core points of dimension {@code d},
 * fine for thousands of training images; fitting is {@code O(n^2 d)}. No heat map. Thread-safe once fitted.
 */
public final class DbscanScorer implements OutlierScorer {
    /** The scorer id. */
    public static final String ID = "dbscan";
    private static final Logger LOG = LoggerFactory.getLogger(DbscanScorer.class);
    private static final int MAGIC = 0x44425301; // "DBS" + 1
    private static final int VERSION = 1;
    private static final String WHAT = "dbscan scorer";

    private final double eps;
    private final int minPts;
    private final FeatureStandardizer features;
    private final ScorerState<Fitted> state = new ScorerState<>(WHAT, MAGIC, VERSION);

    private record Fitted(Standardizer scaler, double eps, PointSet cores, int clusters, int noise) {
    }

    /** A point with identity equality: Commons Math's DBSCAN keys visited points by equality. */
    private record Indexed(int index, double[] point) implements Clusterable {
        @Override
        public double[] getPoint() {
            return point;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * @param eps         neighbourhood radius in (standardised) latent space, or 0 to choose it from the k-distance knee
     * @param minPts      minimum neighbourhood size of a core point, counting the point itself, at least 2
     * @param standardize whether to standardise each feature on the training latents first
     */
    public DbscanScorer(double eps, int minPts, boolean standardize) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("parameter dbscan.eps must be 0 (automatic) or positive, got " + eps);
        }
        if (minPts < 2) {
            throw new IllegalArgumentException("parameter dbscan.min-pts must be at least 2, got " + minPts);
        }
        this.eps = eps;
        this.minPts = minPts;
        this.features = new FeatureStandardizer(ID, standardize);
    }

    @Override
    public boolean needsFit() {
        return true;
    }

    /**
     * @throws IllegalArgumentException when there are fewer than {@code min-pts} outputs, their latents are unusable,
     *                                  or no training point is a core point
     */
    @Override
    public void fit(List<ModelOutput> normals) {
        FeatureStandardizer.Training t = features.fit(normals, minPts, "min-pts");
        Standardizer scaler = t.scaler();
        PointSet all = t.pointSet();
        double[] kd = KDistance.of(all, minPts);
        double e = eps > 0 ? eps : KDistance.eps(kd);
        List<Integer> coreIndex = new ArrayList<>();
        for (int i = 0; i < kd.length; i++) {
            if (kd[i] <= e) {
                coreIndex.add(i);
            }
        }
        if (coreIndex.isEmpty()) {
            throw new IllegalArgumentException("dbscan found no core point among " + all.size()
                    + " training images with eps=" + e + " and min-pts=" + minPts + "; raise dbscan.eps or lower min-pts");
        }
        int[] clusterCounts = cluster(all, e, coreIndex);
        float[][] cores = new float[coreIndex.size()][];
        for (int c = 0; c < cores.length; c++) {
            double[] p = all.point(coreIndex.get(c));
            float[] f = new float[p.length];
            for (int j = 0; j < p.length; j++) {
                f[j] = (float) p[j];
            }
            cores[c] = f;
        }
        state.set(new Fitted(scaler, e, new PointSet(cores, scaler.dimension()), clusterCounts[0], clusterCounts[1]));
        LOG.debug("dbscan fitted on {} latents of {} values: eps={} ({}), min-pts={}, {} clusters, {} core, {} noise",
                all.size(), scaler.dimension(), e, eps > 0 ? "given" : "k-distance knee", minPts, clusterCounts[0],
                cores.length, clusterCounts[1]);
    }

    /** Runs Commons Math's DBSCAN; returns {clusters, noise points}. */
    private int[] cluster(PointSet all, double e, List<Integer> coreIndex) {
        List<Indexed> points = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            points.add(new Indexed(i, all.point(i)));
        }
        // Commons Math: core when at least minPts OTHER points are within eps
        List<Cluster<Indexed>> clusters = new DBSCANClusterer<Indexed>(e, minPts - 1).cluster(points);
        boolean[] clustered = new boolean[all.size()];
        int members = 0;
        for (Cluster<Indexed> c : clusters) {
            for (Indexed p : c.getPoints()) {
                if (!clustered[p.index()]) {
                    clustered[p.index()] = true;
                    members++;
                }
            }
        }
        int missing = 0;
        for (int i : coreIndex) {
            if (!clustered[i]) {
                missing++;
            }
        }
        if (missing > 0) {
            LOG.warn("dbscan: {} core points are in no Commons Math cluster (distance rounding at eps={})", missing, e);
        }
        return new int[] {clusters.size(), all.size() - members};
    }

    /** @return the distance to the nearest core point divided by eps (above 1: DBSCAN noise) */
    @Override
    public Score score(ModelOutput output) {
        Fitted f = state.require();
        double[] q = features.apply(f.scaler, output);
        return new Score(f.cores.nearestDistance(q) / f.eps, null);
    }

    /** @return the radius used (given, or chosen at the k-distance knee) */
    public double fittedEps() {
        return state.require().eps;
    }

    /** @return the number of core points kept */
    public int coreCount() {
        return state.require().cores.size();
    }

    /** @return the number of clusters DBSCAN found in the training latents */
    public int clusterCount() {
        return state.require().clusters;
    }

    /** @return the number of training points DBSCAN left as noise */
    public int noiseCount() {
        return state.require().noise;
    }

    /**
     * Format: {@link StateFormat} framing around min-pts, the standardise flag, the radius, cluster and noise
     * counts, the standardiser and the core points (floats).
     */
    @Override
    public void writeState(OutputStream out) throws IOException {
        state.write(out, (d, f) -> {
            d.writeInt(minPts);
            d.writeBoolean(features.enabled());
            d.writeDouble(f.eps);
            d.writeInt(f.clusters);
            d.writeInt(f.noise);
            f.scaler.write(d);
            f.cores.write(d);
        });
    }

    @Override
    public void readState(InputStream in) throws IOException {
        state.read(in, d -> {
            int m = d.readInt();
            boolean s = d.readBoolean();
            if (m != minPts || s != features.enabled()) {
                throw new IOException(WHAT + " state was fitted with min-pts=" + m + ", standardize=" + s
                        + " but this scorer has min-pts=" + minPts + ", standardize=" + features.enabled());
            }
            double e = d.readDouble();
            if (!(e > 0) || !Double.isFinite(e) || eps > 0 && e != eps) {
                throw new IOException("corrupt " + WHAT + " state: eps " + e + (eps > 0 ? " (parameter " + eps + ")" : ""));
            }
            int clusters = StateFormat.readInt(d, "clusters", 0, StateFormat.MAX_LENGTH, WHAT);
            int noise = StateFormat.readInt(d, "noise points", 0, StateFormat.MAX_LENGTH, WHAT);
            Standardizer scaler = FeatureStandardizer.read(d, WHAT);
            PointSet cores = PointSet.read(d, StateFormat.MAX_LENGTH, scaler.dimension(), WHAT);
            return new Fitted(scaler, e, cores, clusters, noise);
        });
    }

    @Override
    public String toString() {
        Fitted f = state.get();
        return "DbscanScorer[eps=" + (eps > 0 ? eps : "auto") + ", min-pts=" + minPts + ", standardize="
                + features.enabled()
                + (f == null ? ", not fitted" : ", eps used " + f.eps + ", " + f.cores.size() + " core points, "
                + f.clusters + " clusters") + "]";
    }
}
