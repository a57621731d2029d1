package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.DirectLocalizer;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.state.StateFormat;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code defect-localizer} model: a self-supervised detector of local anomalies (CutPaste / foreign-patch
 * interpolation style). A fully convolutional stride-2 encoder with a 1x1 logit head ({@link DirectLocalizer}, on the
 * library's own convolution engine) learns to predict, per cell of its output grid, the share of the cell covered by a
 * synthetic defect ({@link DefectGenerator}); each training image is shown with a seeded defect with probability
 * {@code defect-probability}, clean otherwise, in a fresh draw every epoch. Inference gives the cell probabilities
 * upsampled bilinearly to the input size as the {@link OutputKind#ANOMALY_MAP} (score it with {@code anomaly-map}) and
 * the last stage's features averaged over the grid as the {@link OutputKind#LATENT} (for {@code knn} and the other
 * latent scorers).
 *
 * <p>Deterministic for a given seed; all public methods are synchronized. Holds native memory (the engine's matrices)
 * only inside {@link #fit} and {@link #infer} calls. With the training context's checkpoints, training saves its
 * state after every epoch and resumes from one to the result of an uninterrupted run ({@link LocalizerTrainer}).
 */
public final class DefectLocalizerModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "defect-localizer";
    private static final Logger LOG = LoggerFactory.getLogger(DefectLocalizerModel.class);
    private static final int MAGIC = 0x44464c01; // "DFL" + 1
    private static final int VERSION = 1;
    private static final String WHAT = "defect-localizer model";
    private static final int MAX_SIDE = 1 << 14;
    /** Initial head bias: sigmoid(-2) = 0.12, near the share of defect cells, so the first epochs do not fight it. */
    private static final float INITIAL_HEAD_BIAS = -2f;

    private final LocalizerOptions options;
    private final List<Stage> stages;
    private int width;
    private int height;
    /** Images per inference pass for the current size, 0 until the first inference after a fit or load. */
    private int imagesPerPass;
    /**
     * The trained weights, which the engine computes on and trains in place (per stage {@code stage<i>_w}
     * {@code [out][in][k][k]} and {@code stage<i>_b}, then {@code head_w} and the one-element {@code head_b}), or
     * {@code null} when not fitted.
     */
    private ParameterStore weights;

    /** @param options the settings */
    public DefectLocalizerModel(LocalizerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        List<Stage> s = new ArrayList<>();
        for (int i = 0; i < options.depth(); i++) {
            s.add(new Stage(false, i == 0 ? 1 : options.channels() << (i - 1), options.channels() << i,
                    options.kernel(), Activation.RELU));
        }
        this.stages = List.copyOf(s);
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.ANOMALY_MAP, OutputKind.LATENT);
    }

    /** @return the settings */
    public LocalizerOptions options() {
        return options;
    }

    /**
     * @throws IllegalArgumentException for no images, images of differing sizes, or sides that are not multiples of
     *                                  {@code 2^depth}
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] hw = ImageChecks.sameSize(normals);
        int h = hw[0];
        int w = hw[1];
        int cell = 1 << options.depth();
        if (w % cell != 0 || h % cell != 0) {
            throw new IllegalArgumentException("defect-localizer with depth " + options.depth() + " needs image sides "
                    + "that are multiples of " + cell + ", got " + w + "x" + h + " (resize or pad the images, or lower depth)");
        }
        int batch = Math.min(options.batchSize(), normals.size());
        SplittableRandom init = new SplittableRandom(Seeds.mix(context.seed(), 1));
        SplittableRandom shuffle = new SplittableRandom(Seeds.mix(context.seed(), 2));
        SplittableRandom defects = new SplittableRandom(Seeds.mix(context.seed(), 3));
        EpochLossListener progress = new EpochLossListener(context.listener(), options.epochs(), null,
                Double.POSITIVE_INFINITY);
        ParameterStore trained = newStore();
        initialise(trained, init);
        String key = context.checkpoints() == Checkpointing.NONE ? ""
                : EpochCheckpoints.key(ID, trainingOptions(), context.seed(), List.of(normals));
        try (DirectLocalizer net = new DirectLocalizer(stages, h, w, batch, true, engineParameters(trained))) {
            new LocalizerTrainer(options, normals, shuffle, defects).train(net, trained, progress,
                    context.checkpoints(), key);
        }
        weights = trained;
        width = w;
        height = h;
        imagesPerPass = 0;
        LOG.debug("defect-localizer: {} images of {}x{}, {} epochs, final loss {}", normals.size(), w, h,
                progress.epochsDone(), progress.lastLoss());
        return new TrainingSummary(normals.size(), progress.epochsDone(), progress.lastLoss(),
                progress.imagesPerSecond(), progress.totalSeconds());
    }

    /**
     * Writes the image standardised over its valid pixels (mean 0, standard deviation 1; invalid pixels 0): the network
     * has no normalisation layers, and zero-centred inputs let its ReLU stages train from the first step.
     */
    static void standardise(float[] values, boolean[] valid, float[] target, int offset) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (valid[i]) {
                sum += values[i];
                sq += (double) values[i] * values[i];
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double var = n == 0 ? 0 : Math.max(sq / n - mean * mean, 0);
        double scale = var > 1e-12 ? 1 / Math.sqrt(var) : 1;
        for (int i = 0; i < values.length; i++) {
            target[offset + i] = valid[i] ? (float) ((values[i] - mean) * scale) : 0f;
        }
    }

    /**
     * @return the options as they affect training, for a checkpoint's key (the kinds in declaration order: a
     *         {@code Set.copyOf}'s order differs between JVMs, and a resumed run is another JVM)
     */
    private String trainingOptions() {
        StringBuilder kinds = new StringBuilder();
        for (DefectKind k : options.generator().kinds()) {
            kinds.append(kinds.length() == 0 ? "" : ",").append(k.word());
        }
        return "channels=" + options.channels() + ", depth=" + options.depth() + ", kernel=" + options.kernel()
                + ", epochs=" + options.epochs() + ", batch=" + options.batchSize() + ", lr=" + options.learningRate()
                + ", defect-probability=" + options.defectProbability() + ", kinds=" + kinds + ", defect-size="
                + options.minDefectSize() + "-" + options.maxDefectSize() + ", min-change=" + options.minChange()
                + ", positive-weight=" + options.positiveWeight();
    }

    /** @return a zero store in the layout of {@link #weights} */
    private ParameterStore newStore() {
        ParameterStore store = new ParameterStore();
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            store.add("stage" + s + "_w", st.out(), st.in(), st.kernel(), st.kernel());
            store.add("stage" + s + "_b", st.out());
        }
        store.add("head_w", stages.get(stages.size() - 1).out());
        store.add("head_b", 1);
        return store;
    }

    /** @return the store's arrays in the engine's parameter order (shared, not copied) */
    private static float[][] engineParameters(ParameterStore store) {
        List<String> names = store.names();
        float[][] p = new float[names.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = store.values(names.get(i));
        }
        return p;
    }

    /** He-normal stage weights, zero biases; a small normal head with a negative bias. */
    private void initialise(ParameterStore store, SplittableRandom rng) {
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            int fanIn = st.in() * st.kernel() * st.kernel();
            float[] wts = store.values("stage" + s + "_w");
            double std = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < wts.length; i++) {
                wts[i] = (float) (std * rng.nextGaussian());
            }
        }
        float[] hw = store.values("head_w");
        double std = Math.sqrt(1.0 / hw.length);
        for (int i = 0; i < hw.length; i++) {
            hw[i] = (float) (std * rng.nextGaussian());
        }
        store.values("head_b")[0] = INITIAL_HEAD_BIAS;
    }

    /** @return the Java heap bytes one image takes in the inference working matrices */
    private long bytesPerImage() {
        long floats = (long) width * height;
        long positions = floats;
        for (Stage s : stages) {
            positions /= 4;
            floats += (long) s.in() * s.kernel() * s.kernel() * positions + (long) s.out() * positions;
        }
        return floats * Float.BYTES;
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        if (weights == null) {
            throw new IllegalStateException("model not fitted");
        }
        for (int i = 0; i < images.size(); i++) {
            ImageChecks.fittedSize(images.get(i), i, width, height);
        }
        List<ModelOutput> out = new ArrayList<>(images.size());
        if (images.isEmpty()) {
            return out;
        }
        // options.inferenceBatch() images per pass (fewer where they would not fit the heap, decided and logged once per
        // fit or load); with one (the default) an image's outputs do not depend on the images beside it (InferenceBatch
        // says why they would)
        if (imagesPerPass == 0) {
            imagesPerPass = InferenceBatch.imagesPerPass(ID, options.inferenceBatch(), bytesPerImage(), width, height);
        }
        int batch = Math.min(images.size(), imagesPerPass);
        int px = width * height;
        try (DirectLocalizer net = new DirectLocalizer(stages, height, width, batch, false, engineParameters(weights))) {
            int gw = net.gridWidth();
            int gh = net.gridHeight();
            int c = net.channels();
            float[] pixels = new float[batch * px];
            for (int start = 0; start < images.size(); start += batch) {
                int n = Math.min(batch, images.size() - start);
                for (int b = 0; b < n; b++) {
                    GrayImage image = images.get(start + b);
                    standardise(image.unsafePixels(), image.unsafeMask(), pixels, b * px);
                }
                DirectLocalizer.Outputs o = net.infer(pixels, n);
                for (int b = 0; b < n; b++) {
                    float[] latent = new float[c];
                    System.arraycopy(o.features(), b * c, latent, 0, c);
                    out.add(ModelOutput.builder(images.get(start + b))
                            .anomalyMap(Grids.upsample(o.probabilities(), b * gw * gh, gw, gh, width, height))
                            .latent(latent).build());
                }
            }
        }
        return out;
    }

    /**
     * Format: {@link StateFormat} framing around the architecture (channels, depth, kernel, checked on reading), the
     * input width and height, each stage's weights and biases, and the head's.
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        if (weights == null) {
            throw new IllegalStateException("model not fitted");
        }
        StateFormat.write(out, MAGIC, VERSION, d -> {
            d.writeInt(options.channels());
            d.writeInt(options.depth());
            d.writeInt(options.kernel());
            d.writeInt(width);
            d.writeInt(height);
            // the store's tensors in order: per stage weights and biases, then the head's (format 1's layout)
            for (String name : weights.names()) {
                StateFormat.writeFloats(d, weights.values(name));
            }
        });
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        Object[] state = StateFormat.read(in, MAGIC, VERSION, WHAT, d -> {
            int[] arch = {d.readInt(), d.readInt(), d.readInt()};
            if (arch[0] != options.channels() || arch[1] != options.depth() || arch[2] != options.kernel()) {
                throw new IOException(WHAT + " state has channels " + arch[0] + ", depth " + arch[1] + ", kernel "
                        + arch[2] + " but this model has " + options.channels() + ", " + options.depth() + ", "
                        + options.kernel());
            }
            int w = StateFormat.readInt(d, "width", 1, MAX_SIDE, WHAT);
            int h = StateFormat.readInt(d, "height", 1, MAX_SIDE, WHAT);
            ParameterStore store = newStore();
            for (String name : store.names()) {
                float[] target = store.values(name);
                System.arraycopy(StateFormat.readFloats(d, target.length, describe(name), WHAT), 0, target, 0,
                        target.length);
            }
            return new Object[] {new int[] {w, h}, store};
        });
        int[] wh = (int[]) state[0];
        width = wh[0];
        height = wh[1];
        weights = (ParameterStore) state[1];
        imagesPerPass = 0;
    }

    /** @return a store tensor's name as the state's messages have always put it, e.g. "stage 0 weights" */
    private static String describe(String name) {
        return switch (name) {
            case "head_w" -> "head weights";
            case "head_b" -> "head bias";
            default -> "stage " + name.substring(5, name.indexOf('_')) + (name.endsWith("_w") ? " weights" : " biases");
        };
    }

    @Override
    public synchronized String toString() {
        return "DefectLocalizerModel[channels=" + options.channels() + ", depth=" + options.depth() + ", kernel="
                + options.kernel() + (weights == null ? ", not fitted" : ", input " + width + "x" + height) + "]";
    }
}
