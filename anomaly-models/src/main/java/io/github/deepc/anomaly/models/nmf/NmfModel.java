package io.github.deepc.anomaly.models.nmf;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-negative matrix factorisation of the training images, {@code V ~ H W} ({@link NmfSolver}): the rows of
 * {@code W} are {@code components} non-negative basis images, and a new image is described by its non-negative
 * coefficients on them.
 *
 * <p><b>Data.</b> Each image is flattened row-major. Invalid (masked-out) pixels count as 0. NMF needs
 * non-negative data: the default pipeline's {@code normalize} stage gives [0, 1]; any negative value (from a
 * pipeline that produces them, e.g. standardisation) is <em>clamped to 0</em> and the number of clamped values is
 * logged as a warning.
 *
 * <p><b>Inference.</b> An image {@code x} is projected on the fixed basis by multiplicative updates of its
 * coefficients alone, {@code h <- h * (W x) / (W W^T h + eps)} (element-wise), from the best uniform start
 * {@code h = c 1} ({@code c = 1^T W x / 1^T W W^T 1}), for at most {@code max-iterations} iterations or until
 * its own objective's relative decrease falls below {@code tolerance}. This runs per image in plain Java (about
 * {@code 2 k p + iterations * k^2} multiply-adds), so a score does not depend on how images are batched. Outputs:
 * {@link OutputKind#RECONSTRUCTION} {@code = h W} (for {@code masked-mse} and {@code top-k-se}) and
 * {@link OutputKind#LATENT} {@code = h} (for the latent-space scorers).
 *
 * <p>All public methods are synchronized; the fitted basis is immutable.
 */
public final class NmfModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "nmf";
    private static final Logger LOG = LoggerFactory.getLogger(NmfModel.class);
    private static final int MAGIC = 0x4E4D461A; // "NMF" + 0x1A
    private static final int VERSION = 1;
    private static final String WHAT = "nmf model";
    private static final int MAX_SIDE = 1 << 14;

    private final int components;
    private final int maxIterations;
    private final double tolerance;

    private Basis basis;

    /** The fitted basis, its Gram matrix and the input size. */
    private record Basis(double[][] w, double[][] gram, int width, int height) {
        static Basis of(double[][] w, int width, int height) {
            int k = w.length;
            double[][] g = new double[k][k];
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    double s = 0;
                    double[] wa = w[a];
                    double[] wb = w[b];
                    for (int i = 0; i < wa.length; i++) {
                        s += wa[i] * wb[i];
                    }
                    g[a][b] = s;
                    g[b][a] = s;
                }
            }
            return new Basis(w, g, width, height);
        }
    }

    /**
     * @param components    number of basis images {@code k}, at least 1
     * @param maxIterations iterations of fitting (and of each projection), at least 1
     * @param tolerance     relative objective decrease that stops fitting (and projecting) early, at least 0
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public NmfModel(int components, int maxIterations, double tolerance) {
        if (components < 1) {
            throw new IllegalArgumentException("parameter nmf.components must be at least 1, got " + components);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("parameter nmf.max-iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("parameter nmf.tolerance must be a number >= 0, got " + tolerance);
        }
        this.components = components;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    }

    /**
     * Factorises the training images (a previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes or non-finite pixel values
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] size = ImageChecks.sameSize(normals);
        int h = size[0];
        int w = size[1];
        double[][] x = new double[normals.size()][];
        long clamped = 0;
        for (int i = 0; i < x.length; i++) {
            GrayImage img = normals.get(i);
            x[i] = new double[w * h];
            clamped += data(img, x[i], "training image " + i);
        }
        warnClamped(clamped, "training");
        long start = System.nanoTime();
        NmfSolver.Result r = NmfSolver.factorise(x, components, maxIterations, tolerance, context.seed(),
                context.listener());
        double seconds = (System.nanoTime() - start) / 1e9;
        basis = Basis.of(r.basis(), w, h);
        double mse = r.finalObjective() / ((double) x.length * w * h);
        LOG.info("NMF fitted on {} images ({}x{}), k={}: {} iterations{}, mean squared error {} in {} s", x.length, w,
                h, components, r.iterations(), r.converged() ? " (converged)" : "",
                String.format(Locale.ROOT, "%.6f", mse), String.format(Locale.ROOT, "%.1f", seconds));
        double ips = seconds > 0 ? x.length * (double) r.iterations() / seconds : 0.0;
        return new TrainingSummary(x.length, r.iterations(), mse, ips, seconds);
    }

    /**
     * Copies an image's pixels into {@code out} ({@link ImageChecks#flatten}), then clamps negative ones to 0.
     *
     * @return the number of clamped values
     */
    private static long data(GrayImage img, double[] out, String what) {
        ImageChecks.flatten(img, out, what);
        long clamped = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) {
                out[i] = 0;
                clamped++;
            }
        }
        return clamped;
    }

    private static void warnClamped(long clamped, String where) {
        if (clamped > 0) {
            LOG.warn("NMF needs non-negative pixels: clamped {} negative {} pixel values to 0 (the default pipeline's"
                    + " normalize stage gives [0, 1])", clamped, where);
        }
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        Basis b = requireFitted();
        List<ModelOutput> out = new ArrayList<>(images.size());
        long clamped = 0;
        double[] x = new double[b.width * b.height];
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            ImageChecks.fittedSize(img, i, b.width, b.height);
            clamped += data(img, x, "image " + i);
            double[] coef = project(b, x);
            out.add(ModelOutput.builder(img).reconstruction(reconstruct(b, coef))
                    .latent(ImageChecks.toFloats(coef)).build());
        }
        warnClamped(clamped, "input");
        return out;
    }

    /** Non-negative coefficients of {@code x} on the fixed basis (multiplicative updates). */
    private double[] project(Basis b, double[] x) {
        int k = b.w.length;
        double[] wx = new double[k];
        double xx = 0;
        for (double v : x) {
            xx += v * v;
        }
        for (int j = 0; j < k; j++) {
            double[] wj = b.w[j];
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                s += wj[i] * x[i];
            }
            wx[j] = s;
        }
        double num = 0;
        double den = 0;
        for (int j = 0; j < k; j++) {
            num += wx[j];
            for (int l = 0; l < k; l++) {
                den += b.gram[j][l];
            }
        }
        double[] h = new double[k];
        Arrays.fill(h, num > 0 && den > 0 ? num / den : 0.0);
        double[] gh = new double[k];
        double prev = Double.NaN;
        for (int it = 0; it < maxIterations; it++) {
            gram(b.gram, h, gh);
            double obj = xx;
            for (int j = 0; j < k; j++) {
                obj += h[j] * (gh[j] - 2 * wx[j]);
            }
            if (it > 0 && Math.abs(prev - obj) <= tolerance * Math.max(prev, Double.MIN_NORMAL)) {
                break;
            }
            prev = obj;
            for (int j = 0; j < k; j++) {
                h[j] *= wx[j] / (gh[j] + NmfSolver.EPSILON);
            }
        }
        return h;
    }

    private static void gram(double[][] g, double[] h, double[] out) {
        for (int j = 0; j < h.length; j++) {
            double s = 0;
            double[] gj = g[j];
            for (int l = 0; l < h.length; l++) {
                s += gj[l] * h[l];
            }
            out[j] = s;
        }
    }

    private static float[] reconstruct(Basis b, double[] h) {
        int p = b.width * b.height;
        double[] r = new double[p];
        for (int j = 0; j < h.length; j++) {
            double c = h[j];
            if (c == 0) {
                continue;
            }
            double[] wj = b.w[j];
            for (int i = 0; i < p; i++) {
                r[i] += c * wj[i];
            }
        }
        return ImageChecks.toFloats(r);
    }

    /**
     * @return a copy of the basis, {@code components x (width * height)}, one row-major basis image per row
     * @throws IllegalStateException when not fitted
     */
    public synchronized double[][] basis() {
        double[][] w = requireFitted().w;
        double[][] copy = new double[w.length][];
        for (int j = 0; j < w.length; j++) {
            copy[j] = w[j].clone();
        }
        return copy;
    }

    /**
     * Writes the basis images as one grayscale PNG: a grid of {@code ceil(sqrt(k))} columns separated by 1-pixel
     * black lines, each basis image scaled on its own so that its largest value is white.
     *
     * @param file the PNG file (parent folders are created)
     * @throws IOException           when writing fails
     * @throws IllegalStateException when not fitted
     */
    public synchronized void writeBasisGrid(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Basis b = requireFitted();
        int k = b.w.length;
        int cols = (int) Math.ceil(Math.sqrt(k));
        int rows = (k + cols - 1) / cols;
        int gw = cols * (b.width + 1) - 1;
        int gh = rows * (b.height + 1) - 1;
        BufferedImage img = new BufferedImage(gw, gh, BufferedImage.TYPE_BYTE_GRAY);
        for (int j = 0; j < k; j++) {
            double[] wj = b.w[j];
            double max = 0;
            for (double v : wj) {
                max = Math.max(max, v);
            }
            int ox = (j % cols) * (b.width + 1);
            int oy = (j / cols) * (b.height + 1);
            for (int y = 0; y < b.height; y++) {
                for (int x = 0; x < b.width; x++) {
                    double v = max > 0 ? wj[y * b.width + x] / max : 0;
                    int g = (int) Math.round(255 * Math.min(1, Math.max(0, v)));
                    img.getRaster().setSample(ox + x, oy + y, 0, g);
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private Basis requireFitted() {
        if (basis == null) {
            throw new IllegalStateException("model not fitted");
        }
        return basis;
    }

    /** Format: {@link StateFormat} framing around components, width, height and the basis (doubles, row by row). */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        Basis b = requireFitted();
        StateFormat.write(out, MAGIC, VERSION, d -> {
            d.writeInt(components);
            d.writeInt(b.width);
            d.writeInt(b.height);
            for (double[] row : b.w) {
                StateFormat.writeDoubles(d, row);
            }
        });
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        basis = StateFormat.read(in, MAGIC, VERSION, WHAT, d -> {
            int k = d.readInt();
            if (k != components) {
                throw new IOException(WHAT + " state has " + k + " components but this model has " + components);
            }
            int w = StateFormat.readInt(d, "width", 1, MAX_SIDE, WHAT);
            int h = StateFormat.readInt(d, "height", 1, MAX_SIDE, WHAT);
            if ((long) w * h * k > StateFormat.MAX_MATRIX_VALUES) {
                throw new IOException("corrupt " + WHAT + " state: " + k + " basis images of " + w + "x" + h);
            }
            double[][] basisRows = new double[k][];
            for (int j = 0; j < k; j++) {
                basisRows[j] = StateFormat.readDoubles(d, w * h, "basis image " + j, WHAT);
                for (double v : basisRows[j]) {
                    if (!(v >= 0) || !Double.isFinite(v)) {
                        throw new IOException("corrupt " + WHAT + " state: basis image " + j + " has the value " + v);
                    }
                }
            }
            return Basis.of(basisRows, w, h);
        });
    }

    @Override
    public synchronized String toString() {
        return "NmfModel[components=" + components + ", max-iterations=" + maxIterations + ", tolerance=" + tolerance
                + (basis == null ? ", not fitted" : ", " + basis.width + "x" + basis.height) + "]";
    }
}
