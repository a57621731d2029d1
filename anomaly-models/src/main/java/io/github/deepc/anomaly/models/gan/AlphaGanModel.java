package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * of D and C is spectrally normalised (see {@link SpectralNorm}). Outputs per image: D(x)
 * ({@link OutputKind#DISCRIMINATOR_PROBABILITY}), C(E(x)) ({@link OutputKind#CODE_DISCRIMINATOR_PROBABILITY}),
 * G(E(x)) ({@link OutputKind#RECONSTRUCTION}) and E(x) ({@link OutputKind#LATENT}).
 */
public final class AlphaGanModel extends GanModel {
    /** What the model outputs per image. */
    public static final Set<OutputKind> OUTPUTS = Set.of(OutputKind.DISCRIMINATOR_PROBABILITY,
            OutputKind.CODE_DISCRIMINATOR_PROBABILITY, OutputKind.RECONSTRUCTION, OutputKind.LATENT);
    /** The model id. */
    public static final String ID = "alpha-gan";

    /** Images placeholder of the discriminators' graph: x, then G(E(x)), then G(z) (training). */
    static final String IMAGES = "images";
    /** Latent placeholder of the discriminators' graph: z, then E(x) (training). */
    static final String CODES = "codes";
    /** E(x) in the generator's graph. */
    static final String LATENT = "latent";
    /** G applied to E(x) and z stacked: G(E(x)), then G(z), in the generator's graph. */
    static final String DECODED = "decoded";
    /** G(E(x)) alone in the generator's graph (inference). */
    static final String RECONSTRUCTED = "reconstructed";
    /** Masked L1 reconstruction error in the generator's graph. */
    static final String RECONSTRUCTION_LOSS = "reconstruction_loss";
    /** Image-discriminator logits on {@value #IMAGES}. */
    static final String LOGIT = "d_logit";
    /** Code-discriminator logits on {@value #CODES}. */
    static final String CODE_LOGIT = "c_logit";
    /** Image-discriminator loss. */
    static final String D_LOSS = "d_loss";
    /** Code-discriminator loss. */
    static final String C_LOSS = "c_loss";
    /** Mean D on x, G(E(x)) and G(z), {@code [3]}. */
    static final String GROUP_PROBABILITIES = "d_groups";
    private static final String[] D_OUTPUTS = {D_LOSS, C_LOSS, GROUP_PROBABILITIES};

    /** @param config hyper-parameters */
    public AlphaGanModel(GanConfig config) {
        super(config);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<OutputKind> outputs() {
        return OUTPUTS;
    }

    @Override
    GanArchitecture architecture(int height, int width) {
        return GanArchitecture.of(config(), height, width, config().attention(), config().spectralNorm());
    }

    @Override
    Players build(GanArchitecture a, SplittableRandom init) {
        double real = config().labelSmoothing();
        // discriminators: D on x, G(E(x)), G(z) stacked in one batch; C on z, E(x) stacked
        SameDiff dg = SameDiff.create();
        ParamScope dOwn = ParamScope.owned(dg, init, DataType.FLOAT);
        SDVariable images = dg.placeHolder(IMAGES, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable codes = dg.placeHolder(CODES, DataType.FLOAT, -1, a.latent());
        SDVariable logits = dg.identity(LOGIT, Networks.imageDiscriminator(dOwn, images, a));
        SDVariable codeLogits = dg.identity(CODE_LOGIT, Networks.codeDiscriminator(dOwn, codes, a));
        SDVariable dLoss = dg.identity(D_LOSS, Layers.groupLogisticLosses(dg, logits, real, 0.0, 0.0).sum());
        SDVariable cLoss = dg.identity(C_LOSS, Layers.groupLogisticLosses(dg, codeLogits, real, 0.0).sum());
        dg.identity(GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 3));
        dg.identity(LOSS, dLoss.add(cLoss));
        dg.setLossVariables(LOSS);

        // encoder and generator: G decodes E(x) and z in one pass
        SameDiff gg = SameDiff.create();
        ParamScope gOwn = ParamScope.owned(gg, init, DataType.FLOAT);
        ParamScope gOther = ParamScope.foreign(gg, DataType.FLOAT);
        SDVariable x = gg.placeHolder(REAL, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable mask = gg.placeHolder(MASK, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable z = gg.placeHolder(Z, DataType.FLOAT, -1, a.latent());
        SDVariable encoded = gg.identity(LATENT, Networks.encoder(gOwn, x, a));
        SDVariable decoded = gg.identity(DECODED, Networks.generator(gOwn, gg.concat(0, encoded, z), a));
        SDVariable reconstructed = gg.split(decoded, 2, 0)[0];
        SDVariable l1 = gg.identity(RECONSTRUCTION_LOSS, Layers.maskedL1(gg, reconstructed, x, mask));
        SDVariable adversarial = Layers.groupLogisticLosses(gg, Networks.imageDiscriminator(gOther, decoded, a), 1.0, 1.0)
                .sum().add(Layers.logisticLoss(gg, Networks.codeDiscriminator(gOther, encoded, a), 1.0));
        gg.identity(LOSS, l1.mul(config().reconstructionWeight()).add(adversarial));
        gg.identity(RECONSTRUCTED, Networks.generator(gOwn, encoded, a)); // inference only
        gg.identity(GENERATED, Networks.generator(gOwn, z, a));           // samples only
        gg.setLossVariables(LOSS);

        Player d = new Player("discriminator", dg, dOwn, null, config().discriminatorLearningRate());
        Player g = new Player("generator", gg, gOwn, gOther, config().generatorLearningRate());
        return new Players(d, g, SpectralNorm.create(dOwn.spectralShapes(), init));
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())),
                LATENT, DECODED);
        INDArray images = null;
        INDArray codes = null;
        Map<String, INDArray> out = null;
        try {
            images = Nd4j.concat(0, batch.images(), gen.get(DECODED));
            codes = Nd4j.concat(0, batch.z(), gen.get(LATENT));
            p.iterateSpectralNorm();
            out = p.discriminator().step(p.discriminatorFeeds(Map.of(IMAGES, images, CODES, codes)), D_OUTPUTS);
            INDArray groups = out.get(GROUP_PROBABILITIES);
            stats.add(DISCRIMINATOR_LOSS, out.get(D_LOSS).getDouble(0), batch.size());
            stats.add(CODE_DISCRIMINATOR_LOSS, out.get(C_LOSS).getDouble(0), batch.size());
            stats.add(D_REAL, groups.getDouble(0), batch.size());
            stats.add(D_FAKE, groups.getDouble(2), batch.size());
        } finally {
            GraphMemory.closeAll(gen);
            GraphMemory.closeAll(out);
            GraphMemory.closeQuietly(images);
            GraphMemory.closeQuietly(codes);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> out = p.generator().step(p.generatorFeeds(Map.of(REAL, batch.images(),
                MASK, batch.masks(), Z, batch.z())), LOSS, RECONSTRUCTION_LOSS);
        try {
            stats.add(GENERATOR_LOSS, out.get(LOSS).getDouble(0), batch.size());
            stats.add(RECONSTRUCTION, out.get(RECONSTRUCTION_LOSS).getDouble(0), batch.size());
        } finally {
            GraphMemory.closeAll(out);
        }
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(REAL, x)), LATENT, RECONSTRUCTED);
        Map<String, INDArray> dis = null;
        float[] codes;
        float[] recs;
        float[] logits;
        float[] codeLogits;
        try {
            dis = p.discriminator().output(p.discriminatorFeeds(Map.of(IMAGES, x, CODES, gen.get(LATENT))),
                    LOGIT, CODE_LOGIT);
            codes = GraphSupport.toFloats(gen.get(LATENT));
            recs = GraphSupport.toFloats(gen.get(RECONSTRUCTED));
            logits = GraphSupport.toFloats(dis.get(LOGIT));
            codeLogits = GraphSupport.toFloats(dis.get(CODE_LOGIT));
        } finally {
            GraphMemory.closeAll(gen);
            GraphMemory.closeAll(dis);
        }
        int latent = config().latent();
        int px = images.isEmpty() ? 0 : images.get(0).size();
        List<ModelOutput> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i]))
                    .scalar(OutputKind.CODE_DISCRIMINATOR_PROBABILITY, probability(codeLogits[i]))
                    .reconstruction(row(recs, i, px))
                    .latent(row(codes, i, latent))
                    .build());
        }
        return result;
    }
}
