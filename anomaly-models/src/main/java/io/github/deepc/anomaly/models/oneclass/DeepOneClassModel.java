package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.cae.CaeEngine;
import io.github.deepc.anomaly.models.cae.InferenceBatch;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deep one-class classification with a reference set (Perera and Patel 2019, {@link DeepOneClassGraph}): a shared
 * bias-free feature network is trained on two losses at once, <em>compactness</em> (low intra-batch variance of the
 * normal images' features) and <em>descriptiveness</em> (classifying the images of a reference set of <em>other</em>
 * images among their classes), so that the features stay informative while the normals cluster. After training, the
 * mean normal feature {@code mu} is computed on the training images; an image's outputs are its features
 * ({@link OutputKind#LATENT}) and {@code ||phi(x) - mu||^2} ({@link OutputKind#DISTANCE}, for the {@code distance}
 * scorer; {@code knn} or {@code one-class-svm} can use the features instead).
 *
 * <p><b>Reference set.</b> {@code reference} is a class-folder path (each subfolder one class, at least two) or
 * {@code phantoms} (generated hand phantoms, the four anomaly kinds as classes); see {@link ReferenceSet}. It is only
 * needed for training: a saved model loads without it. <b>The reference set must never contain the abnormal class
 * being evaluated</b> (nor any evaluated image): since a model receives images without their paths, the detector
 * passes the training data's root in the {@link TrainingContext}, and a reference folder equal to it, inside it or
 * containing it is refused with an {@link IllegalArgumentException} when fitting starts ({@link ReferenceGuard}).
 * The {@code exclude-root} parameter (older detector files, direct use) is checked the same way when the model is
 * created. Without either the check cannot be made and fitting logs a warning.
 *
 * <p>Engines ({@code engine}): {@code direct} (default) trains and infers on the library's own convolution engine
 * ({@link io.github.deepc.anomaly.models.conv.DirectFeatureNetwork}, normal and reference images of a batch in one
 * pass), {@code samediff} on the SameDiff graph of {@link DeepOneClassGraph}, the reference it is tested against; both
 * compute on the same parameter store and give the same results to float rounding.
 *
 * <p>Seeded (initialisation, batch order, reference sampling, phantoms). Input sides must be multiples of 8. All
 * public methods are synchronized; holds native memory until {@link #close()}.
 */
public final class DeepOneClassModel extends CentredFeatureModel {
    /** The model id. */
    public static final String ID = "deep-one-class";
    private static final Logger LOG = LoggerFactory.getLogger(DeepOneClassModel.class);
    private static final int MAGIC = 0x444F431A; // "DOC" + 0x1A
    private static final int MAX_CLASSES = 100_000;

    private final String reference;
    private final String excludeRoot;
    private final int perClass;
    private final double lambda;

    private int classes;
    /** The class count of a state being read; becomes {@link #classes} only once the whole state is valid. */
    private int loadingClasses;

    /**
     * @param reference    {@code phantoms} or a class-folder path
     * @param excludeRoot  the training data root the reference must not overlap, or empty when unknown
     * @param perClass     most reference images per class (phantoms: exactly this many), at least 1
     * @param lambda       weight of the compactness loss, at least 0
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size (normal and reference images each), at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @throws IllegalArgumentException naming the parameter when a value is invalid, or when {@code reference}
     *                                  overlaps {@code excludeRoot}
     */
    public DeepOneClassModel(String reference, String excludeRoot, int perClass, double lambda, int epochs,
                             int batchSize, double learningRate, double weightDecay, int repDim) {
        this(reference, excludeRoot, perClass, lambda, epochs, batchSize, learningRate, weightDecay, repDim,
                CaeEngine.DIRECT);
    }

    /**
     * @param reference    {@code phantoms} or a class-folder path
     * @param excludeRoot  the training data root the reference must not overlap, or empty when unknown
     * @param perClass     most reference images per class (phantoms: exactly this many), at least 1
     * @param lambda       weight of the compactness loss, at least 0
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size (normal and reference images each), at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @param engine       what computes training and inference
     * @throws IllegalArgumentException naming the parameter when a value is invalid, or when {@code reference}
     *                                  overlaps {@code excludeRoot}
     */
    public DeepOneClassModel(String reference, String excludeRoot, int perClass, double lambda, int epochs,
                             int batchSize, double learningRate, double weightDecay, int repDim, CaeEngine engine) {
        this(reference, excludeRoot, perClass, lambda, epochs, batchSize, learningRate, weightDecay, repDim, engine,
                InferenceBatch.INDEPENDENT);
    }

    /**
     * @param reference      {@code phantoms} or a class-folder path
     * @param excludeRoot    the training data root the reference must not overlap, or empty when unknown
     * @param perClass       most reference images per class (phantoms: exactly this many), at least 1
     * @param lambda         weight of the compactness loss, at least 0
     * @param epochs         training epochs, at least 1
     * @param batchSize      mini-batch size (normal and reference images each), at least 1
     * @param learningRate   Adam learning rate, positive
     * @param weightDecay    L2 weight decay, at least 0
     * @param repDim         number of features, at least 1
     * @param engine         what computes training and inference
     * @param inferenceBatch images per inference pass of the direct engine ({@link InferenceBatch}; 1 makes an image's
     *                       outputs independent of the images inferred with it)
     * @throws IllegalArgumentException naming the parameter when a value is invalid, or when {@code reference}
     *                                  overlaps {@code excludeRoot}
     */
    public DeepOneClassModel(String reference, String excludeRoot, int perClass, double lambda, int epochs,
                             int batchSize, double learningRate, double weightDecay, int repDim, CaeEngine engine,
                             int inferenceBatch) {
        super(ID, MAGIC, epochs, batchSize, learningRate, weightDecay, repDim, engine, inferenceBatch);
        ReferenceGuard.check(reference, excludeRoot);
        if (perClass < 1) {
            throw new IllegalArgumentException("parameter deep-one-class.reference-per-class must be at least 1, got "
                    + perClass);
        }
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("parameter deep-one-class.lambda must be a number >= 0, got " + lambda);
        }
        this.reference = reference.trim();
        this.excludeRoot = excludeRoot == null ? "" : excludeRoot.trim();
        this.perClass = perClass;
        this.lambda = lambda;
    }

    /**
     * Loads the reference set, trains a fresh network and computes the mean normal feature; the current state is
     * kept until the reference set has loaded.
     */
    /** The run's data root (the detector passes it) is checked like {@code exclude-root}; without either, a warning. */
    @Override
    void checkContext(TrainingContext context) {
        if (context.dataRoot() != null) {
            ReferenceGuard.check(reference, context.dataRoot().toAbsolutePath().normalize().toString());
        } else if (excludeRoot.isEmpty() && !reference.equals(ReferenceSet.PHANTOMS)) {
            LOG.warn("deep-one-class: the data root is unknown (no exclude-root, no data root in the training context),"
                    + " so it cannot be checked that reference={} holds none of the evaluated images", reference);
        }
    }

    @Override
    EpochLossListener train(List<GrayImage> normals, int h, int w, SplittableRandom root, TrainingContext context) {
        ProgressListener listener = context.listener();
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        SplittableRandom referenceRng = root.split();
        ReferenceSet ref = ReferenceSet.load(reference, h, w, perClass, root.nextLong());
        LOG.debug("deep-one-class reference set: {} images of classes {}", ref.size(), ref.classes());
        fitted.release();
        int k = ref.classCount();
        ParameterStore store = BiasFreeEncoder.newStore(h, w, repDim, k);
        BiasFreeEncoder.initialise(store, h, w, repDim, k, initRng);
        CaeEngine use = trainingEngine(h, w, 2 * Math.min(batchSize, normals.size()));
        FeatureNetwork fresh = network(store, h, w, k, use);
        String key = checkpointKey(context, use, ", reference=" + reference + ", per-class=" + perClass + ", lambda="
                + lambda + ", classes=" + k, List.of(normals, ref.images()));
        EpochLossListener progress = fitted.train(fresh, net -> {
            EpochLossListener p;
            if (use == CaeEngine.DIRECT) {
                p = DirectOneClassTrainer.train(net, normals, batchSize, shuffleRng, ref, referenceRng,
                        (n, labels) -> OneClassLosses.compactDescriptive(n, labels, repDim, k, lambda), learningRate,
                        weightDecay, epochs, listener, null,
                        key.isEmpty() ? Checkpointing.NONE : context.checkpoints(), key);
            } else {
                p = net.fitGraph(GraphSupport.trainingConfig(learningRate, weightDecay,
                        List.of(FeatureNetwork.INPUT, DeepOneClassGraph.REFERENCE),
                        List.of(FeatureNetwork.MASK, DeepOneClassGraph.REFERENCE_MASK,
                                DeepOneClassGraph.REFERENCE_LABELS), DeepOneClassGraph.LOSS),
                        new OneClassBatches(normals, batchSize, h, w, shuffleRng, ref, referenceRng), listener, epochs);
            }
            return new CentredNetwork.Trained(p, FeatureNetwork.mean(net.features(normals)));
        });
        this.classes = ref.classCount();
        LOG.info("deep-one-class trained on {} images ({}x{}) with {} reference images in {} classes, {} epochs: loss {},"
                        + " {} images/s", normals.size(), w, h, ref.size(), ref.classCount(), progress.epochsDone(),
                String.format(Locale.ROOT, "%.6f", progress.lastLoss()),
                String.format(Locale.ROOT, "%.1f", progress.imagesPerSecond()));
        return progress;
    }

    /** Header: the class count, which sizes the classification head. */
    @Override
    void writeHeader(DataOutputStream d) throws IOException {
        d.writeInt(classes);
    }

    @Override
    FeatureNetwork readNetwork(DataInputStream d, String what) throws IOException {
        loadingClasses = StateFormat.readInt(d, "classes", 2, MAX_CLASSES, what);
        int[] hw = FeatureNetwork.readSize(d, what);
        return network(BiasFreeEncoder.newStore(hw[0], hw[1], repDim, loadingClasses), hw[0], hw[1], loadingClasses,
                engine);
    }

    private FeatureNetwork network(ParameterStore store, int h, int w, int k, CaeEngine use) {
        return new FeatureNetwork(ID, store, h, w, repDim, k, use, inferenceBatch,
                () -> DeepOneClassGraph.build(h, w, repDim, k, lambda, null));
    }

    @Override
    void loaded(FeatureNetwork network, float[] centre) {
        classes = loadingClasses;
    }

    @Override
    public synchronized String toString() {
        return "DeepOneClassModel[reference=" + reference + ", exclude-root=" + excludeRoot + ", per-class=" + perClass
                + ", lambda=" + lambda + ", " + describeTraining() + "]";
    }
}
