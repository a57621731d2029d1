package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.models.conv.DirectLocalizer;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EngineCheckpoint;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link DirectLocalizer} on the normals with synthetic defects: each epoch visits the images in a fresh
 * seeded Fisher-Yates order, and each image, in that order, is shown with a defect with probability
 * {@code defect-probability} (the draw, the donor for foreign patches and the defect itself all come from one seeded
 * stream), clean otherwise.
 *
 * <p>With checkpoints, the state after every epoch is saved (weights, Adam's moments and step count, progress counts),
 * and a resumed run reads it back and replays the finished epochs' shuffles and defect draws without training
 * ({@link SplittableRandom} does not expose its state, and how many values a defect draws depends on the image), so
 * that both streams stand where an uninterrupted run's would and the resumed run computes exactly what it would have.
 * Replaying generates the finished epochs' defects again: a small share of their training time.
 */
final class LocalizerTrainer {
    private final LocalizerOptions options;
    private final DefectGenerator generator;
    private final List<GrayImage> normals;
    private final SplittableRandom shuffle;
    private final SplittableRandom defects;

    /**
     * @param options the settings
     * @param normals training images, all of one size with sides that are multiples of the grid cell
     * @param shuffle the images' order randomness
     * @param defects the defect draws' randomness
     */
    LocalizerTrainer(LocalizerOptions options, List<GrayImage> normals, SplittableRandom shuffle,
                     SplittableRandom defects) {
        this.options = options;
        this.generator = options.generator();
        this.normals = normals;
        this.shuffle = shuffle;
        this.defects = defects;
    }

    /**
     * @param net         the engine over the initialised store; trains it in place
     * @param store       the store it trains
     * @param progress    where epoch reports go
     * @param checkpoints where per-epoch checkpoints go ({@link Checkpointing#NONE} for nowhere)
     * @param key         the run's key ({@link EpochCheckpoints#key}); unused without checkpoints
     * @throws java.io.UncheckedIOException when a checkpoint cannot be written, or is corrupt or from another run
     */
    void train(DirectLocalizer net, ParameterStore store, EpochLossListener progress, Checkpointing checkpoints,
               String key) {
        int w = normals.get(0).width();
        int h = normals.get(0).height();
        int px = w * h;
        int cell = 1 << options.depth();
        int gw = net.gridWidth();
        int gh = net.gridHeight();
        int batch = Math.min(options.batchSize(), normals.size());
        int[] order = new int[normals.size()];
        float[] pixels = new float[batch * px];
        float[] targets = new float[batch * gw * gh];
        EpochCheckpoints saved = new EpochCheckpoints(checkpoints, key, EngineCheckpoint.state(progress, store, net.optimizer()));
        int done = saved.resume();
        if (done > options.epochs()) {
            throw new IllegalStateException("the checkpoint has " + done + " epochs but training has only "
                    + options.epochs());
        }
        if (done > 0) {
            net.parametersChanged();
            for (int epoch = 0; epoch < done; epoch++) {
                // put the random streams where the finished epochs left them
                ShuffledBatches.shuffle(order, shuffle);
                for (int index : order) {
                    drawDefect(index);
                }
            }
        }
        for (int epoch = done; epoch < options.epochs(); epoch++) {
            ShuffledBatches.shuffle(order, shuffle);
            progress.beginEpoch();
            for (int start = 0; start < order.length; start += batch) {
                int n = Math.min(batch, order.length - start);
                for (int b = 0; b < n; b++) {
                    int index = order[start + b];
                    GrayImage image = normals.get(index);
                    float[] values = image.unsafePixels();
                    Arrays.fill(targets, b * gw * gh, (b + 1) * gw * gh, 0f);
                    Defect d = drawDefect(index);
                    if (d != null) {
                        values = d.image().unsafePixels();
                        Grids.coverage(d.mask(), w, h, cell, targets, b * gw * gh);
                    }
                    DefectLocalizerModel.standardise(values, image.unsafeMask(), pixels, b * px);
                }
                progress.batchDone(net.trainStep(pixels, targets, options.positiveWeight(), n,
                        options.learningRate()), n);
            }
            progress.endEpoch();
            if (saved.enabled()) {
                saved.save(epoch + 1);
            }
        }
    }

    /**
     * Makes the next image's draws: whether it gets a defect and, if so, the donor and the defect.
     *
     * @param index the image's index
     * @return its defect, or {@code null} when it is shown clean
     */
    private Defect drawDefect(int index) {
        if (defects.nextDouble() >= options.defectProbability()) {
            return null;
        }
        GrayImage donor = normals.size() < 2 ? null : normals.get(otherIndex(index, normals.size(), defects));
        return generator.generate(normals.get(index), donor, defects);
    }

    private static int otherIndex(int index, int count, SplittableRandom rng) {
        int j = rng.nextInt(count - 1);
        return j >= index ? j + 1 : j;
    }
}
