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

    /** Images placeholder of the discriminator's graph: real images, then as many generated ones (training). */
    static final String IMAGES = "images";
    /** Discriminator logits on {@value #IMAGES}. */
    static final String LOGIT = "d_logit";
    /** Mean D on the real and on the generated group, {@code [2]}. */
    static final String GROUP_PROBABILITIES = "d_groups";
    private static final String[] D_OUTPUTS = {LOSS, GROUP_PROBABILITIES};

    /**
     * @param config hyper-parameters ({@code attention}, {@code spectral-norm} and {@code reconstruction-weight} are not
     *               used)
     */
    public DcganModel(GanConfig config) {
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
        // discriminator: real and generated images stacked in one batch, one pass through D
        SameDiff dg = SameDiff.create();
        ParamScope dOwn = ParamScope.owned(dg, init, DataType.FLOAT);
        SDVariable images = dg.placeHolder(IMAGES, DataType.FLOAT, -1, 1, a.height(), a.width());
        SDVariable logits = dg.identity(LOGIT, Networks.imageDiscriminator(dOwn, images, a));
        dg.identity(GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 2));
        dg.identity(LOSS, Layers.groupLogisticLosses(dg, logits, config().labelSmoothing(), 0.0).sum());
        dg.setLossVariables(LOSS);

        // generator: non-saturating loss -log D(G(z))
        SameDiff gg = SameDiff.create();
        ParamScope gOwn = ParamScope.owned(gg, init, DataType.FLOAT);
        ParamScope gOther = ParamScope.foreign(gg, DataType.FLOAT);
        SDVariable z = gg.placeHolder(Z, DataType.FLOAT, -1, a.latent());
        SDVariable generated = gg.identity(GENERATED, Networks.generator(gOwn, z, a));
        gg.identity(LOSS, Layers.logisticLoss(gg, Networks.imageDiscriminator(gOther, generated, a), 1.0));
        gg.setLossVariables(LOSS);

        Player d = new Player("discriminator", dg, dOwn, null, config().discriminatorLearningRate());
        Player g = new Player("generator", gg, gOwn, gOther, config().generatorLearningRate());
        return new Players(d, g, SpectralNorm.create(dOwn.spectralShapes(), init));
    }

    @Override
    void discriminatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> gen = p.generator().output(p.generatorFeeds(Map.of(Z, batch.z())), GENERATED);
        INDArray images = null;
        Map<String, INDArray> out = null;
        try {
            images = Nd4j.concat(0, batch.images(), gen.get(GENERATED));
            p.iterateSpectralNorm();
            out = p.discriminator().step(p.discriminatorFeeds(Map.of(IMAGES, images)), D_OUTPUTS);
            INDArray groups = out.get(GROUP_PROBABILITIES);
            stats.add(DISCRIMINATOR_LOSS, out.get(LOSS).getDouble(0), batch.size());
            stats.add(D_REAL, groups.getDouble(0), batch.size());
            stats.add(D_FAKE, groups.getDouble(1), batch.size());
        } finally {
            GraphMemory.closeAll(gen);
            GraphMemory.closeAll(out);
            GraphMemory.closeQuietly(images);
        }
    }

    @Override
    void generatorStep(Players p, Batch batch, EpochStats stats) {
        Map<String, INDArray> out = p.generator().step(p.generatorFeeds(Map.of(Z, batch.z())), LOSS);
        try {
            stats.add(GENERATOR_LOSS, out.get(LOSS).getDouble(0), batch.size());
        } finally {
            GraphMemory.closeAll(out);
        }
    }

    @Override
    List<ModelOutput> inferBatch(Players p, List<GrayImage> images, INDArray x) {
        Map<String, INDArray> out = p.discriminator().output(p.discriminatorFeeds(Map.of(IMAGES, x)), LOGIT);
        float[] logits;
        try {
            logits = GraphSupport.toFloats(out.get(LOGIT));
        } finally {
            GraphMemory.closeAll(out);
        }
        List<ModelOutput> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            result.add(ModelOutput.builder(images.get(i))
                    .scalar(OutputKind.DISCRIMINATOR_PROBABILITY, probability(logits[i])).build());
        }
        return result;
    }
}
