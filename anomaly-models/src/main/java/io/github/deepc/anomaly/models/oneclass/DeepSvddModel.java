package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.progress.ProgressListener;
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
 * {@code +}), since a zero coordinate is trivially reachable by zero weights. It is a graph constant, never trained.
 * There is no autoencoder pretraining: the initialisation is He-uniform.
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
    private static final int VERSION = 1;

    /**
     * @param epochs       training epochs, at least 1
     * @param batchSize    mini-batch size, at least 1
     * @param learningRate Adam learning rate, positive
     * @param weightDecay  L2 weight decay, at least 0
     * @param repDim       number of features, at least 1
     * @throws IllegalArgumentException naming the parameter when a value is out of range
     */
    public DeepSvddModel(int epochs, int batchSize, double learningRate, double weightDecay, int repDim) {
        super(ID, MAGIC, VERSION, epochs, batchSize, learningRate, weightDecay, repDim);
    }

    /** Initialises a fresh network, fixes the centre, then trains. */
    @Override
    EpochLossListener train(List<GrayImage> normals, int h, int w, SplittableRandom root, ProgressListener listener) {
        fitted.release();
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();
        FeatureNetwork fresh = new FeatureNetwork(DeepSvddGraph.build(h, w, repDim, initRng), h, w,
                BiasFreeEncoder.parameterNames());
        EpochLossListener progress = fitted.train(fresh, net -> {
            float[] c = initialCentre(net.features(normals));
            setCentre(net, c);
            return new CentredNetwork.Trained(net.fit(GraphSupport.trainingConfig(learningRate, weightDecay,
                    List.of(FeatureNetwork.INPUT), List.of(FeatureNetwork.MASK), DeepSvddGraph.LOSS),
                    new OneClassBatches(normals, batchSize, h, w, shuffleRng, null, null), listener, epochs), c);
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

    /** The centre is a graph constant of the loss: set it before training and after loading. */
    private void setCentre(FeatureNetwork net, float[] c) {
        net.graph().getVariable(DeepSvddGraph.CENTRE).getArr()
                .assign(Nd4j.create(c, new long[] {1, repDim}, DataType.FLOAT));
    }

    @Override
    FeatureNetwork readNetwork(DataInputStream d, String what) throws IOException {
        int[] hw = FeatureNetwork.readSize(d, what);
        return new FeatureNetwork(DeepSvddGraph.build(hw[0], hw[1], repDim, null), hw[0], hw[1],
                BiasFreeEncoder.parameterNames());
    }

    @Override
    void loaded(FeatureNetwork network, float[] centre) {
        setCentre(network, centre);
    }

    @Override
    public synchronized String toString() {
        return "DeepSvddModel[" + describeTraining() + "]";
    }
}
