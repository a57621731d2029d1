package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A BiGAN (Donahue et al. 2017; Zenati et al. 2018 for anomaly detection): a generator G, an encoder E and a
 * discriminator on (image, latent) pairs that tells {@code (x, E(x))} from {@code (G(z), z)}; G and E are trained
 * together with the non-saturating loss (labels swapped), which drives E towards G's inverse. Outputs per image: the
 * discriminator's probability {@code D(x, E(x))} ({@link OutputKind#DISCRIMINATOR_PROBABILITY}), the reconstruction
 * {@code G(E(x))} ({@link OutputKind#RECONSTRUCTION}, for reconstruction scorers) and the code {@code E(x)}
 * ({@link OutputKind#LATENT}).
 */
public final class BiganModel extends GanModel {
    /** What the model outputs per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.DISCRIMINATOR_PROBABILITY,
            OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    /** The model id. */
    public static final String ID = "bigan";

    /**
     * @param config hyper-parameters ({@code attention}, {@code spectral-norm} and {@code reconstruction-weight} are not
     *               used)
     */
    public BiganModel(GanConfig config) {
        super(config, ID, OUTPUTS);
    }

    @Override
    void discriminatorGraph(SameDiff dg, ParamScope own, GanArchitecture a) {
        // (x, E(x)) pairs then (G(z), z) pairs, stacked in one batch
        SDVariable images = a.imageBatch(dg, IMAGES);
        SDVariable codes = a.latentBatch(dg, CODES);
        SDVariable logits = dg.identity(LOGIT, Networks.jointDiscriminator(own, images, codes, a));
        GanSteps.realVersusFakeLoss(dg, logits, config().labelSmoothing());
    }

    @Override
    void generatorGraph(SameDiff gg, ParamScope own, ParamScope other, GanArchitecture a) {
        // generator and encoder, non-saturating: G wants (G(z), z) called real, E wants (x, E(x)) called fake
        SDVariable x = a.imageBatch(gg, REAL);
        SDVariable z = a.latentBatch(gg, Z);
        SDVariable generated = gg.identity(GENERATED, Networks.generator(own, z, a));
        SDVariable encoded = gg.identity(LATENT, Networks.encoder(own, x, a));
        gg.identity(RECONSTRUCTED, Networks.generator(own, encoded, a)); // inference only
        SDVariable pairLogits = Networks.jointDiscriminator(other, gg.concat(0, generated, x), gg.concat(0, z, encoded), a);
        gg.identity(LOSS, Layers.groupLogisticLosses(gg, pairLogits, 1.0, 0.0).sum());
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(
                p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())), GENERATED, LATENT);
        try {
            GanSteps.discriminatorUpdate(p, Map.of(IMAGES, List.of(batch.images(), gen.get(GENERATED)),
                    CODES, List.of(gen.get(LATENT), batch.z())), GanSteps.DISCRIMINATOR_LOSS_ONLY, batch.size(), stats);
        } finally {
            GraphMemory.closeAll(gen);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        GanSteps.generatorUpdate(p, Map.of(REAL, batch.images(), Z, batch.z()), GanSteps.GENERATOR_LOSS_ONLY,
                batch.size(), stats);
    }

    @Override
    DirectPlayers.Kind directKind() {
        return DirectPlayers.Kind.BIGAN;
    }

    @Override
    void discriminatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats) {
        // (x, E(x)) pairs then (G(z), z) pairs, stacked in one batch
        int n = batch.n();
        int px = n * batch.px();
        int codes = n * config().latent();
        float[] images = new float[2 * px];
        float[] pairs = new float[2 * codes];
        System.arraycopy(batch.images(), 0, images, 0, px);
        System.arraycopy(p.generator().forward(batch.z(), n), 0, images, px, px);
        System.arraycopy(p.encoder().forward(batch.images(), null, n), 0, pairs, 0, codes);
        System.arraycopy(batch.z(), 0, pairs, codes, codes);
        float[] logits = p.discriminator().forward(images, pairs, 2 * n);
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
        // G wants (G(z), z) called real, E wants (x, E(x)) called fake; D's parameters are left as they are
        int n = batch.n();
        int px = n * batch.px();
        int codes = n * config().latent();
        float[] images = new float[2 * px];
        float[] pairs = new float[2 * codes];
        System.arraycopy(p.generator().forward(batch.z(), n), 0, images, 0, px);
        System.arraycopy(batch.images(), 0, images, px, px);
        System.arraycopy(batch.z(), 0, pairs, 0, codes);
        System.arraycopy(p.encoder().forward(batch.images(), null, n), 0, pairs, codes, codes);
        float[] logits = p.discriminator().forward(images, pairs, 2 * n);
        float[] grad = new float[2 * n];
        double[] losses = GanLosses.groupLogistic(logits, 2 * n, new double[] {1.0, 0.0}, grad);
        float[] imageGrad = new float[2 * px];
        float[] codeGrad = new float[2 * codes];
        p.discriminator().backwardToInputs(grad, 2 * n, imageGrad, codeGrad);
        p.generator().backward(imageGrad, n, null);
        p.encoder().backward(Arrays.copyOfRange(codeGrad, codes, 2 * codes), n, null, null);
        p.updateGenerator();
        stats.add(GENERATOR_LOSS, losses[0] + losses[1], n);
    }

    @Override
    List<ModelOutput> inferBatch(DirectPlayers p, List<GrayImage> images, float[] x) {
        int n = images.size();
        int latent = config().latent();
        float[] codes = Arrays.copyOf(p.encoder().forward(x, null, n), n * latent);
        float[] recs = Arrays.copyOf(p.generator().forward(codes, n), x.length);
        float[] logits = p.discriminator().forward(x, codes, n);
        int px = x.length / Math.max(n, 1);
        List<ModelOutput> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i]))
                    .reconstruction(row(recs, i, px)).latent(row(codes, i, latent)).build());
        }
        return result;
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        return EncoderInference.infer(p, images, x, config().latent(), false);
    }
}
