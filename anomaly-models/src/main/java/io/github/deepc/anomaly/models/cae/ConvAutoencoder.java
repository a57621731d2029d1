package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.GraphVariables;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.TrainingImages;
import io.github.deepc.anomaly.models.score.PixelLoss;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the convolutional autoencoders ({@link CaeModel}, {@link BottleneckCaeModel}, {@link VaeModel}) share:
 * training, inference, the saved-state format and the release of native memory, for a network described by a
 * {@link CaeGraph.Spec}.
 *
 * <p>The network's weights live in a SameDiff graph ({@link CaeGraph}), which initialises them, saves and loads
 * them. Training and inference run on the engine of {@link TrainingOptions#engine()}: by default the direct engine
 * ({@link DirectAutoencoder}, via {@link DirectTrainer}: the graph's weights are copied in before training and back
 * after it and before each validation; inference keeps one inference-only engine per fitted or loaded model), or
 * the graph itself with one {@code SameDiff.fit(iterator, epochs)} call over a seeded, reshuffled-per-epoch iterator
 * (per-epoch {@code fit} calls make ND4J 1.0.0-M2.1's native memory grow). Either way the same seed gives the same
 * weights and batch order, independent of ND4J's global random generator. The seed is split, in this order, into the
 * initialisation, the shuffling, the VAE's noise, the validation hold-out and the VAE's validation noise. With a
 * validation fraction the held-out loss is computed after every epoch and, with a patience, training stops early
 * through the listener's response and the best epoch's weights are kept.
 *
 * <p>Not thread-safe for concurrent fitting; all public methods are synchronized. Holds native memory until
 * {@link #close()}.
 */
abstract class ConvAutoencoder implements AnomalyModel {
    private static final Logger LOG = LoggerFactory.getLogger(ConvAutoencoder.class);

    /** Images per {@code output} call in {@link #infer(List)} and in validation. */
    static final int INFER_BATCH = 64;
    /**
     * Java heap the direct engine's inference matrices may take (as much again natively); fewer images per pass for
     * large inputs (at 64x64 the reference network needs 1.4 MB per image, at 512x512 90 MB).
     */
    private static final long INFER_HEAP_BYTES = 128L << 20;
    private static final int MAX_SIDE = 1 << 14;

    private final CaeGraph.Spec spec;
    private final TrainingOptions training;
    private final String label;
    private final int magic;
    private final int formatVersion;

    private SameDiff sd;
    /** With {@link #direct()}: the engine that infers with {@link #sd}'s weights, or {@code null} until needed. */
    private DirectAutoencoder inference;
    private int height;
    private int width;

    /**
     * @param spec          network and loss
     * @param training      training options
     * @param label         short model name for messages, e.g. {@code CAE}
     * @param magic         first four bytes of a saved state
     * @param formatVersion version of the saved-state format
     */
    ConvAutoencoder(CaeGraph.Spec spec, TrainingOptions training, String label, int magic, int formatVersion) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.training = Objects.requireNonNull(training, "training");
        this.label = label;
        this.magic = magic;
        this.formatVersion = formatVersion;
    }

    /** @return what a saved state must declare to be loaded into this model (its trainable variables' layout) */
    abstract String descriptor();

    /**
     * @return whether training and inference run on the {@link DirectAutoencoder} engine rather than the SameDiff
     *         graph; the graph holds the weights either way
     */
    private boolean direct() {
        return training.engine() == CaeEngine.DIRECT;
    }

    /** @return the network and loss */
    CaeGraph.Spec spec() {
        return spec;
    }

    /** @return the convolutional layout */
    public ConvLayout layout() {
        return spec.layout();
    }

    /** @return the training options */
    public TrainingOptions training() {
        return training;
    }

    /**
     * @param height input height
     * @param width  input width
     * @return the number of trainable parameters for inputs of this size
     */
    public long parameterCount(int height, int width) {
        return spec.parameterCount(height, width);
    }

    /**
     * @param head a network head
     * @return the outputs of a model with that head
     */
    static Set<OutputKind> outputsOf(CaeGraph.Head head) {
        return switch (head) {
            case NONE -> Set.of(OutputKind.RECONSTRUCTION);
            case DENSE -> Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT);
            case VARIATIONAL -> Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT, OutputKind.KL_DIVERGENCE);
        };
    }

    @Override
    public Set<OutputKind> outputs() {
        return outputsOf(spec.head());
    }

    /**
     * Trains a freshly initialised network (any previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes (naming the index and both sizes),
     *                                  sides that are not multiples of the layout's stride, non-finite pixel values,
     *                                  pixels outside [0, 1] for a BCE loss, or too few images for the hold-out
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] hw = TrainingImages.check(normals, this::checkSides,
                spec.reconstruction() == PixelLoss.BCE ? ConvAutoencoder::checkUnitRange : null);
        int h = hw[0];
        int w = hw[1];

        release();
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        SplittableRandom noiseRng = root.split();
        SplittableRandom holdOutRng = root.split();
        SplittableRandom validationNoiseRng = root.split();
        List<List<GrayImage>> parts = holdOut(normals, training.validationFraction(), holdOutRng);
        List<GrayImage> train = parts.get(0);
        List<GrayImage> validation = parts.get(1);
        LOG.debug("training {} ({}) on {} images of {}x{} ({} held out): {}", label, descriptor(), train.size(), w, h,
                validation.size(), training);
        SameDiff graph = null;
        ValidationMonitor monitor = null;
        EpochLossListener progress;
        try {
            graph = CaeGraph.build(spec, h, w, initRng);
            if (!validation.isEmpty()) {
                monitor = new ValidationMonitor(graph, spec, validation, h, w, training.patience(), validationNoiseRng);
            }
            if (direct() && directFits(train.size(), h, w)) {
                progress = DirectTrainer.train(graph, spec, train, h, w, training, shuffleRng, noiseRng, monitor,
                        context.listener());
            } else {
                graph.setTrainingConfig(GraphSupport.trainingConfig(training.learningRate(), 0,
                        spec.variational() ? List.of(CaeGraph.INPUT, CaeGraph.NOISE) : List.of(CaeGraph.INPUT),
                        List.of(CaeGraph.MASK), CaeGraph.LOSS));
                GraphSupport.createQuietGradients(graph);
                progress = new EpochLossListener(context.listener(), training.epochs(), monitor,
                        Double.POSITIVE_INFINITY);
                // one fit call over all epochs: the iterator reshuffles on each reset
                graph.fit(new ShuffledImageIterator(train, training.batchSize(), h, w, shuffleRng,
                        spec.variational() ? spec.latent() : 0, noiseRng), training.epochs(), progress);
            }
            if (monitor != null && monitor.restoreBest()) {
                LOG.info("{}: kept the weights of epoch {} (validation loss {})", label, monitor.stopping().bestEpoch(),
                        String.format(Locale.ROOT, "%.6f", monitor.stopping().best()));
            }
        } catch (RuntimeException | Error e) {
            if (graph != null) {
                GraphSupport.release(graph);
            }
            throw e;
        }
        this.sd = graph;
        this.height = h;
        this.width = w;
        double seconds = progress.totalSeconds();
        double ips = seconds > 0 ? progress.totalImages() / seconds : Double.POSITIVE_INFINITY;
        LOG.info("{} trained on {} images ({}x{}), {} epochs{}: loss {}, {} images/s", label, train.size(), w, h,
                progress.epochsDone(), progress.epochsDone() < training.epochs() ? " (stopped early)" : "",
                String.format(Locale.ROOT, "%.6f", progress.lastLoss()), String.format(Locale.ROOT, "%.1f", ips));
        return new TrainingSummary(train.size(), progress.epochsDone(), progress.lastLoss(), ips, seconds);
    }

    /**
     * Whether the direct engine's training matrices fit in half the Java heap; if not, training falls back to the
     * SameDiff graph (which keeps its arrays natively), with a warning, rather than failing with an
     * {@link OutOfMemoryError} part-way.
     */
    private boolean directFits(int images, int h, int w) {
        int batch = Math.min(training.batchSize(), images);
        long needed = DirectEngine.heapBytesPerImage(spec, h, w, true) * batch;
        long limit = Runtime.getRuntime().maxMemory() / 2;
        if (needed <= limit) {
            return true;
        }
        LOG.warn("{}: the direct engine would need about {} MiB of Java heap for batches of {} {}x{} images (half the "
                + "maximum heap is {} MiB); training on SameDiff instead. Lower batch-size or raise -Xmx to use the "
                + "direct engine", label, needed >> 20, batch, w, h, limit >> 20);
        return false;
    }

    private static void checkUnitRange(int image, float v) {
        if (v < 0f || v > 1f) {
            throw new IllegalArgumentException("training image " + image + " has a pixel value " + v + " outside "
                    + "[0, 1], which the bce reconstruction loss needs; normalise to [0, 1] or use mse");
        }
    }

    /**
     * Splits off a seeded hold-out: {@code round(fraction * n)} images, at least one when the fraction is above 0,
     * chosen by a partial Fisher-Yates shuffle; both parts keep the input order.
     *
     * @return the training part and the held-out part
     * @throws IllegalArgumentException when no training image would be left
     */
    static List<List<GrayImage>> holdOut(List<GrayImage> images, double fraction, SplittableRandom rng) {
        int n = images.size();
        if (fraction == 0) {
            return List.of(images, List.of());
        }
        int k = Math.max(1, (int) Math.round(fraction * n));
        if (k >= n) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + n + " images leaves no "
                    + "training image; use more images or a smaller fraction");
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        boolean[] held = new boolean[n];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            held[idx[i]] = true;
        }
        List<GrayImage> train = new ArrayList<>(n - k);
        List<GrayImage> validation = new ArrayList<>(k);
        for (int i = 0; i < n; i++) {
            (held[i] ? validation : train).add(images.get(i));
        }
        return List.of(train, validation);
    }

    private void checkSides(int h, int w) {
        int stride = spec.layout().stride();
        if (h % stride != 0 || w % stride != 0) {
            throw new IllegalArgumentException(label + " input sides must be multiples of " + stride + " ("
                    + spec.layout().depth() + " stride-2 stages), got " + w + "x" + h);
        }
    }

    /**
     * @throws IllegalStateException    when the model is not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        SameDiff graph = requireFitted();
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("image " + i + " is null");
            }
            if (img.width() != width || img.height() != height) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + " but the model was trained on " + width + "x" + height + " images");
            }
        }
        Set<OutputKind> kinds = outputs();
        List<String> names = new ArrayList<>(List.of(CaeGraph.OUTPUT));
        if (kinds.contains(OutputKind.LATENT)) {
            names.add(CaeGraph.LATENT);
        }
        if (kinds.contains(OutputKind.KL_DIVERGENCE)) {
            names.add(CaeGraph.KL);
        }
        int px = height * width;
        int k = spec.latent();
        List<ModelOutput> out = new ArrayList<>(images.size());
        DirectAutoencoder engine = direct() ? inferenceEngine(graph) : null;
        int batch = engine == null ? INFER_BATCH : inferenceBatch();
        float[] pixels = engine == null ? null : new float[batch * px];
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            float[] rec;
            float[] latent = null;
            float[] kl = null;
            if (engine != null) {
                ImageArrays.copyPixels(images, null, start, n, pixels);
                DirectAutoencoder.Outputs o = engine.infer(pixels, n);
                rec = o.reconstruction();
                latent = o.latent();
                kl = o.kl();
            } else {
                Map<String, INDArray> ph = new HashMap<>();
                ph.put(CaeGraph.INPUT, ImageArrays.pixels(images, null, start, n, height, width));
                if (spec.variational()) {
                    // z = mu at inference
                    ph.put(CaeGraph.NOISE, Nd4j.zeros(DataType.FLOAT, n, k));
                }
                Map<String, INDArray> res = graph.output(ph, names.toArray(new String[0]));
                rec = GraphSupport.toFloats(res.get(CaeGraph.OUTPUT));
                if (kinds.contains(OutputKind.LATENT)) {
                    latent = GraphSupport.toFloats(res.get(CaeGraph.LATENT));
                }
                if (kinds.contains(OutputKind.KL_DIVERGENCE)) {
                    kl = GraphSupport.toFloats(res.get(CaeGraph.KL));
                }
            }
            for (int b = 0; b < n; b++) {
                ModelOutput.Builder o = ModelOutput.builder(images.get(start + b))
                        .reconstruction(Arrays.copyOfRange(rec, b * px, (b + 1) * px));
                if (latent != null) {
                    o.latent(Arrays.copyOfRange(latent, b * k, (b + 1) * k));
                }
                if (kl != null) {
                    o.scalar(OutputKind.KL_DIVERGENCE, kl[b]);
                }
                out.add(o.build());
            }
        }
        return out;
    }

    /** @return images per direct inference pass: {@value #INFER_BATCH}, fewer where they would not fit the budget */
    private int inferenceBatch() {
        long perImage = DirectEngine.heapBytesPerImage(spec, height, width, false);
        return (int) Math.max(1, Math.min(INFER_BATCH, INFER_HEAP_BYTES / perImage));
    }

    /** The inference engine for the graph's current weights, built on first use after a fit or load. */
    private DirectAutoencoder inferenceEngine(SameDiff graph) {
        if (inference == null) {
            inference = DirectEngine.create(spec, height, width, inferenceBatch(), false);
            DirectEngine.copyToEngine(graph, spec, inference, height, width);
        }
        return inference;
    }

    private SameDiff requireFitted() {
        if (sd == null) {
            throw new IllegalStateException("model not fitted");
        }
        return sd;
    }

    /**
     * Format (big-endian, {@link DataOutputStream}): magic, format version, architecture descriptor (UTF), input
     * height and width, number of variables, then per trainable variable its name (UTF), rank, shape (longs), value
     * count and float32 values in row-major order; finally a CRC-32 of everything before it.
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        SameDiff graph = requireFitted();
        CRC32 crc = new CRC32();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(out, crc));
        d.writeInt(magic);
        d.writeInt(formatVersion);
        d.writeUTF(descriptor());
        d.writeInt(height);
        d.writeInt(width);
        List<String> names = spec.parameterNames(height, width);
        d.writeInt(names.size());
        for (String name : names) {
            GraphVariables.write(d, graph, name);
        }
        d.flush();
        // the checksum itself is written outside the checked stream
        new DataOutputStream(out).writeInt((int) crc.getValue());
        out.flush();
    }

    /**
     * Restores a state written by {@link #writeState(OutputStream)}; its architecture descriptor must match this
     * model's.
     *
     * @throws IOException when the state is truncated, corrupt (bad magic, version, sizes, names, shapes or
     *                     checksum) or for another architecture
     */
    @Override
    public synchronized void readState(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        CRC32 crc = new CRC32();
        DataInputStream d = new DataInputStream(new CheckedInputStream(in, crc));
        SameDiff graph = null;
        try {
            int m = d.readInt();
            if (m != magic) {
                throw new IOException("not a " + label + " model state (bad magic 0x" + Integer.toHexString(m) + ")");
            }
            int version = d.readInt();
            if (version != formatVersion) {
                throw new IOException("unsupported " + label + " state format version " + version + " (supported: "
                        + formatVersion + ")");
            }
            String arch = d.readUTF();
            if (!arch.equals(descriptor())) {
                throw new IOException(label + " state is for architecture '" + arch + "' but this model is '"
                        + descriptor() + "'");
            }
            int h = d.readInt();
            int w = d.readInt();
            int stride = spec.layout().stride();
            if (h < 1 || w < 1 || h > MAX_SIDE || w > MAX_SIDE || h % stride != 0 || w % stride != 0) {
                throw new IOException("corrupt " + label + " state: invalid input size " + w + "x" + h);
            }
            List<String> names = spec.parameterNames(h, w);
            int count = d.readInt();
            if (count != names.size()) {
                throw new IOException("corrupt " + label + " state: " + count + " variables, expected " + names.size());
            }
            graph = CaeGraph.build(spec, h, w, null);
            for (String expected : names) {
                GraphVariables.read(d, graph, expected, label);
            }
            long computed = crc.getValue();
            int stored = new DataInputStream(in).readInt();
            if (stored != (int) computed) {
                throw new IOException("corrupt " + label + " state: checksum mismatch");
            }
            release();
            this.sd = graph;
            this.height = h;
            this.width = w;
            graph = null;
        } catch (EOFException e) {
            throw new IOException("corrupt " + label + " state: truncated", e);
        } finally {
            if (graph != null) {
                GraphSupport.release(graph);
            }
        }
    }

    /** Releases the graph's native arrays; the model is then unfitted and may be fitted or loaded again. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        if (inference != null) {
            inference.close();
            inference = null;
        }
        if (sd != null) {
            GraphSupport.release(sd);
            sd = null;
        }
    }

    /** Package-private for tests: the live graph, or null. */
    SameDiff graph() {
        return sd;
    }

    /** @return the training image height of a fitted or loaded model */
    int height() {
        return height;
    }

    /** @return the training image width of a fitted or loaded model */
    int width() {
        return width;
    }

    /** @return the model's parameters for {@link #toString()}, e.g. {@code reference} */
    abstract String describeParameters();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeParameters() + ", " + training
                + (sd == null ? ", not fitted" : ", " + width + "x" + height) + "]";
    }
}
