package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.TrainingImages;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the convolutional autoencoders ({@link CaeModel}, {@link BottleneckCaeModel}, {@link VaeModel}) share:
 * training, inference, the saved-state format and the release of native memory, for a network described by an
 * {@link AutoencoderSpec}.
 *
 * <p>The network's weights live in one {@link ParameterStore} (laid out and initialised by the spec), which is also
 * the saved state's body. Training and inference run on the backend of {@link TrainingOptions#engine()}: by default
 * the direct engine ({@link DirectBackend}, trained by {@link DirectTrainer}), which computes on the store's arrays
 * and trains them in place; inference keeps one inference-only backend per fitted or loaded model. With
 * {@code engine=samediff} the reference backend ({@link SameDiffBackend}) copies the store into its graph, trains it
 * with one {@code SameDiff.fit(iterator, epochs)} call over a seeded, reshuffled-per-epoch iterator (per-epoch
 * {@code fit} calls make ND4J 1.0.0-M2.1's native memory grow) and copies the result back. Either way the same seed
 * gives the same initial weights and batch order, independent of ND4J's global random generator. The seed is split,
 * in this order, into the initialisation, the shuffling, the VAE's noise, the validation hold-out and the VAE's
 * validation noise. With a validation fraction the held-out loss is computed after every epoch and, with a patience,
 * training stops early through the listener's response and the best epoch's weights are kept. On the direct engine
 * training saves a checkpoint after every epoch to the context's {@link Checkpointing} and resumes from one
 * ({@link DirectTrainer}); on SameDiff it writes none and refuses to resume ({@link EpochCheckpoints#notResumable}).
 * Inference on the direct engine computes {@link TrainingOptions#inferenceBatch()} images per pass (one by default,
 * so that an image's outputs do not depend on the other images of a call; see {@link InferenceBatch}).
 *
 * <p>Not thread-safe for concurrent fitting; all public methods are synchronized. Holds native memory until
 * {@link #close()}.
 */
abstract class ConvAutoencoder implements AnomalyModel {
    private static final Logger LOG = LoggerFactory.getLogger(ConvAutoencoder.class);

    /**
     * Images per inference pass on SameDiff (whose scores therefore depend on the batch in the last float digits),
     * and the most per validation pass.
     */
    static final int INFER_BATCH = 64;
    private static final int MAX_SIDE = 1 << 14;
    /**
     * The saved-state format that stored the SameDiff graph's variables (ND4J's weight layouts, long shapes); still
     * read, converted into the store.
     */
    static final int GRAPH_FORMAT_VERSION = 1;
    /** The saved-state format whose body is the parameter store ({@link ParameterStore#write}). */
    static final int STORE_FORMAT_VERSION = 2;

    private final AutoencoderSpec spec;
    private final TrainingOptions training;
    private final String label;
    private final int magic;

    /** The weights of a fitted or loaded model, or {@code null}. */
    private ParameterStore store;
    /** The backend that infers with {@link #store}, or {@code null} until needed. */
    private AutoencoderBackend inference;
    private int height;
    private int width;

    /**
     * @param spec     network and loss
     * @param training training options
     * @param label    short model name for messages, e.g. {@code CAE}
     * @param magic    first four bytes of a saved state
     */
    ConvAutoencoder(AutoencoderSpec spec, TrainingOptions training, String label, int magic) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.training = Objects.requireNonNull(training, "training");
        this.label = label;
        this.magic = magic;
    }

    /** @return what a saved state must declare to be loaded into this model (its trainable variables' layout) */
    abstract String descriptor();

    /** @return whether training and inference run on the direct engine rather than the SameDiff graph */
    private boolean direct() {
        return training.engine() == CaeEngine.DIRECT;
    }

    /** @return the network and loss */
    AutoencoderSpec spec() {
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
     * @param bottleneck  whether the network has a code between encoder and decoder
     * @param variational whether that code is variational
     * @return the outputs of such a model
     */
    static Set<OutputKind> outputsOf(boolean bottleneck, boolean variational) {
        if (variational) {
            return Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT, OutputKind.KL_DIVERGENCE);
        }
        return bottleneck ? Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT) : Set.of(OutputKind.RECONSTRUCTION);
    }

    @Override
    public Set<OutputKind> outputs() {
        return outputsOf(spec.bottleneck() != null, spec.variational());
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
        ParameterStore weights = spec.initialStore(h, w, initRng);
        ValidationMonitor monitor = null;
        EpochLossListener progress;
        if (direct()) {
            int batch = Math.min(training.batchSize(), train.size());
            int chunk = trainingChunk(batch, DirectBackend.heapBytesPerImage(spec, h, w, true),
                    Runtime.getRuntime().maxMemory() / 2);
            if (chunk < batch) {
                LOG.info("{}: batches of {} {}x{} images would need more than half the maximum Java heap in the direct "
                        + "engine's working matrices; computing each in chunks of {} (one Adam step per batch, the "
                        + "same to float rounding)", label, batch, w, h, chunk);
            }
            // the chunk size changes float rounding, so a checkpoint is only resumed with the same one
            String key = context.checkpoints() == Checkpointing.NONE ? ""
                    : EpochCheckpoints.key(label + " " + descriptor(), training + ", chunk=" + chunk, context.seed(),
                            List.of(train, validation));
            try (DirectBackend backend = new DirectBackend(spec, weights, h, w, chunk, true)) {
                monitor = monitor(backend, weights, validation, h, w, validationNoiseRng);
                progress = DirectTrainer.train(backend.engine(), weights, spec, train, h, w, training, shuffleRng,
                        noiseRng, monitor, context.listener(), context.checkpoints(), key);
            }
        } else {
            EpochCheckpoints.notResumable(context.checkpoints(), label + " with engine=samediff",
                    "train with engine=direct (the default)");
            try (SameDiffBackend backend = new SameDiffBackend(spec, weights, h, w)) {
                monitor = monitor(backend, weights, validation, h, w, validationNoiseRng);
                backend.graph().setTrainingConfig(GraphSupport.trainingConfig(training.learningRate(), 0,
                        spec.variational() ? List.of(CaeGraph.INPUT, CaeGraph.NOISE) : List.of(CaeGraph.INPUT),
                        List.of(CaeGraph.MASK), CaeGraph.LOSS));
                GraphSupport.createQuietGradients(backend.graph());
                progress = new EpochLossListener(context.listener(), training.epochs(), monitor,
                        Double.POSITIVE_INFINITY);
                // one fit call over all epochs: the iterator reshuffles on each reset
                backend.graph().fit(new ShuffledImageIterator(train, training.batchSize(), h, w, shuffleRng,
                        spec.variational() ? spec.latent() : 0, noiseRng), training.epochs(), progress);
                backend.syncToStore();
            }
        }
        if (monitor != null && monitor.restoreBest()) {
            LOG.info("{}: kept the weights of epoch {} (validation loss {})", label, monitor.stopping().bestEpoch(),
                    String.format(Locale.ROOT, "%.6f", monitor.stopping().best()));
        }
        this.store = weights;
        this.height = h;
        this.width = w;
        double seconds = progress.totalSeconds();
        double ips = seconds > 0 ? progress.totalImages() / seconds : Double.POSITIVE_INFINITY;
        LOG.info("{} trained on {} images ({}x{}), {} epochs{}: loss {}, {} images/s", label, train.size(), w, h,
                progress.epochsDone(), progress.epochsDone() < training.epochs() ? " (stopped early)" : "",
                String.format(Locale.ROOT, "%.6f", progress.lastLoss()), String.format(Locale.ROOT, "%.1f", ips));
        return new TrainingSummary(train.size(), progress.epochsDone(), progress.lastLoss(), ips, seconds);
    }

    private ValidationMonitor monitor(AutoencoderBackend backend, ParameterStore weights, List<GrayImage> validation,
                                      int h, int w, SplittableRandom noiseRng) {
        return validation.isEmpty() ? null
                : new ValidationMonitor(backend, weights, spec, validation, h, w, training.patience(), noiseRng);
    }

    /**
     * @param batch         images per training batch
     * @param bytesPerImage Java heap one image takes in the engine's training matrices
     * @param budget        the heap the matrices may take
     * @return images per engine pass: the batch, or as many as fit the budget (at least 1); larger batches are
     *         computed in chunks with their gradients accumulated
     */
    static int trainingChunk(int batch, long bytesPerImage, long budget) {
        return (int) Math.max(1, Math.min(batch, budget / Math.max(1, bytesPerImage)));
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
        requireFitted();
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
        int px = height * width;
        int k = spec.latent();
        List<ModelOutput> out = new ArrayList<>(images.size());
        AutoencoderBackend backend = inferenceBackend();
        int batch = backend.maxImages();
        float[] pixels = new float[Math.min(batch, images.size()) * px];
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            ImageArrays.copyPixels(images, null, start, n, pixels);
            DirectAutoencoder.Outputs o = backend.infer(pixels, n);
            for (int b = 0; b < n; b++) {
                ModelOutput.Builder r = ModelOutput.builder(images.get(start + b))
                        .reconstruction(Arrays.copyOfRange(o.reconstruction(), b * px, (b + 1) * px));
                if (kinds.contains(OutputKind.LATENT)) {
                    r.latent(Arrays.copyOfRange(o.latent(), b * k, (b + 1) * k));
                }
                if (kinds.contains(OutputKind.KL_DIVERGENCE)) {
                    r.scalar(OutputKind.KL_DIVERGENCE, o.kl()[b]);
                }
                out.add(r.build());
            }
        }
        return out;
    }

    /**
     * The backend that infers with the store's weights, built on first use after a fit or load. The direct engine
     * infers {@link TrainingOptions#inferenceBatch()} images per pass: with one (the default) every image gets the
     * same products whatever the batch, so its score never depends on the images beside it (issue 15 item 9;
     * {@link InferenceBatch} says why batches would), at lower scoring throughput (training is unchanged).
     */
    private AutoencoderBackend inferenceBackend() {
        if (inference == null) {
            inference = direct() ? new DirectBackend(spec, store, height, width, InferenceBatch.imagesPerPass(label,
                    training.inferenceBatch(), DirectBackend.heapBytesPerImage(spec, height, width, false), width,
                    height), false)
                    : new SameDiffBackend(spec, store, height, width);
        }
        return inference;
    }

    private ParameterStore requireFitted() {
        if (store == null) {
            throw new IllegalStateException("model not fitted");
        }
        return store;
    }

    /**
     * Format {@value #STORE_FORMAT_VERSION} ({@link StateFormat}'s framing: magic, format version, body, CRC-32; all
     * big-endian): the architecture descriptor (UTF), input height and width, then the parameter store
     * ({@link ParameterStore#write}; layouts in {@link AutoencoderSpec}).
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        ParameterStore weights = requireFitted();
        StateFormat.write(out, magic, STORE_FORMAT_VERSION, d -> {
            d.writeUTF(descriptor());
            d.writeInt(height);
            d.writeInt(width);
            weights.write(d);
        });
    }

    /**
     * Restores a state written by {@link #writeState(OutputStream)}, or by format {@value #GRAPH_FORMAT_VERSION}
     * (the SameDiff graph's variables: count, then per variable its name, rank, long shape and values in ND4J's
     * layouts, converted into the store's); its architecture descriptor must match this model's.
     *
     * @throws IOException when the state is truncated, corrupt (bad magic, version, sizes, names, shapes or
     *                     checksum) or for another architecture
     */
    @Override
    public synchronized void readState(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        int[] size = new int[2];
        ParameterStore weights = StateFormat.read(in, magic, GRAPH_FORMAT_VERSION, STORE_FORMAT_VERSION, label,
                (d, version) -> {
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
                    size[0] = h;
                    size[1] = w;
                    ParameterStore s = spec.newStore(h, w);
                    if (version == STORE_FORMAT_VERSION) {
                        s.read(d, label);
                    } else {
                        readGraphVariables(d, s);
                    }
                    return s;
                });
        release();
        this.store = weights;
        this.height = size[0];
        this.width = size[1];
    }

    /** Reads format {@value #GRAPH_FORMAT_VERSION}'s variables into the store, converting ND4J's weight layouts. */
    private void readGraphVariables(DataInputStream d, ParameterStore s) throws IOException {
        List<String> names = s.names();
        int count = d.readInt();
        if (count != names.size()) {
            throw new IOException("corrupt " + label + " state: " + count + " variables, expected " + names.size());
        }
        List<Stage> stages = spec.stages();
        for (String expected : names) {
            String name = d.readUTF();
            if (!name.equals(expected)) {
                throw new IOException("corrupt " + label + " state: variable '" + name + "' where '" + expected
                        + "' was expected");
            }
            Stage stage = null;
            for (int i = 0; i < stages.size(); i++) {
                if (name.equals(spec.stageName(i) + "_w")) {
                    stage = stages.get(i);
                }
            }
            long[] want = stage != null ? CaeGraph.nd4jShape(stage)
                    : Arrays.stream(s.shape(name)).asLongStream().toArray();
            int rank = d.readInt();
            long[] shape = new long[Math.max(0, Math.min(rank, 8))];
            if (rank != want.length) {
                throw new IOException("corrupt " + label + " state: variable " + name + " has rank " + rank
                        + ", expected " + want.length);
            }
            for (int i = 0; i < rank; i++) {
                shape[i] = d.readLong();
            }
            if (!Arrays.equals(shape, want)) {
                throw new IOException("corrupt " + label + " state: variable " + name + " has shape "
                        + Arrays.toString(shape) + ", expected " + Arrays.toString(want));
            }
            float[] target = s.values(name);
            float[] values = StateFormat.readFloats(d, target.length, "variable " + name, label);
            System.arraycopy(stage != null ? CaeGraph.toStoreLayout(values, stage) : values, 0, target, 0,
                    target.length);
        }
    }

    /** Releases the backend's native memory; the model is then unfitted and may be fitted or loaded again. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        if (inference != null) {
            inference.close();
            inference = null;
        }
        store = null;
    }

    /** Package-private for tests: the weights of a fitted or loaded model (live), or null. */
    ParameterStore parameters() {
        return store;
    }

    /**
     * Package-private for tests: a SameDiff graph of the network with the store's current weights; the caller
     * releases it.
     */
    org.nd4j.autodiff.samediff.SameDiff referenceGraph() {
        return CaeGraph.build(spec, height, width, requireFitted());
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
                + (store == null ? ", not fitted" : ", " + width + "x" + height) + "]";
    }
}
