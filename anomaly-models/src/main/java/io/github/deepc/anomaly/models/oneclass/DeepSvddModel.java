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
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 * {@code +}), since a zero coordinate is trivially reachable by zero weights. It is fixed, never trained (a constant
 * of the SameDiff graph). There is no autoencoder pretraining: the initialisation is He-uniform.
 *
 * <p>Engines ({@code engine}): {@code direct} (default) trains and infers on the library's own convolution engine
 * ({@link io.github.deepc.anomaly.models.conv.DirectFeatureNetwork}), {@code samediff} on the SameDiff graph of
 * {@link DeepSvddGraph}, the reference it is tested against; both compute on the same parameter store and give the same
 * results to float rounding.
 *
 * <p>Outputs: {@link OutputKind#LATENT} = {@code phi(x)} and {@link OutputKind#DISTANCE} =
 * {@code ||phi(x) - c||^2} (computed in double from the float features), read by the {@code distance} scorer.
 * The network sees {@code image * mask}. Input sides must be multiples of 8. Seeded: the same seed gives the same
 * initialisation, centre and batch order. All public methods are synchronized; holds native memory until
 * {@link #close()}.
 */
public final class DeepSvddModel extends CentredFeatureModel {
    /** The model id. */
    public static final String ID = "deep-svdd";
    /** Smallest magnitude of a centre coordinate (Ruff et al.'s {@code eps}). */
    public static final double CENTRE_EPS = 0.1;
    private static final Logger LOG = LoggerFactory.getLogger(DeepSvddModel.class);
    private static final int MAGIC = 0x53564444; // "SVDD"

    /**
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public DeepSvddModel(int epochs, int batchSize, double learningRate, double weightDecay, int repDim) {
        this(epochs, batchSize, learningRate, weightDecay, repDim, CaeEngine.DIRECT);
    }

    /**
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @param engine       what computes training and inference
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public DeepSvddModel(int epochs, int batchSize, double learningRate, double weightDecay, int repDim,
                         CaeEngine engine) {
        this(epochs, batchSize, learningRate, weightDecay, repDim, engine, InferenceBatch.INDEPENDENT);
    }

    /**
     * @param epochs         training epochs, at least 1
     * @param batchSize      mini-batch size, at least 1
     * @param learningRate   Adam learning rate, positive
     * @param weightDecay    L2 weight decay, at least 0
     * @param repDim         number of features, at least 1
     * @param engine         what computes training and inference
     * @param inferenceBatch images per inference pass of the direct engine ({@link InferenceBatch}; 1 makes an image's
     *                       outputs independent of the images inferred with it)
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public DeepSvddModel(int epochs, int batchSize, double learningRate, double weightDecay, int repDim,
                         CaeEngine engine, int inferenceBatch) {
        super(ID, MAGIC, epochs, batchSize, learningRate, weightDecay, repDim, engine, inferenceBatch);
    }

    /** Initialises a fresh network, fixes the centre, then trains. */
    @Override
    EpochLossListener train(List<GrayImage> normals, int h, int w, SplittableRandom root, TrainingContext context) {
        ProgressListener listener = context.listener();
        fitted.release();
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        ParameterStore store = BiasFreeEncoder.newStore(h, w, repDim, 0);
        BiasFreeEncoder.initialise(store, h, w, repDim, 0, initRng);
        CaeEngine use = trainingEngine(h, w, Math.min(batchSize, normals.size()));
        FeatureNetwork fresh = network(store, h, w, use);
        String key = checkpointKey(context, use, "", List.of(normals));
        EpochLossListener progress = fitted.train(fresh, net -> {
            float[] c = initialCentre(net.features(normals));
            EpochLossListener p;
            if (use == CaeEngine.DIRECT) {
                p = DirectOneClassTrainer.train(net, normals, batchSize, shuffleRng, null, null,
                        (n, labels) -> OneClassLosses.svdd(c), learningRate, weightDecay, epochs, listener, c,
                        key.isEmpty() ? Checkpointing.NONE : context.checkpoints(), key);
            } else {
                setCentre(net, c);
                p = net.fitGraph(GraphSupport.trainingConfig(learningRate, weightDecay,
                        List.of(FeatureNetwork.INPUT), List.of(FeatureNetwork.MASK), DeepSvddGraph.LOSS),
                        new OneClassBatches(normals, batchSize, h, w, shuffleRng, null, null), listener, epochs);
            }
            return new CentredNetwork.Trained(p, c);
        });
        LOG.info("Deep SVDD trained on {} images ({}x{}), {} epochs: loss {}, {} images/s", normals.size(), w, h,
                progress.epochsDone(), String.format(Locale.ROOT, "%.6f", progress.lastLoss()),
                String.format(Locale.ROOT, "%.1f", progress.imagesPerSecond()));
        return progress;
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

    /** The centre is a constant of the graph's loss: set it before training on the graph. */
    private void setCentre(FeatureNetwork net, float[] c) {
        net.graph().getVariable(DeepSvddGraph.CENTRE).getArr()
                .assign(Nd4j.create(c, new long[] {1, repDim}, DataType.FLOAT));
    }

    private FeatureNetwork network(ParameterStore store, int h, int w, CaeEngine use) {
        return new FeatureNetwork(ID, store, h, w, repDim, 0, use, inferenceBatch,
                () -> DeepSvddGraph.build(h, w, repDim, null));
    }

    @Override
    FeatureNetwork readNetwork(DataInputStream d, String what) throws IOException {
        int[] hw = FeatureNetwork.readSize(d, what);
        return network(BiasFreeEncoder.newStore(hw[0], hw[1], repDim, 0), hw[0], hw[1], engine);
    }

    @Override
    public synchronized String toString() {
        return "DeepSvddModel[" + describeTraining() + "]";
    }
}
