package io.github.deepc.anomaly.models.patch;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A patch memory bank (PatchCore-like, position-free): small windows of the normal images at two or more scales,
 * encoded by a linear encoder learned on the normal windows, kept in a coreset-subsampled memory bank; a new image's
 * anomaly map is the distance of each of its windows to the nearest window in the bank. Local anomalies (a fracture,
 * a nodule, a tube) change a few windows a lot, which a whole-image model of a thumbnail barely sees.
 *
 * <p><b>Encoder.</b> Per scale {@code s} the image is shrunk {@code 2^s} times and cut into {@code patch x patch}
 * windows every {@code stride} pixels ({@link PatchGrid}). Each window's pixels are projected on the
 * {@code components} principal directions of the training windows (a PCA of a seeded sample of at most
 * {@value #PCA_SAMPLE} training windows): the encoder is learned from the normals only, needs no pretrained weights,
 * and is deterministic.
 *
 * <p><b>Memory bank.</b> The codes of a seeded sample of at most {@code candidates} training windows per scale are
 * reduced to {@code bank} of them by greedy k-center selection ({@link Coreset}). The mean distance of the sampled
 * windows to the bank normalises that scale's distances, so scales add on one footing.
 *
 * <p><b>Output.</b> {@link OutputKind#ANOMALY_MAP}: per pixel, the mean over scales of the mean normalised distance
 * of the windows covering it (invalid and uncovered pixels 0). The {@code anomaly-map} scorer turns it into an image
 * score (largest value or top-k mean) and uses it as the heat map.
 *
 * <p>Inference is deterministic and parallel over images (each image's map depends on that image alone).
 */
public final class PatchMemoryModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "patch-memory";
    static final int PCA_SAMPLE = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(PatchMemoryModel.class);
    private static final int MAGIC = 0x50544D1A; // "PTM" + 0x1A
    private static final int VERSION = 1;
    private static final String WHAT = "patch-memory model";
    private static final int MAX_SIDE = 1 << 14;

    private final Settings settings;
    private Fitted fitted;

    /**
     * The model's parameters.
     *
     * @param patch      window side in pixels at each scale
     * @param stride     window step at each scale
     * @param scales     number of scales (1 = full size only, 2 = also half size...)
     * @param components code length of a window
     * @param bank       memory bank size per scale
     * @param candidates most training windows per scale the bank is chosen from
     */
    public record Settings(int patch, int stride, int scales, int components, int bank, int candidates) {
        /** Checks ranges, naming the parameter. */
        public Settings {
            positive("patch", patch);
            positive("stride", stride);
            positive("scales", scales);
            positive("components", components);
            positive("bank", bank);
            positive("candidates", candidates);
            if (components > patch * patch) {
                throw new IllegalArgumentException("parameter patch-memory.components must be at most patch * patch = "
                        + patch * patch + ", got " + components);
            }
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("parameter patch-memory." + name + " must be at least 1, got " + v);
            }
        }
    }

    /** One scale's encoder and bank. */
    private record Scale(float[] mean, float[] basis, float[] bank, int bankSize, float norm) {
    }

    private record Fitted(int width, int height, Scale[] scales) {
    }

    /** @param settings the parameters */
    public PatchMemoryModel(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.ANOMALY_MAP);
    }

    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(context, "context");
        int[] size = ImageChecks.sameSize(normals);
        int h = size[0];
        int w = size[1];
        long start = System.nanoTime();
        Scale[] scales = new Scale[settings.scales()];
        for (int s = 0; s < scales.length; s++) {
            PatchGrid grid = grid(w, h, s);
            scales[s] = fitScale(normals, grid, context.seed() + 31L * s, s);
            context.listener().onProgress(ID, s + 1, scales.length);
        }
        fitted = new Fitted(w, h, scales);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("patch-memory fitted on {} images ({}x{}), {} scales, banks of {} windows, in {} s", normals.size(), w,
                h, scales.length, settings.bank(), String.format(Locale.ROOT, "%.1f", seconds));
        return new TrainingSummary(normals.size(), 1, 0.0, seconds > 0 ? normals.size() / seconds : 0.0, seconds);
    }

    private PatchGrid grid(int w, int h, int scale) {
        return new PatchGrid(w, h, settings.patch(), settings.stride(), scale);
    }

    private Scale fitScale(List<GrayImage> normals, PatchGrid grid, long seed, int scale) {
        int d = grid.dimension();
        int k = settings.components();
        // all counting windows of all images, as (image, position) pairs, then a seeded sample of them
        List<float[]> windows = new ArrayList<>(normals.size());
        List<boolean[]> counts = new ArrayList<>(normals.size());
        long total = 0;
        for (int i = 0; i < normals.size(); i++) {
            GrayImage img = normals.get(i);
            ImageChecks.requireFinite(img, "training image " + i);
            float[] out = new float[grid.positions() * d];
            boolean[] c = grid.extract(img, out);
            windows.add(out);
            counts.add(c);
            for (boolean b : c) {
                total += b ? 1 : 0;
            }
        }
        if (total < 2) {
            throw new IllegalArgumentException("patch-memory: the training images have " + total
                    + " windows with at least half their pixels valid at scale " + scale + "; need at least 2");
        }
        long[] all = new long[(int) total];
        int t = 0;
        for (int i = 0; i < windows.size(); i++) {
            boolean[] c = counts.get(i);
            for (int p = 0; p < c.length; p++) {
                if (c[p]) {
                    all[t++] = ((long) i << 32) | p;
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        shuffle(all, rng);
        int pcaCount = Math.min(all.length, PCA_SAMPLE);
        float[] mean = new float[d];
        float[] basis = PatchEncoder.fit(windows, all, pcaCount, d, Math.min(k, d), mean);
        int cand = Math.min(all.length, settings.candidates());
        float[] codes = new float[cand * k];
        for (int c = 0; c < cand; c++) {
            long id = all[c];
            PatchEncoder.encode(windows.get((int) (id >>> 32)), (int) id * d, d, mean, basis, k, codes, c * k);
        }
        int[] chosen = Coreset.select(codes, cand, k, settings.bank(), rng.nextLong());
        float[] bank = new float[chosen.length * k];
        for (int c = 0; c < chosen.length; c++) {
            System.arraycopy(codes, chosen[c] * k, bank, c * k, k);
        }
        double sum = 0;
        for (int c = 0; c < cand; c++) {
            sum += Math.sqrt(nearest(codes, c * k, bank, chosen.length, k));
        }
        float norm = (float) (sum / cand);
        if (!(norm > 0)) {
            norm = 1f; // every candidate is in the bank: distances are measured unnormalised
        }
        LOG.debug("patch-memory scale {}: {} windows, {} candidates, bank {}, mean distance {}", scale, total, cand,
                chosen.length, norm);
        return new Scale(mean, basis, bank, chosen.length, norm);
    }

    private static void shuffle(long[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    /** @return the smallest squared distance from one code to the bank */
    private static float nearest(float[] codes, int off, float[] bank, int bankSize, int k) {
        float best = Float.POSITIVE_INFINITY;
        for (int b = 0; b < bankSize; b++) {
            float dist = Coreset.squaredDistance(codes, off, bank, b * k, k);
            if (dist < best) {
                best = dist;
            }
        }
        return best;
    }

    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        Fitted f = requireFitted();
        for (int i = 0; i < images.size(); i++) {
            ImageChecks.fittedSize(images.get(i), i, f.width, f.height);
        }
        return IntStream.range(0, images.size()).parallel()
                .mapToObj(i -> ModelOutput.builder(images.get(i)).anomalyMap(map(f, images.get(i), i)).build()).toList();
    }

    private float[] map(Fitted f, GrayImage img, int index) {
        int n = f.width * f.height;
        ImageChecks.requireFinite(img, "image " + index);
        float[] result = new float[n];
        int k = settings.components();
        for (int s = 0; s < f.scales.length; s++) {
            Scale sc = f.scales[s];
            PatchGrid grid = grid(f.width, f.height, s);
            int d = grid.dimension();
            float[] windows = new float[grid.positions() * d];
            boolean[] counts = grid.extract(img, windows);
            float[] code = new float[k];
            float[] dist = new float[grid.positions()];
            for (int p = 0; p < dist.length; p++) {
                if (counts[p]) {
                    PatchEncoder.encode(windows, p * d, d, sc.mean, sc.basis, k, code, 0);
                    dist[p] = (float) Math.sqrt(nearest(code, 0, sc.bank, sc.bankSize, k)) / sc.norm;
                }
            }
            double[] sum = new double[n];
            int[] hits = new int[n];
            grid.paint(dist, counts, sum, hits);
            boolean[] valid = img.unsafeMask();
            for (int i = 0; i < n; i++) {
                if (hits[i] > 0 && valid[i]) {
                    result[i] += (float) (sum[i] / hits[i] / f.scales.length);
                }
            }
        }
        return result;
    }

    private Fitted requireFitted() {
        if (fitted == null) {
            throw new IllegalStateException("model not fitted");
        }
        return fitted;
    }

    /**
     * Format: {@link StateFormat} framing around the six parameters, width, height, then per scale the encoder's
     * mean and basis, the bank size, the bank and the normaliser (floats).
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        Fitted f = requireFitted();
        StateFormat.write(out, MAGIC, VERSION, d -> {
            writeSettings(d);
            d.writeInt(f.width);
            d.writeInt(f.height);
            for (Scale s : f.scales) {
                StateFormat.writeFloats(d, s.mean);
                StateFormat.writeFloats(d, s.basis);
                d.writeInt(s.bankSize);
                StateFormat.writeFloats(d, s.bank);
                d.writeFloat(s.norm);
            }
        });
    }

    private void writeSettings(DataOutputStream d) throws IOException {
        d.writeInt(settings.patch());
        d.writeInt(settings.stride());
        d.writeInt(settings.scales());
        d.writeInt(settings.components());
        d.writeInt(settings.bank());
        d.writeInt(settings.candidates());
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        fitted = StateFormat.read(in, MAGIC, VERSION, WHAT, d -> {
            Settings stored = new Settings(d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt());
            if (!stored.equals(settings)) {
                throw new IOException(WHAT + " state was written with " + stored + " but this model has " + settings);
            }
            int w = StateFormat.readInt(d, "width", 1, MAX_SIDE, WHAT);
            int h = StateFormat.readInt(d, "height", 1, MAX_SIDE, WHAT);
            int k = settings.components();
            int dim = settings.patch() * settings.patch();
            Scale[] scales = new Scale[settings.scales()];
            for (int s = 0; s < scales.length; s++) {
                float[] mean = StateFormat.readFloats(d, dim, "mean", WHAT);
                float[] basis = StateFormat.readFloats(d, k * dim, "basis", WHAT);
                int bankSize = StateFormat.readInt(d, "bank size", 1, settings.bank(), WHAT);
                float[] bank = StateFormat.readFloats(d, bankSize * k, "bank", WHAT);
                float norm = d.readFloat();
                if (!(norm > 0) || !Float.isFinite(norm)) {
                    throw new IOException("corrupt " + WHAT + " state: normaliser " + norm);
                }
                scales[s] = new Scale(mean, basis, bank, bankSize, norm);
            }
            try {
                for (int s = 0; s < scales.length; s++) {
                    grid(w, h, s);
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupt " + WHAT + " state: " + e.getMessage(), e);
            }
            return new Fitted(w, h, scales);
        });
    }

    @Override
    public synchronized String toString() {
        return "PatchMemoryModel[" + settings + (fitted == null ? ", not fitted" : ", " + fitted.width + "x" + fitted.height) + "]";
    }
}
