package io.github.deepc.anomaly.models.gan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parts of training the two players that the GAN models repeat: the real-versus-fake discriminator loss and one
 * update of either player with its figures recorded. Each model keeps only what differs: its graphs and what it feeds
 * them.
 */
final class GanSteps {
    /** The one figure of a discriminator with one loss (dcgan, bigan). */
    static final List<Figure> DISCRIMINATOR_LOSS_ONLY = List.of(new Figure(GanModel.DISCRIMINATOR_LOSS, GanModel.LOSS));
    /** The one figure of a generator with only its adversarial loss (dcgan, bigan). */
    static final List<Figure> GENERATOR_LOSS_ONLY = List.of(new Figure(GanModel.GENERATOR_LOSS, GanModel.LOSS));

    private GanSteps() {
    }

    /**
     * A training figure read from a graph output after a step.
     *
     * @param name     the figure's name in the epoch report
     * @param variable the scalar graph output it is read from
     */
    record Figure(String name, String variable) {
    }

    /**
     * Makes {@value GanModel#LOSS} the discriminator's loss on logits of two equal groups, real (target
     * {@code label-smoothing}) then fake (target 0), and adds the groups' mean probabilities as
     * {@value GanModel#GROUP_PROBABILITIES}.
     *
     * @param dg             the discriminator's graph
     * @param logits         its logits, real group first
     * @param labelSmoothing target for the real group
     */
    static void realVersusFakeLoss(SameDiff dg, SDVariable logits, double labelSmoothing) {
        dg.identity(GanModel.GROUP_PROBABILITIES, Layers.groupMeanProbabilities(dg, logits, 2));
        dg.identity(GanModel.LOSS, Layers.groupLogisticLosses(dg, logits, labelSmoothing, 0.0).sum());
    }

    /**
     * One discriminator update with the generator fixed. Each placeholder is fed its groups stacked in one batch
     * (one pass through D for real and fake); then spectral norm advances, the discriminator steps, and the update
     * records {@code losses} (in order), then the mean D on the first (real) group as {@value GanModel#D_REAL} and
     * on the last (G(z)) group as {@value GanModel#D_FAKE}.
     *
     * @param p      players
     * @param groups per data placeholder, its groups in stacking order (the caller keeps owning them)
     * @param losses the loss figures to record
     * @param n      batch size (the figures' weight)
     * @param stats  this epoch's figures
     */
    static void discriminatorUpdate(Players p, Map<String, List<INDArray>> groups, List<Figure> losses, int n,
                                    EpochStats stats) {
        Map<String, INDArray> stacked = new HashMap<>();
        Map<String, INDArray> out = null;
        try {
            groups.forEach((name, parts) -> stacked.put(name, Nd4j.concat(0, parts.toArray(INDArray[]::new))));
            p.iterateSpectralNorm();
            String[] wanted = new String[losses.size() + 1];
            for (int i = 0; i < losses.size(); i++) {
                wanted[i] = losses.get(i).variable();
            }
            wanted[losses.size()] = GanModel.GROUP_PROBABILITIES;
            out = p.discriminator().step(p.discriminatorFeeds(stacked), wanted);
            record(out, losses, n, stats);
            INDArray means = out.get(GanModel.GROUP_PROBABILITIES);
            stats.add(GanModel.D_REAL, means.getDouble(0), n);
            stats.add(GanModel.D_FAKE, means.getDouble(means.length() - 1), n);
        } finally {
            GraphMemory.closeAll(out);
            GraphMemory.closeAll(stacked);
        }
    }

    /**
     * One generator (and encoder) update with the discriminator fixed; records {@code figures} in order.
     *
     * @param p       players
     * @param data    the generator's data placeholders
     * @param figures the figures to record, {@value GanModel#GENERATOR_LOSS} first
     * @param n       batch size (the figures' weight)
     * @param stats   this epoch's figures
     */
    static void generatorUpdate(Players p, Map<String, INDArray> data, List<Figure> figures, int n, EpochStats stats) {
        String[] wanted = figures.stream().map(Figure::variable).toArray(String[]::new);
        Map<String, INDArray> out = p.generator().step(p.generatorFeeds(data), wanted);
        try {
            record(out, figures, n, stats);
        } finally {
            GraphMemory.closeAll(out);
        }
    }

    private static void record(Map<String, INDArray> out, List<Figure> figures, int n, EpochStats stats) {
        for (Figure f : figures) {
            stats.add(f.name(), out.get(f.variable()).getDouble(0), n);
        }
    }
}
