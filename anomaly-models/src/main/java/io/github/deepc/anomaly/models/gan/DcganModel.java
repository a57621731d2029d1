package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DCGAN (Radford et al. 2016) of normal images: a generator from latent vectors and a convolutional discriminator
 * (see {@link Networks}), trained with the logistic loss, one-sided label smoothing for real images and the
 * non-saturating generator loss {@code -log D(G(z))}. Its output is the discriminator's probability D(x) that an
 * image is real ({@link OutputKind#DISCRIMINATOR_PROBABILITY}); abnormal images should look less real to it.
 */
public final class DcganModel extends GanModel {
    /** What the model outputs per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.DISCRIMINATOR_PROBABILITY);
    /** The model id. */
    public static final String ID = "dcgan";

    /**
     * @param config hyper-parameters ({@code attention}, {@code spectral-norm} and {@code reconstruction-weight} are not
     *               used)
     */
    public DcganModel(GanConfig config) {
        super(config, ID, OUTPUTS);
    }

    @Override
    void discriminatorGraph(SameDiff dg, ParamScope own, GanArchitecture a) {
        // real and generated images stacked in one batch, one pass through D
        SDVariable images = a.imageBatch(dg, IMAGES);
        SDVariable logits = dg.identity(LOGIT, Networks.imageDiscriminator(own, images, a));
        GanSteps.realVersusFakeLoss(dg, logits, config().labelSmoothing());
    }

    @Override
    void generatorGraph(SameDiff gg, ParamScope own, ParamScope other, GanArchitecture a) {
        // non-saturating loss -log D(G(z))
        SDVariable z = a.latentBatch(gg, Z);
        SDVariable generated = gg.identity(GENERATED, Networks.generator(own, z, a));
        gg.identity(LOSS, Layers.logisticLoss(gg, Networks.imageDiscriminator(other, generated, a), 1.0));
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(Z, batch.z())), GENERATED);
        try {
            GanSteps.discriminatorUpdate(p, Map.of(IMAGES, List.of(batch.images(), gen.get(GENERATED))),
                    GanSteps.DISCRIMINATOR_LOSS_ONLY, batch.size(), stats);
        } finally {
            GraphMemory.closeAll(gen);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        GanSteps.generatorUpdate(p, Map.of(Z, batch.z()), GanSteps.GENERATOR_LOSS_ONLY, batch.size(), stats);
    }

    @Override
    DirectPlayers.Kind directKind() {
        return DirectPlayers.Kind.DCGAN;
    }

    @Override
    void discriminatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats) {
        // real and generated images stacked in one batch, one pass through D
        int n = batch.n();
        int px = n * batch.px();
        float[] images = new float[2 * px];
        System.arraycopy(batch.images(), 0, images, 0, px);
        System.arraycopy(p.generator().forward(batch.z(), n), 0, images, px, px);
        float[] logits = p.discriminator().forward(images, null, 2 * n);
        float[] grad = new float[2 * n];
        double[] means = GanLosses.groupMeanProbabilities(logits, 2 * n, 2);
        double[] losses = GanLosses.groupLogistic(logits, 2 * n, new double[] {config().labelSmoothing(), 0.0}, grad);
        p.discriminator().backward(grad, 2 * n, null, null);
        p.updateDiscriminator();
        stats.add(DISCRIMINATOR_LOSS, losses[0] + losses[1], n);
        stats.add(D_REAL, means[0], n);
        stats.add(D_FAKE, means[1], n);
    }

    @Override
    void generatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats) {
        // non-saturating loss -log D(G(z)), through D with D's parameters left as they are
        int n = batch.n();
        float[] generated = p.generator().forward(batch.z(), n);
        float[] logits = p.discriminator().forward(generated, null, n);
        float[] grad = new float[n];
        double loss = GanLosses.groupLogistic(logits, n, new double[] {1.0}, grad)[0];
        float[] imageGrad = new float[n * batch.px()];
        p.discriminator().backwardToInputs(grad, n, imageGrad, null);
        p.generator().backward(imageGrad, n, null);
        p.updateGenerator();
        stats.add(GENERATOR_LOSS, loss, n);
    }

    @Override
    List<ModelOutput> inferBatch(DirectPlayers p, List<GrayImage> images, float[] x) {
        float[] logits = p.discriminator().forward(x, null, images.size());
        List<ModelOutput> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i])).build());
        }
        return result;
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        float[] logits = p.discriminator().values(p.discriminatorFeeds(Map.of(IMAGES, x)), LOGIT);
        List<ModelOutput> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i])).build());
        }
        return result;
    }
}
