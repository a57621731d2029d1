package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An alpha-GAN (Rosca et al. 2017, "Variational Approaches for Auto-Encoding Generative Adversarial Networks"): an
 * encoder E and a generator/decoder G trained as an auto-encoder and as a GAN at once, with an image discriminator D
 * that tells real images from reconstructions {@code G(E(x))} and samples {@code G(z)}, and a code discriminator C
 * that tells prior samples {@code z} from codes {@code E(x)} (replacing the VAE's KL term by a learned one).
 *
 * <p>Losses (logistic, real targets smoothed to {@code label-smoothing}): D and C, updated together,
 * {@code l(D(x), 1) + l(D(G(E(x))), 0) + l(D(G(z)), 0) + l(C(z), 1) + l(C(E(x)), 0)}; G and E, updated together,
 * {@code lambda * L1(x, G(E(x))) + l(D(G(E(x))), 1) + l(D(G(z)), 1) + l(C(E(x)), 1)} with the masked L1 error over
 * valid pixels and {@code lambda = reconstruction-weight}. (The paper gives the encoder only the reconstruction and
 * code terms; here one update of G and E with the summed loss also passes the image-adversarial gradient through
 * {@code G(E(x))} to E, a common simplification.)
 *
 * <p>With {@code attention}, SAGAN self-attention layers sit in G, E and D; with {@code spectral-norm}, every weight
 * of D and C is spectrally normalised (see {@link SpectralNorm}); either way the model runs on the configured engine
 * (the direct engine by default). Outputs per image: D(x)
 * ({@link OutputKind#DISCRIMINATOR_PROBABILITY}), C(E(x)) ({@link OutputKind#CODE_DISCRIMINATOR_PROBABILITY}),
 * G(E(x)) ({@link OutputKind#RECONSTRUCTION}) and E(x) ({@link OutputKind#LATENT}).
 */
public final class AlphaGanModel extends GanModel {
    /** What the model outputs per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.DISCRIMINATOR_PROBABILITY,
            OutputKind.CODE_DISCRIMINATOR_PROBABILITY, OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    /** The model id. */
    public static final String ID = "alpha-gan";

    /** G applied to E(x) and z stacked: G(E(x)), then G(z), in the generator's graph. */
    static final String DECODED = "decoded";
    /** Masked L1 reconstruction error in the generator's graph. */
    static final String RECONSTRUCTION_LOSS = "reconstruction_loss";
    /** Code-discriminator logits on {@value #CODES}. */
    static final String CODE_LOGIT = "c_logit";
    /** Image-discriminator loss. */
    static final String D_LOSS = "d_loss";
    /** Code-discriminator loss. */
    static final String C_LOSS = "c_loss";
    private static final List<GanSteps.Figure> D_FIGURES = List.of(new GanSteps.Figure(DISCRIMINATOR_LOSS, D_LOSS),
            new GanSteps.Figure(CODE_DISCRIMINATOR_LOSS, C_LOSS));
    private static final List<GanSteps.Figure> G_FIGURES = List.of(new GanSteps.Figure(GENERATOR_LOSS, LOSS),
            new GanSteps.Figure(RECONSTRUCTION, RECONSTRUCTION_LOSS));

    /** @param config hyper-parameters */
    public AlphaGanModel(GanConfig config) {
        super(config, ID, OUTPUTS);
    }

    @Override
    GanArchitecture architecture(int height, int width) {
        return GanArchitecture.of(config(), height, width, config().attention(), config().spectralNorm());
    }

    @Override
    void discriminatorGraph(SameDiff dg, ParamScope own, GanArchitecture a) {
        double real = config().labelSmoothing();
        // D on x, G(E(x)), G(z) stacked in one batch; C on z, E(x) stacked
        SDVariable images = a.imageBatch(dg, IMAGES);
        SDVariable codes = a.latentBatch(dg, CODES);
        SDVariable logits = dg.identity(LOGIT, Networks.imageDiscriminator(own, images, a));
        SDVariable codeLogits = dg.identity(CODE_LOGIT, Networks.codeDiscriminator(own, codes, a));
        SDVariable dLoss = dg.identity(D_LOSS, Layers.groupLogisticLosses(dg, logits, real, 0.0, 0.0).sum());
        SDVariable cLoss = dg.identity(C_LOSS, Layers.groupLogisticLosses(dg, codeLogits, real, 0.0).sum());
        dg.identity(GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 3));
        dg.identity(LOSS, dLoss.add(cLoss));
    }

    @Override
    void generatorGraph(SameDiff gg, ParamScope own, ParamScope other, GanArchitecture a) {
        // encoder and generator: G decodes E(x) and z in one pass
        SDVariable x = a.imageBatch(gg, REAL);
        SDVariable mask = a.imageBatch(gg, MASK);
        SDVariable z = a.latentBatch(gg, Z);
        SDVariable encoded = gg.identity(LATENT, Networks.encoder(own, x, a));
        SDVariable decoded = gg.identity(DECODED, Networks.generator(own, gg.concat(0, encoded, z), a));
        SDVariable reconstructed = gg.split(decoded, 2, 0)[0];
        SDVariable l1 = gg.identity(RECONSTRUCTION_LOSS, Layers.maskedL1(gg, reconstructed, x, mask));
        SDVariable adversarial = Layers.groupLogisticLosses(gg, Networks.imageDiscriminator(other, decoded, a), 1.0, 1.0)
                .sum().add(Layers.logisticLoss(gg, Networks.codeDiscriminator(other, encoded, a), 1.0));
        gg.identity(LOSS, l1.mul(config().reconstructionWeight()).add(adversarial));
        gg.identity(RECONSTRUCTED, Networks.generator(own, encoded, a)); // inference only
        gg.identity(GENERATED, Networks.generator(own, z, a));           // samples only
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())),
                LATENT, DECODED);
        try {
            GanSteps.discriminatorUpdate(p, Map.of(IMAGES, List.of(batch.images(), gen.get(DECODED)),
                    CODES, List.of(batch.z(), gen.get(LATENT))), D_FIGURES, batch.size(), stats);
        } finally {
            GraphMemory.closeAll(gen);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        GanSteps.generatorUpdate(p, Map.of(REAL, batch.images(), MASK, batch.masks(), Z, batch.z()), G_FIGURES,
                batch.size(), stats);
    }

    @Override
    DirectPlayers.Kind directKind() {
        return DirectPlayers.Kind.ALPHA_GAN;
    }

    @Override
    void discriminatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats) {
        // D on x, G(E(x)), G(z) stacked in one batch; C on z, E(x) stacked
        int n = batch.n();
        int px = n * batch.px();
        int codes = n * config().latent();
        double real = config().labelSmoothing();
        float[] pairs = new float[2 * codes];
        System.arraycopy(batch.z(), 0, pairs, 0, codes);
        System.arraycopy(p.encoder().forward(batch.images(), null, n), 0, pairs, codes, codes);
        float[] decodable = new float[2 * codes];
        System.arraycopy(pairs, codes, decodable, 0, codes);
        System.arraycopy(batch.z(), 0, decodable, codes, codes);
        float[] images = new float[3 * px];
        System.arraycopy(batch.images(), 0, images, 0, px);
        System.arraycopy(p.generator().forward(decodable, 2 * n), 0, images, px, 2 * px);
        p.iterateSpectralNorms();
        float[] logits = p.discriminator().forward(images, null, 3 * n);
        float[] dGrad = new float[3 * n];
        double[] means = GanLosses.groupMeanProbabilities(logits, 3 * n, 3);
        double[] dLosses = GanLosses.groupLogistic(logits, 3 * n, new double[] {real, 0.0, 0.0}, dGrad);
        p.discriminator().backward(dGrad, 3 * n, null, null);
        float[] codeLogits = p.codeDiscriminator().forward(pairs, 2 * n);
        float[] cGrad = new float[2 * n];
        double[] cLosses = GanLosses.groupLogistic(codeLogits, 2 * n, new double[] {real, 0.0}, cGrad);
        p.codeDiscriminator().backward(cGrad, 2 * n, null);
        p.updateDiscriminator();
        stats.add(DISCRIMINATOR_LOSS, dLosses[0] + dLosses[1] + dLosses[2], n);
        stats.add(CODE_DISCRIMINATOR_LOSS, cLosses[0] + cLosses[1], n);
        stats.add(D_REAL, means[0], n);
        stats.add(D_FAKE, means[2], n);
    }

    @Override
    void generatorStep(DirectPlayers p, DirectBatch batch, EpochStats stats) {
        // lambda * L1(x, G(E(x))) + l(D(G(E(x))), 1) + l(D(G(z)), 1) + l(C(E(x)), 1); D and C are left as they are
        int n = batch.n();
        int px = n * batch.px();
        int latent = config().latent();
        int codes = n * latent;
        double lambda = config().reconstructionWeight();
        float[] encoded = java.util.Arrays.copyOf(p.encoder().forward(batch.images(), null, n), codes);
        float[] decodable = new float[2 * codes];
        System.arraycopy(encoded, 0, decodable, 0, codes);
        System.arraycopy(batch.z(), 0, decodable, codes, codes);
        float[] decoded = java.util.Arrays.copyOf(p.generator().forward(decodable, 2 * n), 2 * px);
        float[] imageGrad = new float[2 * px];
        float[] l1Grad = new float[px];
        double l1 = GanLosses.maskedL1(decoded, batch.images(), batch.masks(), n, batch.px(), l1Grad);
        float[] logits = p.discriminator().forward(decoded, null, 2 * n);
        float[] dGrad = new float[2 * n];
        double[] dLosses = GanLosses.groupLogistic(logits, 2 * n, new double[] {1.0, 1.0}, dGrad);
        p.discriminator().backwardToInputs(dGrad, 2 * n, imageGrad, null);
        float[] codeLogits = p.codeDiscriminator().forward(encoded, n);
        float[] cGrad = new float[n];
        double cLoss = GanLosses.groupLogistic(codeLogits, n, new double[] {1.0}, cGrad)[0];
        float[] codeGrad = new float[codes];
        p.codeDiscriminator().backwardToInputs(cGrad, n, codeGrad);
        for (int i = 0; i < px; i++) {
            imageGrad[i] += (float) (lambda * l1Grad[i]);
        }
        float[] latentGrad = new float[2 * codes];
        p.generator().backward(imageGrad, 2 * n, latentGrad);
        for (int i = 0; i < codes; i++) {
            codeGrad[i] += latentGrad[i];
        }
        p.encoder().backward(codeGrad, n, null, null);
        p.updateGenerator();
        stats.add(GENERATOR_LOSS, lambda * l1 + dLosses[0] + dLosses[1] + cLoss, n);
        stats.add(RECONSTRUCTION, l1, n);
    }

    @Override
    List<ModelOutput> inferBatch(DirectPlayers p, List<GrayImage> images, float[] x) {
        int n = images.size();
        int latent = config().latent();
        float[] codes = java.util.Arrays.copyOf(p.encoder().forward(x, null, n), n * latent);
        float[] recs = java.util.Arrays.copyOf(p.generator().forward(codes, n), x.length);
        float[] logits = java.util.Arrays.copyOf(p.discriminator().forward(x, null, n), n);
        float[] codeLogits = p.codeDiscriminator().forward(codes, n);
        int px = x.length / Math.max(n, 1);
        List<ModelOutput> result = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i]))
                    .scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY, probability(codeLogits[i]))
                    .reconstruction(row(recs, i, px)).latent(row(codes, i, latent)).build());
        }
        return result;
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        return EncoderInference.infer(p, images, x, config().latent(), true);
    }
}
