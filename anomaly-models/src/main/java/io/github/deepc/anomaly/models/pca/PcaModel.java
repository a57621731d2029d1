package io.github.deepc.anomaly.models.pca;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Principal component analysis of the training images: the {@code k} orthonormal directions of largest variance
 * around the training mean, computed exactly (no randomness: the training seed is ignored).
 *
 * <p><b>Data.</b> Each image is flattened row-major. Invalid (masked-out) pixels count as 0, as in the {@code nmf}
 * model; any value is allowed (PCA needs no sign).
 *
 * <p><b>Fit.</b> With {@code n} training images of {@code p} pixels, the data {@code X} ({@code n x p}) is centred
 * on its mean, {@code Xc = X - 1 mean}, and the smaller of the two symmetric matrices is eigendecomposed with LAPACK's
 * {@code dsyevd} (OpenBLAS, bundled with ND4J): for {@code n <= p} the Gram matrix {@code Xc Xc^T}, whose
 * eigenvector {@code u_j} gives the component {@code Xc^T u_j / sqrt(lambda_j)} (normalised to unit length), and
 * otherwise the scatter matrix {@code Xc^T Xc}, accumulated over blocks of images (so memory stays at
 * {@code p x p} doubles plus one block however many images there are), whose eigenvectors are the components.
 * Eigenvalues are taken in descending order (ties by index). The components are then re-orthonormalised by one
 * modified Gram-Schmidt pass in that order (the Gram route amplifies rounding by {@code lambda_max / lambda_j}), and
 * each gets the sign that makes its entry of largest magnitude (the first such) positive, as scikit-learn's
 * {@code svd_flip}. Two fits with the same OpenBLAS thread count give bit-identical models.
 *
 * <p><b>Components kept.</b> At most {@code min(components, n - 1, p)}: centred data has rank at most
 * {@code n - 1}. A larger {@code components} is not an error: the model keeps what the data allows and logs a
 * warning, and the latent vector is that long. Components whose eigenvalue is at most
 * {@code max(n, p) * 2^-52 * ||X||^2} (the training images' total sum of squares) are dropped as well, with a
 * warning: that is the size of the rounding in centring and in the products, so such a direction is noise. Images
 * that do not vary at all are rejected.
 *
 * <p><b>Size limit.</b> {@code min(n, p)} may be at most {@link #MAX_RANK}.
 *
 * <p><b>Inference.</b> For an image {@code x} the coefficients are {@code c_j = (x - mean) . component_j}
 * ({@link OutputKind#LATENT}, {@code float[k]}) and the reconstruction, the orthogonal projection on the
 * components' span, is {@code mean + sum_j c_j component_j} ({@link OutputKind#RECONSTRUCTION}, one value per
 * pixel), so the reconstruction scorers (heat maps included) and the latent-space scorers all apply. Per image, in
 * plain Java double precision, about {@code 4 k p} multiply-adds.
 *
 * <p>All public methods are synchronized; the fitted model is immutable.
 */
public final class PcaModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "pca";
    /**
     * The largest {@code min(n, p)}: the decomposed matrix is {@code m x m}, {@code m = min(n, p)}; LAPACK's
     * {@code dsyevd} needs about {@code 2 m^2} doubles of workspace besides it (at 10,000: 2.4 GB in all), and
     * about {@code 4 m^3} floating-point operations; beyond it, downsample the images or use fewer.
     */
    public static final int MAX_RANK = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(PcaModel.class);
    private static final int MAGIC = 0x5043411A; // "PCA" + 0x1A
    private static final int VERSION = 1;
    private static final String WHAT = "pca model";
    private static final int MAX_SIDE = 1 << 14;
    private static final String TASK = "pca";
    /** Doubles per block of centred images in the scatter route (32 MiB): memory stays flat in the image count. */
    private static final int SCATTER_BLOCK_VALUES = 4 << 20;

    private final int components;

    private Fitted fitted;

    /**
     * The fitted model.
     *
     * @param mean       the training mean, {@code p} values
     * @param basis      the kept components, {@code k x p}, orthonormal rows
     * @param variances  the variance along each component, {@code lambda_j / (n - 1)}, descending
     * @param width      the image width
     * @param height     the image height
     */
    private record Fitted(double[] mean, double[][] basis, double[] variances, int width, int height) {
    }

    /**
     * @param components the most principal components {@code k} to keep, at least 1 (fewer are kept when the data
     *                   has fewer, see the class documentation)
     * @throws IllegalArgumentException naming the parameter when it is out of range
     */
    public PcaModel(int components) {
        if (components < 1) {
            throw new IllegalArgumentException("parameter pca.components must be at least 1, got " + components);
        }
        this.components = components;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    }

    /**
     * Computes the principal components of the training images (a previous fit or loaded state is discarded). The
     * seed of {@code context} is not used.
     *
     * @throws IllegalArgumentException for no images, fewer than 2, images of differing sizes, non-finite pixel
     *                                  values, images that do not vary, or {@code min(n, p) > }{@link #MAX_RANK}
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] size = ImageChecks.sameSize(normals);
        int h = size[0];
        int w = size[1];
        int n = normals.size();
        int p = w * h;
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 training images to find a direction of variance,"
                    + " got " + n);
        }
        if (Math.min(n, p) > MAX_RANK) {
            throw new IllegalArgumentException("PCA of " + n + " training images of " + w + "x" + h + " = " + p
                    + " pixels would eigendecompose a " + Math.min(n, p) + "x" + Math.min(n, p) + " matrix; at most "
                    + MAX_RANK + "x" + MAX_RANK + " is supported (use fewer training images or smaller images)");
        }
        long start = System.nanoTime();
        Fitted f = decompose(normals, w, h, context.listener());
        double sse = 0;
        double[] xc = new double[p];
        for (int a = 0; a < n; a++) {
            ImageChecks.flatten(normals.get(a), xc, "training image " + a);
            for (int i = 0; i < p; i++) {
                xc[i] -= f.mean[i];
            }
            double[] c = project(f.basis, xc);
            for (int i = 0; i < p; i++) {
                double r = xc[i];
                for (int j = 0; j < c.length; j++) {
                    r -= c[j] * f.basis[j][i];
                }
                sse += r * r;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        fitted = f;
        double mse = sse / ((double) n * p);
        LOG.info("PCA fitted on {} images ({}x{}): {} of {} components, mean squared error {} in {} s", n, w, h,
                f.basis.length, components, String.format(Locale.ROOT, "%.6f", mse),
                String.format(Locale.ROOT, "%.1f", seconds));
        double ips = seconds > 0 ? n / seconds : 0.0;
        return new TrainingSummary(n, 1, mse, ips, seconds);
    }

    /**
     * Finds the components of the images without copying them all to doubles at once; progress in 3 steps. Both
     * routes use OpenBLAS (bundled with ND4J) for the products and LAPACK's divide-and-conquer symmetric eigensolver
     * {@code dsyevd}: Commons Math's {@code EigenDecomposition} (used before) stops with "convergence failed" on
     * scatter matrices of a few thousand ordinary images, and its single-threaded O(m^3) Java loops take an hour at
     * {@link #MAX_RANK}.
     */
    private Fitted decompose(List<GrayImage> images, int w, int h, ProgressListener listener) {
        int n = images.size();
        int p = w * h;
        double[] mean = new double[p];
        double energy = 0;
        double[] row = new double[p];
        for (int a = 0; a < n; a++) {
            ImageChecks.flatten(images.get(a), row, "training image " + a);
            for (int i = 0; i < p; i++) {
                mean[i] += row[i];
                energy += row[i] * row[i];
            }
        }
        for (int i = 0; i < p; i++) {
            mean[i] /= n;
        }
        boolean gramRoute = n <= p;
        int m = Math.min(n, p);
        // the Gram route keeps the centred images (n <= p, so at most p^2 values); the scatter route streams them
        double[] centred = gramRoute ? new double[n * p] : null;
        double[] scatter = new double[m * m];
        if (gramRoute) {
            for (int a = 0; a < n; a++) {
                centre(images.get(a), mean, centred, a * p, a);
            }
            openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
                    openblas_nolapack.CblasNoTrans, n, p, 1.0, centred, p, 0.0, scatter, n);
        } else {
            int block = Math.max(1, Math.min(n, SCATTER_BLOCK_VALUES / p));
            double[] rows = new double[block * p];
            for (int from = 0; from < n; from += block) {
                int count = Math.min(block, n - from);
                for (int a = 0; a < count; a++) {
                    centre(images.get(from + a), mean, rows, a * p, from + a);
                }
                openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
                        openblas_nolapack.CblasTrans, p, count, 1.0, rows, p, 1.0, scatter, p);
            }
        }
        listener.onProgress(TASK, 1, 3);
        // dsyevd returns the eigenvalues ascending and overwrites the (upper triangle of the) matrix with the
        // eigenvectors, one per column (row-major)
        double[] lambda = new double[m];
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', m, scatter, m, lambda);
        if (info != 0) {
            throw new IllegalStateException("pca: the eigendecomposition of the " + m + "x" + m + " "
                    + (gramRoute ? "Gram" : "scatter") + " matrix of " + n + " training images of " + w + "x" + h
                    + " failed (LAPACK dsyevd info " + info + "); check the images for extreme values, or use fewer"
                    + " or smaller images (parameter size) or fewer components (pca.components)");
        }
        listener.onProgress(TASK, 2, 3);
        int[] order = IntStream.range(0, m).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -lambda[j]).thenComparingInt(j -> j))
                .mapToInt(Integer::intValue).toArray();
        int limit = Math.min(components, Math.min(n - 1, p));
        double tolerance = Math.max(n, p) * Math.ulp(1.0) * energy;
        int kept = 0;
        while (kept < limit && lambda[order[kept]] > tolerance) {
            kept++;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("the " + n + " training images do not vary (largest variance "
                    + lambda[order[0]] / (n - 1) + "); PCA finds no component");
        }
        if (components > Math.min(n - 1, p)) {
            LOG.warn("parameter pca.components={} is more than {} training images of {} pixels allow"
                    + " (min(n - 1, pixels) = {}); keeping at most that many", components, n, p, Math.min(n - 1, p));
        }
        if (kept < limit) {
            LOG.warn("PCA keeps {} of {} possible components: the others have variance at or below the rounding"
                    + " tolerance ({} of the total sum of squares)", kept, limit,
                    String.format(Locale.ROOT, "%.1e", Math.max(n, p) * Math.ulp(1.0)));
        }
        double[][] basis = new double[kept][];
        double[] variances = new double[kept];
        for (int j = 0; j < kept; j++) {
            double[] v = new double[m];
            for (int a = 0; a < m; a++) {
                v[a] = scatter[a * m + order[j]];
            }
            basis[j] = gramRoute ? combine(centred, n, v, p) : v;
            variances[j] = lambda[order[j]] / (n - 1);
        }
        orthonormalise(basis);
        for (double[] c : basis) {
            flipSign(c);
        }
        listener.onProgress(TASK, 3, 3);
        return new Fitted(mean, basis, variances, w, h);
    }

    /** Writes image {@code a} minus the mean into {@code target} from {@code offset}. */
    private static void centre(GrayImage image, double[] mean, double[] target, int offset, int a) {
        double[] row = new double[mean.length];
        ImageChecks.flatten(image, row, "training image " + a);
        for (int i = 0; i < mean.length; i++) {
            target[offset + i] = row[i] - mean[i];
        }
    }

    /** @return {@code Xc^T u}, of {@code p} values (normalised later); {@code xc} is {@code n x p} row-major */
    private static double[] combine(double[] xc, int n, double[] u, int p) {
        double[] c = new double[p];
        for (int a = 0; a < n; a++) {
            double ua = u[a];
            int off = a * p;
            for (int i = 0; i < p; i++) {
                c[i] += ua * xc[off + i];
            }
        }
        return c;
    }

    /**
     * Modified Gram-Schmidt in row order, in place. The rows are already nearly orthogonal (the kept eigenvalues
     * are far above the rounding tolerance), so no row collapses.
     */
    private static void orthonormalise(double[][] rows) {
        for (int j = 0; j < rows.length; j++) {
            double[] r = rows[j];
            for (int l = 0; l < j; l++) {
                double[] q = rows[l];
                double dot = dot(r, q);
                for (int i = 0; i < r.length; i++) {
                    r[i] -= dot * q[i];
                }
            }
            double norm = Math.sqrt(dot(r, r));
            for (int i = 0; i < r.length; i++) {
                r[i] /= norm;
            }
        }
    }

    /** Makes the first entry of largest magnitude positive. */
    private static void flipSign(double[] c) {
        int arg = 0;
        for (int i = 1; i < c.length; i++) {
            if (Math.abs(c[i]) > Math.abs(c[arg])) {
                arg = i;
            }
        }
        if (c[arg] < 0) {
            for (int i = 0; i < c.length; i++) {
                c[i] = -c[i];
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** @return the coefficients of a centred image on the components */
    private static double[] project(double[][] basis, double[] centred) {
        double[] c = new double[basis.length];
        for (int j = 0; j < basis.length; j++) {
            c[j] = dot(basis[j], centred);
        }
        return c;
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size or a pixel is not finite
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        Fitted f = requireFitted();
        int p = f.width * f.height;
        List<ModelOutput> out = new ArrayList<>(images.size());
        double[] x = new double[p];
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            ImageChecks.fittedSize(img, i, f.width, f.height);
            ImageChecks.flatten(img, x, "image " + i);
            for (int k = 0; k < p; k++) {
                x[k] -= f.mean[k];
            }
            double[] coef = project(f.basis, x);
            double[] r = f.mean.clone();
            for (int j = 0; j < coef.length; j++) {
                double c = coef[j];
                double[] cj = f.basis[j];
                for (int k = 0; k < p; k++) {
                    r[k] += c * cj[k];
                }
            }
            out.add(ModelOutput.builder(img).reconstruction(ImageChecks.toFloats(r))
                    .latent(ImageChecks.toFloats(coef)).build());
        }
        return out;
    }

    /**
     * @return a copy of the kept components, {@code k x (width * height)}, orthonormal, one row-major image per row,
     *         in order of decreasing variance
     * @throws IllegalStateException when not fitted
     */
    public synchronized double[][] components() {
        double[][] b = requireFitted().basis;
        double[][] copy = new double[b.length][];
        for (int j = 0; j < b.length; j++) {
            copy[j] = b[j].clone();
        }
        return copy;
    }

    /**
     * @return a copy of the training mean, {@code width * height} values, row-major
     * @throws IllegalStateException when not fitted
     */
    public synchronized double[] mean() {
        return requireFitted().mean.clone();
    }

    /**
     * @return the variance of the training images along each kept component, {@code lambda_j / (n - 1)}, descending
     *         (scikit-learn's {@code explained_variance_})
     * @throws IllegalStateException when not fitted
     */
    public synchronized double[] explainedVariance() {
        return requireFitted().variances.clone();
    }

    private Fitted requireFitted() {
        if (fitted == null) {
            throw new IllegalStateException("model not fitted");
        }
        return fitted;
    }

    /**
     * Format: {@link StateFormat} framing around the {@code components} parameter, the number of components kept,
     * width, height, the mean, the explained variances and the components (doubles, row by row).
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        Fitted f = requireFitted();
        StateFormat.write(out, MAGIC, VERSION, d -> {
            d.writeInt(components);
            d.writeInt(f.basis.length);
            d.writeInt(f.width);
            d.writeInt(f.height);
            StateFormat.writeDoubles(d, f.mean);
            StateFormat.writeDoubles(d, f.variances);
            for (double[] row : f.basis) {
                StateFormat.writeDoubles(d, row);
            }
        });
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        fitted = StateFormat.read(in, MAGIC, VERSION, WHAT, d -> {
            int k = d.readInt();
            if (k != components) {
                throw new IOException(WHAT + " state has " + k + " components but this model has " + components);
            }
            int kept = StateFormat.readInt(d, "kept components", 1, Math.min(k, MAX_RANK), WHAT);
            int w = StateFormat.readInt(d, "width", 1, MAX_SIDE, WHAT);
            int h = StateFormat.readInt(d, "height", 1, MAX_SIDE, WHAT);
            if ((long) w * h * (kept + 1) > StateFormat.MAX_MATRIX_VALUES) {
                throw new IOException("corrupt " + WHAT + " state: " + kept + " components of " + w + "x" + h);
            }
            double[] mean = finite(StateFormat.readDoubles(d, w * h, "mean", WHAT), "mean");
            double[] variances = finite(StateFormat.readDoubles(d, kept, "variances", WHAT), "variances");
            for (double v : variances) {
                if (v < 0) {
                    throw new IOException("corrupt " + WHAT + " state: variances has the value " + v);
                }
            }
            double[][] basis = new double[kept][];
            for (int j = 0; j < kept; j++) {
                basis[j] = finite(StateFormat.readDoubles(d, w * h, "component " + j, WHAT), "component " + j);
            }
            return new Fitted(mean, basis, variances, w, h);
        });
    }

    private static double[] finite(double[] values, String name) throws IOException {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IOException("corrupt " + WHAT + " state: " + name + " has the value " + v);
            }
        }
        return values;
    }

    @Override
    public synchronized String toString() {
        return "PcaModel[components=" + components + (fitted == null ? ", not fitted"
                : ", " + fitted.basis.length + " kept, " + fitted.width + "x" + fitted.height) + "]";
    }
}
