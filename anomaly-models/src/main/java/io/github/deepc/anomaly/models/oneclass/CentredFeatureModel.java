package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the deep one-class models share: the training parameters, a fitted {@link CentredNetwork}, the outputs
 * (features as {@link OutputKind#LATENT} and the squared distance to the centre as {@link OutputKind#DISTANCE}), the
 * saved state's framing with its rep-dim check, and release of native memory. Subclasses say how a network is built
 * and trained and what else their state holds.
 *
 * <p>All public methods are synchronized; holds native memory until {@link #close()}.
 */
public abstract sealed class CentredFeatureModel implements AnomalyModel permits DeepSvddModel, DeepOneClassModel {
    /** What the deep one-class models output per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.LATENT, OutputKind.DISTANCE);

    final int epochs;
    final int batchSize;
    final double learningRate;
    final double weightDecay;
    final int repDim;
    /** What computes training and inference. */
    final CaeEngine engine;
    /** Images per inference pass of the direct engine ({@link InferenceBatch}). */
    final int inferenceBatch;
    /** The trained network and its centre; guarded by this model's lock. */
    final CentredNetwork fitted = new CentredNetwork();

    private static final Logger LOG = LoggerFactory.getLogger(CentredFeatureModel.class);
    private final String id;
    private final int magic;

    /**
     * @param id           the model id, for messages
     * @param magic        the saved state's magic number
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @param engine       what computes training and inference
     * @param inferenceBatch images per inference pass of the direct engine, in [1, {@value InferenceBatch#MAX}]
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    CentredFeatureModel(String id, int magic, int epochs, int batchSize, double learningRate, double weightDecay,
                        int repDim, CaeEngine engine, int inferenceBatch) {
        OneClassParameters.check(id, epochs, batchSize, learningRate, weightDecay, repDim);
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        this.inferenceBatch = InferenceBatch.check(id, inferenceBatch);
        this.id = id;
        this.magic = magic;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.repDim = repDim;
    }

    @Override
    public final Set<OutputKind> outputs() {
        return OUTPUTS;
    }

    /**
     * Trains a fresh network and fixes its centre (a previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes, sides that are not multiples of 8,
     *                                  non-finite pixel values, or (deep-one-class) an unusable reference set
     */
    @Override
    public final synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] hw = FeatureNetwork.checkTraining(normals, id);
        checkContext(context);
        EpochLossListener progress = train(normals, hw[0], hw[1], new SplittableRandom(context.seed()), context);
        return FeatureNetwork.summary(normals.size(), progress);
    }

    /**
     * Releases the current state, then builds, trains and keeps a fresh network (see
     * {@link CentredNetwork#train}).
     *
     * @param normals  checked training images
     * @param h        their height
     * @param w        their width
     * @param root     the seed's randomness, to split per use
     * @param context  training progress, the seed and where per-epoch checkpoints go
     * @return the training's progress
     */
    abstract EpochLossListener train(List<GrayImage> normals, int h, int w, SplittableRandom root,
                                     TrainingContext context);

    /**
     * The key of a training run's checkpoints ({@link EpochCheckpoints#key}): the model, its training options, the
     * seed and the images; "" without checkpoints. On SameDiff, which writes none, refuses to resume and otherwise warns
     * ({@link EpochCheckpoints#notResumable}).
     *
     * @param context the training context
     * @param use     the engine that trains
     * @param extra   the model's own options that affect training
     * @param images  every image training reads, in order
     * @return the key
     */
    final String checkpointKey(TrainingContext context, CaeEngine use, String extra, List<List<GrayImage>> images) {
        if (context.checkpoints() == Checkpointing.NONE) {
            return "";
        }
        if (use != CaeEngine.DIRECT) {
            if (engine == CaeEngine.DIRECT) {
                EpochCheckpoints.notResumable(context.checkpoints(), id + " (on SameDiff: its batches are too large "
                        + "for the direct engine's share of the Java heap)", "raise -Xmx or lower batch-size");
            } else {
                EpochCheckpoints.notResumable(context.checkpoints(), id + " with engine=samediff",
                        "train with engine=direct (the default)");
            }
            return "";
        }
        return EpochCheckpoints.key(id, "epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate
                + ", weight-decay=" + weightDecay + ", rep-dim=" + repDim + extra, context.seed(), images);
    }

    /**
     * Checks the run's context before training (deep-one-class: the reference set against the data root); nothing by
     * default.
     *
     * @param context the training context
     * @throws IllegalArgumentException when the model cannot be trained in this context
     */
    void checkContext(TrainingContext context) {
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public final synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        return fitted.infer(images);
    }

    /**
     * @return a copy of the centre (Deep SVDD's hypersphere centre, deep-one-class's mean normal feature)
     * @throws IllegalStateException when not fitted
     */
    public final synchronized float[] centre() {
        return fitted.centre();
    }

    /**
     * Format 2: {@link StateFormat} framing around the feature count, the model's own header fields, the network
     * (input size, then its parameter store's body) and the centre. Format 1 (the SameDiff graph's variables in
     * ND4J's layouts instead of the store) still loads.
     */
    @Override
    public final synchronized void writeState(OutputStream out) throws IOException {
        fitted.write(out, magic, d -> {
            d.writeInt(repDim);
            writeHeader(d);
        });
    }

    /**
     * Restores a state written by {@link #writeState} with the same rep-dim; an invalid state leaves this model as it
     * was.
     */
    @Override
    public final synchronized void readState(InputStream in) throws IOException {
        String what = id + " model";
        fitted.read(in, magic, what, repDim, d -> {
            int r = d.readInt();
            if (r != repDim) {
                throw new IOException(what + " state has rep-dim " + r + " but this model has " + repDim);
            }
            return readNetwork(d, what);
        }, this::loaded);
    }

    /**
     * Writes the model's header fields after the feature count (none by default).
     *
     * @param d the state body
     * @throws IOException when writing fails
     */
    void writeHeader(DataOutputStream d) throws IOException {
    }

    /**
     * Reads the model's header fields and the input size, and creates the (unloaded) network they describe.
     *
     * @param d    the state body, after the feature count
     * @param what the state's name, for messages
     * @return the network whose parameters are read next
     * @throws IOException when a field is invalid
     */
    abstract FeatureNetwork readNetwork(DataInputStream d, String what) throws IOException;

    /**
     * Work once a whole state is read and valid, before it replaces the current one (nothing by default).
     *
     * @param network the loaded network
     * @param centre  the loaded centre
     */
    void loaded(FeatureNetwork network, float[] centre) {
    }

    /** Releases the graph's native memory; the model is then unfitted. */
    @Override
    public final synchronized void close() {
        fitted.release();
    }

    /** Package-private for tests: the live network, or null. */
    final synchronized FeatureNetwork network() {
        return fitted.network();
    }

    /** @return the training parameters and the fitted size, as {@link #toString()} lists them */
    final String describeTraining() {
        return "epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate + ", weight-decay=" + weightDecay
                + ", rep-dim=" + repDim + ", engine=" + engine.word()
                + (inferenceBatch != InferenceBatch.INDEPENDENT ? ", inference-batch=" + inferenceBatch : "")
                + fitted.describeSize();
    }

    /**
     * The engine that trains: the chosen one, except that the direct engine, which holds a batch's working matrices
     * on the Java heap (and as much natively), gives way to SameDiff when they would take more than half the maximum
     * heap (it does not split batches into chunks as the autoencoders' engine does).
     *
     * @param h      image height
     * @param w      image width
     * @param images images per training batch (normals and reference images)
     * @return the engine to train with
     */
    final CaeEngine trainingEngine(int h, int w, int images) {
        return trainingEngine(engine, id, h, w, images, Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * @param chosen the configured engine
     * @param id     the model id, for the warning
     * @param h      image height
     * @param w      image width
     * @param images images per training batch
     * @param budget the most bytes the direct engine's working matrices may take on the heap
     * @return {@code chosen}, or SameDiff when the direct engine would need more than {@code budget}
     */
    static CaeEngine trainingEngine(CaeEngine chosen, String id, int h, int w, int images, long budget) {
        if (chosen != CaeEngine.DIRECT) {
            return chosen;
        }
        long bytes = 4L * images * DirectFeatureNetwork.floatsPerImage(BiasFreeEncoder.stages(), h, w, true);
        if (bytes > budget) {
            LOG.warn("{}: a batch of {} images of {}x{} needs about {} MiB of working memory on the direct engine, more"
                    + " than half the Java heap ({} MiB); training on SameDiff instead (raise -Xmx or lower"
                    + " batch-size to use the faster engine)", id, images, w, h, bytes >> 20, budget >> 20);
            return CaeEngine.SAMEDIFF;
        }
        return chosen;
    }

}
