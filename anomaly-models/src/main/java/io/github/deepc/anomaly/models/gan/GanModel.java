package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.TrainingImages;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the GAN models share: input checks, the alternating training loop, training-health reports, batched
 * inference and the saved state. Subclasses build the two players' graphs and say what one half-step and one
 * inference batch do.
 *
 * <h2>Training</h2>
 * Each step takes one mini-batch and one batch of latent samples and makes one discriminator update with the
 * generator fixed, then one generator (and encoder) update with the discriminator fixed (see the package
 * documentation for how SameDiff keeps the other player fixed). A seed fixes everything: weights are initialised from
 * one {@link SplittableRandom} split, batch order and latent samples come from others, and no ND4J random op is
 * used. With the training context's checkpoints, the state after every epoch is saved (weights, spectral-norm
 * vectors, both players' Adam moments and update counts, progress) and a resumed run reads it back and replays the
 * finished epochs' batch orders and latent draws, so that it ends as an uninterrupted run would. Each epoch ends with an {@link EpochReport} whose loss is the generator's and whose extras hold
 * {@value #DISCRIMINATOR_LOSS}, {@value #D_REAL} (mean D(x) on real images), {@value #D_FAKE} (mean D(G(z))) and
 * {@value #DIVERSITY} (mean pairwise L2 distance between {@value #SAMPLES} samples generated from fixed latent
 * vectors: mode collapse drives it to 0), plus model-specific figures. With {@code sample-every > 0}, the same
 * samples are written as a PNG grid.
 *
 * <p>{@code dcgan}, {@code bigan} and {@code alpha-gan} (with or without attention and spectral norm) run on the
 * direct engine unless {@code engine=samediff} (see the package documentation); the loop, the random streams and the
 * reports are the same on both. Image sides must be multiples of 16. Not thread-safe for concurrent fitting; all
 * public methods are synchronized.
 * Holds native memory until {@link #close()}.
 */
public abstract sealed class GanModel implements AnomalyModel permits DcganModel, BiganModel, AlphaGanModel {
    /** Epoch-report extra: mean discriminator loss. */
    public static final String DISCRIMINATOR_LOSS = "discriminatorLoss";
    /** Epoch-report extra: mean discriminator probability on real images. */
    public static final String D_REAL = "dReal";
    /** Epoch-report extra: mean discriminator probability on generated images. */
    public static final String D_FAKE = "dFake";
    /** Epoch-report extra: mean pairwise L2 distance between generated samples of fixed latent vectors. */
    public static final String DIVERSITY = "diversity";
    /** Epoch-report extra (alpha-gan): mean code-discriminator loss. */
    public static final String CODE_DISCRIMINATOR_LOSS = "codeDiscriminatorLoss";
    /** Epoch-report extra (alpha-gan): mean masked L1 reconstruction error. */
    public static final String RECONSTRUCTION = "reconstruction";

    /** Statistic name of the generator loss (the report's loss). */
    static final String GENERATOR_LOSS = "generatorLoss";
    /** Real-image placeholder {@code [b, 1, H, W]}. */
    static final String REAL = "x";
    /** Valid-pixel mask placeholder {@code [b, 1, H, W]}. */
    static final String MASK = "mask";
    /** Latent-sample placeholder {@code [b, latent]}. */
    static final String Z = "z";
    /** Generated images {@code G(z)} in the generator's graph. */
    static final String GENERATED = "generated";
    /** Each graph's loss variable. */
    static final String LOSS = "loss";
    /** Images placeholder of the discriminator's graph: real images first, then generated ones (training). */
    static final String IMAGES = "images";
    /** Latent placeholder of the discriminator's graph (bigan, alpha-gan). */
    static final String CODES = "codes";
    /** The code E(x) in the generator's graph (bigan, alpha-gan). */
    static final String LATENT = "latent";
    /** G(E(x)) in the generator's graph (bigan, alpha-gan; inference). */
    static final String RECONSTRUCTED = "reconstructed";
    /** Image-discriminator logits on {@value #IMAGES}. */
    static final String LOGIT = "d_logit";
    /** Mean D on each group of {@value #IMAGES}: real first, G(z) last. */
    static final String GROUP_PROBABILITIES = "d_groups";
    /** Number of fixed latent vectors for diversity and sample grids. */
    static final int SAMPLES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(GanModel.class);

    private final GanConfig config;
    private final String id;
    private final Set<OutputKind> outputs;
    private Players players;
    private DirectPlayers direct;
    private GanArchitecture architecture;

    /**
     * @param config  hyper-parameters
     * @param id      the model's id, as registered
     * @param outputs what the model outputs per image
     */
    GanModel(GanConfig config, String id, Set<OutputKind> outputs) {
        this.config = Objects.requireNonNull(config, "config");
        this.id = Objects.requireNonNull(id, "id");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
    }

    /** @return the hyper-parameters */
    public GanConfig config() {
        return config;
    }

    /** @return the model's id, as registered ({@code dcgan}, {@code bigan}, {@code alpha-gan}) */
    public final String id() {
        return id;
    }

    @Override
    public final Set<OutputKind> outputs() {
        return outputs;
    }

    /**
     * @param height image height
     * @param width  image width
     * @return this model's architecture for images of that size: by default without attention and spectral norm,
     *         which only alpha-gan uses
     */
    GanArchitecture architecture(int height, int width) {
        return GanArchitecture.of(config, height, width, false, false);
    }

    /**
     * @return whether this model trains and infers on the direct engine ({@code engine=direct}, the default; every
     *         GAN has a direct form, with or without self-attention and spectral normalisation)
     */
    boolean usesDirectEngine() {
        return config.engine() == io.github.deepc.anomaly.models.cae.CaeEngine.DIRECT;
    }

    /** @return which networks this model has on the direct engine */
    abstract DirectPlayers.Kind directKind();

    /**
     * One discriminator update on the direct engine with the generator fixed; adds its figures to {@code stats}.
     *
     * @param p     players
     * @param batch real images ({@code n x H x W}) and latent samples ({@code n x latent})
     * @param stats this epoch's figures
     */
    abstract void discriminatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats);

    /**
     * One generator (and encoder) update on the direct engine with the discriminator fixed.
     *
     * @param p     players
     * @param batch the same images and latent samples as the discriminator step
     * @param stats this epoch's figures
     */
    abstract void generatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats);

    /**
     * @param p      players on the direct engine
     * @param images the images of one inference batch
     * @param x      their pixels, {@code n x H x W}
     * @return one output per image
     */
    abstract List<ModelOutput> inferBatch(DirectPlayers p, List<GrayImage> images, float[] x);

    /**
     * One training mini-batch on the direct engine.
     *
     * @param images real images, {@code n x H x W}
     * @param masks  their valid-pixel masks
     * @param z      latent samples, {@code n x latent}
     * @param n      images
     * @param px     pixels per image
     */
    record DirectBatch(float[] images, float[] masks, float[] z, int n, int px) {
    }

    /**
     * Builds both players' graphs, the discriminator's first (the order fixes which initial weights each draws from
     * {@code init}), each with its own weights, its loss {@value #LOSS} and its own learning rate.
     *
     * @param a    architecture
     * @param init initialisation randomness, or {@code null} for zeros (a saved state follows)
     * @return the players; the caller owns their native memory
     */
    final Players build(GanArchitecture a, SplittableRandom init) {
        SameDiff dg = SameDiff.create();
        ParamScope dOwn = ParamScope.owned(dg, init, DataType.FLOAT);
        discriminatorGraph(dg, dOwn, a);
        dg.setLossVariables(LOSS);

        SameDiff gg = SameDiff.create();
        ParamScope gOwn = ParamScope.owned(gg, init, DataType.FLOAT);
        ParamScope gOther = ParamScope.foreign(gg, DataType.FLOAT);
        generatorGraph(gg, gOwn, gOther, a);
        gg.setLossVariables(LOSS);

        Player d = new Player("discriminator", dg, dOwn, null, config.discriminatorLearningRate());
        Player g = new Player("generator", gg, gOwn, gOther, config.generatorLearningRate());
        return new Players(d, g, SpectralNorm.create(dOwn.spectralShapes(), init));
    }

    /**
     * Declares the discriminator side's placeholders, networks and outputs, its loss as {@value #LOSS}.
     *
     * @param dg  the discriminator's graph
     * @param own its weights
     * @param a   architecture
     */
    abstract void discriminatorGraph(SameDiff dg, ParamScope own, GanArchitecture a);

    /**
     * Declares the generator side's (with the encoder, where there is one) placeholders, networks and outputs, its
     * loss as {@value #LOSS}, and {@value #GENERATED} from {@value #Z} for the sample grids.
     *
     * @param gg    the generator's graph
     * @param own   its weights
     * @param other the discriminator's weights, as placeholders
     * @param a     architecture
     */
    abstract void generatorGraph(SameDiff gg, ParamScope own, ParamScope other, GanArchitecture a);

    /**
     * One discriminator update with the generator fixed; adds its figures to {@code stats}.
     *
     * @param p     players
     * @param batch real images and latent samples
     * @param stats this epoch's figures
     */
    abstract void discriminatorStep(Players p, Batch batch, EpochStats stats);

    /**
     * One generator (and encoder) update with the discriminator fixed; adds its figures ({@value #GENERATOR_LOSS}
     * at least) to {@code stats}.
     *
     * @param p     players
     * @param batch the same images and latent samples as the discriminator step
     * @param stats this epoch's figures
     */
    abstract void generatorStep(Players p, Batch batch, EpochStats stats);

    /**
     * @param p      players
     * @param images the images of one inference batch
     * @param x      their pixels {@code [n, 1, H, W]}
     * @return one output per image
     */
    abstract List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x);

    /**
     * One training mini-batch.
     *
     * @param images real images {@code [n, 1, H, W]}
     * @param masks  their valid-pixel masks
     * @param z      latent samples {@code [n, latent]}
     */
    record Batch(INDArray images, INDArray masks, INDArray z) implements AutoCloseable {
        /** @return number of images */
        int size() {
            return (int) images.size(0);
        }

        @Override
        public void close() {
            GraphMemory.closeQuietly(images);
            GraphMemory.closeQuietly(masks);
            GraphMemory.closeQuietly(z);
        }
    }

    /**
     * Trains freshly initialised networks (any previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes (naming the index and both sizes),
     *                                  sides that are not multiples of 16, or pixel values that are not finite or lie
     *                                  outside the configured range
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] size = checkTrainingImages(normals);
        int h = size[0];
        int w = size[1];
        GanArchitecture a = architecture(h, w);

        release();
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom initRng = root.split();
        ImageBatches batches = new ImageBatches(normals.size(), config.batchSize(), root.split());
        LatentNoise noise = new LatentNoise(config.latent(), root.split());
        INDArray fixedZ = new LatentNoise(config.latent(), root.split()).next(SAMPLES);
        LOG.debug("training {} on {} images of {}x{}: {}", id(), normals.size(), w, h, config);
        boolean onEngine = usesDirectEngine();
        Players p = null;
        DirectPlayers dp = null;
        double lastLoss = Double.NaN;
        double totalSeconds = 0;
        long totalImages = 0;
        try {
            TrainingState state;
            if (onEngine) {
                dp = new DirectPlayers(directKind(), a, config, initRng, true);
                state = new TrainingState(null, dp);
            } else {
                p = build(a, initRng);
                state = new TrainingState(p, null);
            }
            String key = context.checkpoints() == Checkpointing.NONE ? ""
                    : EpochCheckpoints.key(id(), config.toString(), context.seed(), List.of(normals));
            EpochCheckpoints saved = new EpochCheckpoints(context.checkpoints(), key, state);
            int done = saved.resume();
            if (done > config.epochs()) {
                throw new IllegalStateException("the checkpoint has " + done + " epochs but training has only "
                        + config.epochs());
            }
            if (done > 0) {
                lastLoss = state.lastLoss;
                totalSeconds = state.totalSeconds;
                totalImages = state.totalImages;
                for (int epoch = 1; epoch <= done; epoch++) {
                    // put the random streams where the finished epochs left them
                    for (int[] index : batches.nextEpoch()) {
                        noise.next(index.length).close();
                    }
                }
            }
            for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                EpochStats stats = new EpochStats();
                for (int[] index : batches.nextEpoch()) {
                    if (dp != null) {
                        float[] px = new float[index.length * h * w];
                        float[] mk = new float[px.length];
                        ImageArrays.copyPixels(normals, index, 0, index.length, px);
                        ImageArrays.copyMasks(normals, index, 0, index.length, mk);
                        float[] z;
                        try (INDArray zs = noise.next(index.length)) {
                            z = GraphSupport.toFloats(zs);
                        }
                        DirectBatch b = new DirectBatch(px, mk, z, index.length, h * w);
                        discriminatorStep(dp, b, stats);
                        generatorStep(dp, b, stats);
                        stats.countImages(index.length);
                        continue;
                    }
                    try (Batch b = new Batch(ImageArrays.pixels(normals, index, 0, index.length, h, w),
                            ImageArrays.masks(normals, index, 0, index.length, h, w), noise.next(index.length))) {
                        discriminatorStep(p, b, stats);
                        generatorStep(p, b, stats);
                        stats.countImages(index.length);
                    }
                }
                double diversity = samples(p, dp, fixedZ, a, epoch);
                double seconds = (System.nanoTime() - start) / 1e9;
                lastLoss = stats.mean(GENERATOR_LOSS);
                totalSeconds += seconds;
                totalImages += stats.images();
                Map<String, Double> extra = new LinkedHashMap<>(stats.means());
                extra.remove(GENERATOR_LOSS);
                extra.put(DIVERSITY, diversity);
                double ips = seconds > 0 ? stats.images() / seconds : Double.POSITIVE_INFINITY;
                LOG.debug("{} epoch {}/{}: generator loss {}, {}", id(), epoch, config.epochs(), lastLoss, extra);
                context.listener().onEpoch(new EpochReport(epoch, config.epochs(), lastLoss, ips, seconds, extra));
                if (saved.enabled()) {
                    state.lastLoss = lastLoss;
                    state.totalSeconds = totalSeconds;
                    state.totalImages = totalImages;
                    saved.save(epoch);
                }
            }
        } catch (RuntimeException | Error e) {
            if (p != null) {
                p.close();
            }
            if (dp != null) {
                dp.close();
            }
            throw e;
        } finally {
            GraphMemory.closeQuietly(fixedZ);
        }
        if (dp != null) {
            // keep the weights in networks sized for inference, not the training batches' working matrices
            try (DirectPlayers trained = dp) {
                dp = trained.forInference();
            }
        }
        this.players = p;
        this.direct = dp;
        this.architecture = a;
        double ips = totalSeconds > 0 ? totalImages / totalSeconds : Double.POSITIVE_INFINITY;
        LOG.info("{} trained on {} images ({}x{}), {} epochs: generator loss {}, {} images/s", id(), normals.size(), w, h,
                config.epochs(), String.format(Locale.ROOT, "%.6f", lastLoss), String.format(Locale.ROOT, "%.1f", ips));
        return new TrainingSummary(normals.size(), config.epochs(), lastLoss, ips, totalSeconds);
    }

    private int[] checkTrainingImages(List<GrayImage> normals) {
        PixelRange range = config.range();
        return TrainingImages.check(normals, GanArchitecture::checkSides, (i, v) -> {
            if (!range.contains(v)) {
                throw new IllegalArgumentException("training image " + i + " has pixel value " + v + " outside ["
                        + range.lower() + ", " + range.upper() + "] of parameter range=" + range.word()
                        + "; normalise the images (stage normalize) or choose the matching range");
            }
        });
    }

    /** Generates from the fixed latent vectors: returns their diversity and writes a grid when one is due. */
    private double samples(Players p, DirectPlayers dp, INDArray fixedZ, GanArchitecture a, int epoch) {
        float[] values = dp != null
                ? Arrays.copyOf(dp.generator().forward(GraphSupport.toFloats(fixedZ), SAMPLES),
                        SAMPLES * a.height() * a.width())
                : p.generator().values(p.generatorFeeds(Map.of(Z, fixedZ)), GENERATED);
        int px = a.height() * a.width();
        if (config.sampleEvery() > 0 && epoch % config.sampleEvery() == 0) {
            Path file = config.sampleDir().resolve(String.format(Locale.ROOT, "%s-epoch-%04d.png", id(), epoch));
            try {
                SampleGrid.writePng(values, SAMPLES, a.height(), a.width(), a.range(), file);
                LOG.debug("wrote samples {}", file);
            } catch (IOException e) {
                // a sample grid is a diagnostic: losing one must not lose the training run
                LOG.warn("could not write GAN sample grid {}: {}", file, e.getMessage());
            }
        }
        return SampleGrid.diversity(values, SAMPLES, px);
    }

    /**
     * @throws IllegalStateException    when the model is not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        requireFitted();
        int h = architecture.height();
        int w = architecture.width();
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("image " + i + " is null");
            }
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + " but the model was trained on " + w + "x" + h + " images");
            }
        }
        List<ModelOutput> out = new ArrayList<>(images.size());
        // config.inferenceBatch() images per pass (on the direct engine fewer where they would not fit the heap); with
        // one (the default) an image's outputs do not depend on which images share its batch (InferenceBatch says why)
        int batch = direct != null ? direct.imagesPerPass() : config.inferenceBatch();
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            if (direct != null) {
                float[] x = new float[n * h * w];
                ImageArrays.copyPixels(images, null, start, n, x);
                out.addAll(inferBatch(direct, images.subList(start, start + n), x));
                continue;
            }
            INDArray x = ImageArrays.pixels(images, null, start, n, h, w);
            try {
                out.addAll(inferBatch(players, images.subList(start, start + n), x));
            } finally {
                GraphMemory.closeQuietly(x);
            }
        }
        return out;
    }

    private void requireFitted() {
        if (players == null && direct == null) {
            throw new IllegalStateException("model not fitted");
        }
    }

    /** See {@link GanStateFormat} for the format. */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        requireFitted();
        if (direct != null) {
            // the same format as SameDiff's: the engine's tensors in the graph's layouts
            Map<String, INDArray> arrays = direct.stateArrays();
            try {
                GanStateFormat.write(out, id(), architecture, arrays);
            } finally {
                GraphMemory.closeAll(arrays);
            }
            return;
        }
        GanStateFormat.write(out, id(), architecture, players.stateArrays());
    }

    /**
     * Restores a state written by {@link #writeState(OutputStream)} of the same model type and architecture
     * parameters ({@code latent}, {@code channels}, {@code range} and, for alpha-gan, {@code attention} and
     * {@code spectral-norm}), on either engine.
     *
     * @throws IOException when the state is truncated, corrupt or for another model or architecture
     */
    @Override
    public synchronized void readState(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        Players p = null;
        DirectPlayers dp = null;
        try {
            GanStateFormat.Reader r = new GanStateFormat.Reader(in, id());
            GanArchitecture saved = r.architecture();
            GanArchitecture mine = architecture(saved.height(), saved.width());
            if (!saved.equals(mine)) {
                throw new IOException(id() + " state was saved with " + describe(saved) + " but this model has "
                        + describe(mine));
            }
            if (usesDirectEngine()) {
                dp = new DirectPlayers(directKind(), saved, config, null, false);
                dp.readState(r);
            } else {
                p = build(saved, null);
                r.readArrays(p.stateArrays());
            }
            r.finish();
            release();
            this.players = p;
            this.direct = dp;
            this.architecture = saved;
            p = null;
            dp = null;
        } catch (EOFException e) {
            throw new IOException("corrupt " + id() + " state: truncated", e);
        } finally {
            if (p != null) {
                p.close();
            }
            if (dp != null) {
                dp.close();
            }
        }
    }

    private static String describe(GanArchitecture a) {
        return "latent=" + a.latent() + ", channels=" + a.channels() + ", range=" + a.range().word()
                + ", attention=" + a.attention() + ", spectral-norm=" + a.spectralNorm();
    }

    /** Releases the graphs' native arrays; the model is then unfitted and may be fitted or loaded again. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        if (players != null) {
            players.close();
            players = null;
        }
        if (direct != null) {
            direct.close();
            direct = null;
        }
        architecture = null;
    }

    /** Package-private for tests: the live players, or null (also on the direct engine). */
    synchronized Players players() {
        return players;
    }

    /** Package-private for tests: the live players on the direct engine, or null. */
    synchronized DirectPlayers directPlayers() {
        return direct;
    }


    /**
     * @param all   row-major {@code [n, width]} values
     * @param i     row index
     * @param width values per row
     * @return a copy of row {@code i}
     */
    static float[] row(float[] all, int i, int width) {
        return Arrays.copyOfRange(all, i * width, (i + 1) * width);
    }

    /**
     * @param logit a discriminator logit
     * @return its probability, computed in double so that confident outputs still rank
     */
    static double probability(float logit) {
        return 1.0 / (1.0 + Math.exp(-(double) logit));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[epochs=" + config.epochs() + ", batch=" + config.batchSize()
                + ", latent=" + config.latent() + ", channels=" + config.channels()
                + (architecture == null ? ", not fitted" : ", " + architecture.width() + "x" + architecture.height()) + "]";
    }

    /**
     * What a GAN's checkpoint holds: every state array (both players' weights, the spectral-norm vectors), both
     * players' Adam moments and update counts, and the progress counts. Arrays are copied as floats and assigned back
     * into the live arrays, so the graphs and updaters keep computing on the same buffers.
     */
    private static final class TrainingState implements EpochCheckpoints.State {
        private final Players players;
        private final DirectPlayers direct;
        double lastLoss = Double.NaN;
        double totalSeconds;
        long totalImages;

        /** One of the two is {@code null}: the state of a training on SameDiff or on the direct engine. */
        TrainingState(Players players, DirectPlayers direct) {
            this.players = players;
            this.direct = direct;
        }

        private List<INDArray> arrays() {
            List<INDArray> all = new ArrayList<>(players.stateArrays().values());
            all.addAll(players.discriminator().updaterState());
            all.addAll(players.generator().updaterState());
            return all;
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            out.writeDouble(lastLoss);
            out.writeDouble(totalSeconds);
            out.writeLong(totalImages);
            if (direct != null) {
                direct.writeCheckpoint(out);
                return;
            }
            out.writeInt(players.discriminator().iterations());
            out.writeInt(players.generator().iterations());
            List<INDArray> all = arrays();
            out.writeInt(all.size());
            for (INDArray a : all) {
                StateFormat.writeFloats(out, GraphSupport.toFloats(a));
            }
        }

        @Override
        public void read(DataInputStream in) throws IOException {
            double loss = in.readDouble();
            double seconds = in.readDouble();
            long images = in.readLong();
            if (direct != null) {
                direct.readCheckpoint(in);
                lastLoss = loss;
                totalSeconds = seconds;
                totalImages = images;
                return;
            }
            int discriminatorSteps = in.readInt();
            int generatorSteps = in.readInt();
            List<INDArray> all = arrays();
            int count = in.readInt();
            if (count != all.size() || discriminatorSteps < 0 || generatorSteps < 0) {
                throw new IOException("corrupt checkpoint: " + count + " arrays and update counts "
                        + discriminatorSteps + "/" + generatorSteps + ", expected " + all.size() + " arrays");
            }
            for (int i = 0; i < count; i++) {
                INDArray target = all.get(i);
                float[] values = StateFormat.readFloats(in, Math.toIntExact(target.length()), "array " + i,
                        "checkpoint");
                try (INDArray src = Nd4j.create(values, target.shape(), 'c')) {
                    target.assign(src);
                }
            }
            players.discriminator().resumeIterations(discriminatorSteps);
            players.generator().resumeIterations(generatorSteps);
            lastLoss = loss;
            totalSeconds = seconds;
            totalImages = images;
        }
    }
}
