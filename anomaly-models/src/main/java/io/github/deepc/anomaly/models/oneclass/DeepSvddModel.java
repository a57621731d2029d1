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
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-class Deep SVDD (Ruff et al., "Deep One-Class Classification", ICML 2018): a bias-free convolutional network
 * {@code phi} ({@link BiasFreeEncoder}) is trained to map the normal images close to a fixed centre {@code c},
 * minimising {@code mean ||phi(x) - c||^2} plus L2 weight decay (Adam). The centre is computed once, after the
 * seeded initialisation and before any update, as the mean of the initial network's outputs on the training images;
 * coordinates within {@value #CENTRE_EPS} of 0 are pushed to {@code +-}{@value #CENTRE_EPS} (by their sign, 0 to
 * {@code +}), since a zero coordinate is trivially reachable by zero weights. It is a graph constant, never trained.
 * There is no autoencoder pretraining: the initialisation is He-uniform.
 *
 * <p>Outputs: {@link OutputKind#LATENT} = {@code phi(x)} and {@link OutputKind#DISTANCE} =
 * {@code ||phi(x) - c||^2} (computed in double from the float features), read by the {@code distance} scorer.
 * The network sees {@code image * mask}. Input sides must be multiples of 8. Seeded: the same seed gives the same
 * initialisation, centre and batch order. All public methods are synchronized; holds native memory until
 * {@link #close()}.
 */
public final class DeepSvddModel implements AnomalyModel {
    /** The model id. */
    public static final String ID = "deep-svdd";
    /** Smallest magnitude of a centre coordinate (Ruff et al.'s {@code eps}). */
    public static final double CENTRE_EPS = 0.1;
    private static final Logger LOG = LoggerFactory.getLogger(DeepSvddModel.class);
    private static final int MAGIC = 0x53564444; // "SVDD"
    private static final int VERSION = 1;
    private static final String WHAT = "deep-svdd model";

    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double weightDecay;
    private final int repDim;

    private final CentredNetwork fitted = new CentredNetwork();

    /**
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public DeepSvddModel(int epochs, int batchSize, double learningRate, double weightDecay, int repDim) {
        OneClassParameters.check(ID, epochs, batchSize, learningRate, weightDecay, repDim);
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
     * Initialises a fresh network, fixes the centre, then trains (a previous fit or loaded state is discarded).
     *
     * @throws IllegalArgumentException for no images, images of differing sizes, sides that are not multiples of 8,
     *                                  or non-finite pixel values
     */
    @Override
    public synchronized TrainingSummary fit(List<GrayImage> normals, TrainingContext context) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(context, "context");
        int[] hw = FeatureNetwork.checkTraining(normals, ID);
        int h = hw[0];
        int w = hw[1];
        release();
        SplittableRandom root = new SplittableRandom(context.seed());
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        EpochLossListener progress;
        FeatureNetwork net = new FeatureNetwork(DeepSvddGraph.build(h, w, repDim, initRng), h, w,
                BiasFreeEncoder.parameterNames());
        try {
            float[] c = initialCentre(net.features(normals));
            SameDiff graph = net.graph();
            graph.getVariable(DeepSvddGraph.CENTRE).getArr().assign(Nd4j.create(c, new long[] {1, repDim}, DataType.FLOAT));
            progress = net.fit(GraphSupport.trainingConfig(learningRate, weightDecay, List.of(FeatureNetwork.INPUT),
                    List.of(FeatureNetwork.MASK), DeepSvddGraph.LOSS),
                    new OneClassBatches(normals, batchSize, h, w, shuffleRng, null, null), context.listener(), epochs);
            fitted.set(net, c);
            net = null;
        } finally {
            if (net != null) {
                net.close();
            }
        }
        LOG.info("Deep SVDD trained on {} images ({}x{}), {} epochs: loss {}, {} images/s", normals.size(), w, h,
                progress.epochsDone(), String.format(Locale.ROOT, "%.6f", progress.lastLoss()),
                String.format(Locale.ROOT, "%.1f", progress.imagesPerSecond()));
        return FeatureNetwork.summary(normals.size(), progress);
    }

    /** The mean initial feature with Ruff et al.'s epsilon trick. */
    static float[] initialCentre(float[][] features) {
        float[] c = FeatureNetwork.mean(features);
        for (int j = 0; j < c.length; j++) {
            if (Math.abs(c[j]) < CENTRE_EPS) {
                c[j] = (float) (c[j] < 0 ? -CENTRE_EPS : CENTRE_EPS);
            }
        }
        return c;
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
     * @return a copy of the hypersphere centre {@code c}
     * @throws IllegalStateException when not fitted
     */
    public synchronized float[] centre() {
        return fitted.centre();
    }

    /**
     * Format: {@link StateFormat} framing around the feature count, the network (input size, then per variable its
     * name, shape and float32 values) and the centre.
     */
    @Override
    public synchronized void writeState(OutputStream out) throws IOException {
        fitted.write(out, MAGIC, VERSION, d -> d.writeInt(repDim));
    }

    @Override
    public synchronized void readState(InputStream in) throws IOException {
        fitted.read(in, MAGIC, VERSION, WHAT, repDim, d -> {
            int r = d.readInt();
            if (r != repDim) {
                throw new IOException(WHAT + " state has rep-dim " + r + " but this model has " + repDim);
            }
            int[] hw = FeatureNetwork.readSize(d, WHAT);
            return new FeatureNetwork(DeepSvddGraph.build(hw[0], hw[1], repDim, null), hw[0], hw[1],
                    BiasFreeEncoder.parameterNames());
        }, (net, c) -> net.graph().getVariable(DeepSvddGraph.CENTRE).getArr()
                .assign(Nd4j.create(c, new long[] {1, repDim}, DataType.FLOAT)));
    }

    /** Releases the graph's native memory; the model is then unfitted. */
    @Override
    public synchronized void close() {
        release();
    }

    private void release() {
        fitted.release();
    }

    /** Package-private for tests: the live network, or null. */
    synchronized FeatureNetwork network() {
        return fitted.network();
    }

    @Override
    public synchronized String toString() {
        return "DeepSvddModel[epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate + ", weight-decay="
                + weightDecay + ", rep-dim=" + repDim
                + fitted.describeSize() + "]";
    }
}
