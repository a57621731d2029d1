package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
 * being evaluated</b> (nor any evaluated image): since a model receives images without their paths, the training
 * data's root is passed as {@code exclude-root}, and a reference folder equal to it, inside it or containing it is
 * refused with an {@link IllegalArgumentException} when the model is created ({@link ReferenceGuard}). Without
 * {@code exclude-root} the check cannot be made and fitting logs a warning.
 *
 * <p>Seeded (initialisation, batch order, reference sampling, phantoms). Input sides must be multiples of 8. All
 * public methods are synchronized; holds native memory until {@link #close()}.
 */
public final class DeepOneClassModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "deep-one-class";
    private static final Logger LOG = LoggerFactory.getLogger(DeepOneClassModel.class);
    private static final int MAGIC = 0x444F431A; // "DOC" + 0x1A
    private static final int VERSION = 1;
    private static final String WHAT = "deep-one-class model";
    private static final int MAX_CLASSES = 100_000;

    private final String reference;
    private final String excludeRoot;
    private final int perClass;
    private final double lambda;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double weightDecay;
    private final int repDim;

    private final CentredNetwork fitted = new CentredNetwork();
    private int classes;

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
        OneClassParameters.check(ID, epochs, batchSize, learningRate, weightDecay, repDim);
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
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.repDim = repDim;
    }

    @Override
    public Set<OutputKind> outputs() {
        return Set.of(OutputKind.LATENT, OutputKind.DISTANCE);
    }

    /**
     * Loads the reference set, trains a fresh network and computes the mean normal feature (a previous fit or
     * loaded state is discarded).
     *
     * @throws IllegalArgumentException for unusable training images or an unusable reference set
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] hw = FeatureNetwork.checkTraining(normals, ID);
        int h = hw[0];
        int w = hw[1];
        if (excludeRoot.isEmpty() && !reference.equals(ReferenceSet.PHANTOMS)) {
            LOG.warn("deep-one-class: exclude-root is not set, so it cannot be checked that reference={} holds none of"
                    + " the evaluated images; pass the training data root as exclude-root", reference);
        }
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        SplittableRandom referenceRng = root.split();
        ReferenceSet ref = ReferenceSet.load(reference, h, w, perClass, root.nextLong());
        LOG.debug("deep-one-class reference set: {} images of classes {}", ref.size(), ref.classes());
        release();
        EpochLossListener progress;
        FeatureNetwork net = new FeatureNetwork(DeepOneClassGraph.build(h, w, repDim, ref.classCount(), lambda, initRng),
                h, w, DeepOneClassGraph.parameterNames());
        try {
            progress = net.fit(GraphSupport.trainingConfig(learningRate, weightDecay,
                    List.of(FeatureNetwork.INPUT, DeepOneClassGraph.REFERENCE),
                    List.of(FeatureNetwork.MASK, DeepOneClassGraph.REFERENCE_MASK, DeepOneClassGraph.REFERENCE_LABELS),
                    DeepOneClassGraph.LOSS), new OneClassBatches(normals, batchSize, h, w, shuffleRng, ref, referenceRng),
                    context.listener(), epochs);
            fitted.set(net, FeatureNetwork.mean(net.features(normals)));
            this.classes = ref.classCount();
            net = null;
        } finally {
            if (net != null) {
                net.close();
            }
        }
        LOG.info("deep-one-class trained on {} images ({}x{}) with {} reference images in {} classes, {} epochs: loss {},"
                        + " {} images/s", normals.size(), w, h, ref.size(), ref.classCount(), progress.epochsDone(),
                String.format(Locale.ROOT, "%.6f", progress.lastLoss()),
                String.format(Locale.ROOT, "%.1f", progress.imagesPerSecond()));
        return FeatureNetwork.summary(normals.size(), progress);
    }

    /**
     * @throws IllegalStateException    when not fitted
     * @throws IllegalArgumentException when an image's size differs from the training size
     */
    @Override
    public synchronized List<ModelOutput> infer(List<GrayImage> images) {
        Objects.requireNonNull(images, "images");
        return fitted.infer(images);
    }

    /**
     * @return a copy of the mean normal feature
     * @throws IllegalStateException when not fitted
     */
    public synchronized float[] centre() {
        return fitted.centre();
    }

    /**
     * Format: {@link StateFormat} framing around the feature and class counts, the network (input size, then per
     * variable its name, shape and float32 values, head included) and the mean normal feature.
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        fitted.write(out, MAGIC, VERSION, d -> {
            d.writeInt(repDim);
            d.writeInt(classes);
        });
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        int[] classCount = new int[1];
        fitted.read(in, MAGIC, VERSION, WHAT, repDim, d -> {
            int r = d.readInt();
            if (r != repDim) {
                throw new IOException(WHAT + " state has rep-dim " + r + " but this model has " + repDim);
            }
            classCount[0] = StateFormat.readInt(d, "classes", 2, MAX_CLASSES, WHAT);
            int[] hw = FeatureNetwork.readSize(d, WHAT);
            return new FeatureNetwork(DeepOneClassGraph.build(hw[0], hw[1], repDim, classCount[0], lambda, null),
                    hw[0], hw[1], DeepOneClassGraph.parameterNames());
        }, null);
        classes = classCount[0];
    }

    /** Releases the graph's native memory; the model is then unfitted. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        fitted.release();
    }

    @Override
    public synchronized String toString() {
        return "DeepOneClassModel[reference=" + reference + ", exclude-root=" + excludeRoot + ", per-class=" + perClass
                + ", lambda=" + lambda + ", epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate
                + ", weight-decay=" + weightDecay + ", rep-dim=" + repDim
                + fitted.describeSize() + "]";
    }
}
