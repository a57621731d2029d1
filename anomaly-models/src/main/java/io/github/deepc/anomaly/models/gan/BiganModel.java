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

    /** Images placeholder of the discriminator's graph: real images, then as many generated ones (training). */
    static final String IMAGES = "images";
    /** Latent placeholder of the discriminator's graph, paired with {@value #IMAGES}: E(x), then z. */
    static final String CODES = "codes";
    /** E(x) in the generator's graph. */
    static final String LATENT = "latent";
    /** G(E(x)) in the generator's graph. */
    static final String RECONSTRUCTED = "reconstructed";
    /** Discriminator logits on the pairs. */
    static final String LOGIT = "d_logit";
    /** Mean D on the (x, E(x)) and on the (G(z), z) group, {@code [2]}. */
    static final String GROUP_PROBABILITIES = "d_groups";
    private static final String[] D_OUTPUTS = {LOSS, GROUP_PROBABILITIES};

    /**
     * @param config hyper-parameters ({@code attention}, {@code spectral-norm} and {@code reconstruction-weight} are not
     *               used)
     */
    public BiganModel(GanConfig config) {
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
        return GanArchitecture.of(config(), height, width, false, false);
    }

    @Override
    Players build(GanArchitecture a, SplittableRandom init) {
        // discriminator: (x, E(x)) pairs then (G(z), z) pairs, stacked in one batch
        SameDiff dg = SameDiff.create();
        ParamScope dOwn = ParamScope.owned(dg, init, DataType.FLOAT);
        SDVariable images = dg.placeHolder(IMAGES, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable codes = dg.placeHolder(CODES, DataType.FLOAT, -1, a.latent());
        SDVariable logits = dg.identity(LOGIT, Networks.jointDiscriminator(dOwn, images, codes, a));
        dg.identity(GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 2));
        dg.identity(LOSS, Layers.groupLogisticLosses(dg, logits, config().labelSmoothing(), 0.0).sum());
        dg.setLossVariables(LOSS);

        // generator and encoder, non-saturating: G wants (G(z), z) called real, E wants (x, E(x)) called fake
        SameDiff gg = SameDiff.create();
        ParamScope gOwn = ParamScope.owned(gg, init, DataType.FLOAT);
        ParamScope gOther = ParamScope.foreign(gg, DataType.FLOAT);
        SDVariable x = gg.placeHolder(REAL, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable z = gg.placeHolder(Z, DataType.FLOAT, -1, a.latent());
        SDVariable generated = gg.identity(GENERATED, Networks.generator(gOwn, z, a));
        SDVariable encoded = gg.identity(LATENT, Networks.encoder(gOwn, x, a));
        gg.identity(RECONSTRUCTED, Networks.generator(gOwn, encoded, a)); // inference only
        SDVariable pairLogits = Networks.jointDiscriminator(gOther, gg.concat(0, generated, x), gg.concat(0, z, encoded), a);
        gg.identity(LOSS, Layers.groupLogisticLosses(gg, pairLogits, 1.0, 0.0).sum());
        gg.setLossVariables(LOSS);

        Player d = new Player("discriminator", dg, dOwn, null, config().discriminatorLearningRate());
        Player g = new Player("generator", gg, gOwn, gOther, config().generatorLearningRate());
        return new Players(d, g, SpectralNorm.create(dOwn.spectralShapes(), init));
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(
                p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())), GENERATED, LATENT);
        INDArray images = null;
        INDArray codes = null;
        Map<String, INDArray> out = null;
        try {
            images = Nd4j.concat(0, batch.images(), gen.get(GENERATED));
            codes = Nd4j.concat(0, gen.get(LATENT), batch.z());
            p.iterateSpectralNorm();
            out = p.discriminator().step(p.discriminatorFeeds(Map.of(IMAGES, images, CODES, codes)), D_OUTPUTS);
            INDArray groups = out.get(GROUP_PROBABILITIES);
            stats.add(DISCRIMINATOR_LOSS, out.get(LOSS).getDouble(0), batch.size());
            stats.add(D_REAL, groups.getDouble(0), batch.size());
            stats.add(D_FAKE, groups.getDouble(1), batch.size());
        } finally {
            GraphMemory.closeAll(gen);
            GraphMemory.closeAll(out);
            GraphMemory.closeQuietly(images);
            GraphMemory.closeQuietly(codes);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> out = p.generator().step(
                p.generatorFeeds(Map.of(REAL, batch.images(), Z, batch.z())), LOSS);
        try {
            stats.add(GENERATOR_LOSS, out.get(LOSS).getDouble(0), batch.size());
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
        try {
            dis = p.discriminator().output(p.discriminatorFeeds(Map.of(IMAGES, x, CODES, gen.get(LATENT))), LOGIT);
            codes = GraphSupport.toFloats(gen.get(LATENT));
            recs = GraphSupport.toFloats(gen.get(RECONSTRUCTED));
            logits = GraphSupport.toFloats(dis.get(LOGIT));
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
                    .reconstruction(row(recs, i, px))
                    .latent(row(codes, i, latent))
                    .build());
        }
        return result;
    }
}
