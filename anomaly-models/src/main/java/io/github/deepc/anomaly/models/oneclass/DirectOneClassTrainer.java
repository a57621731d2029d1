package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork.FeatureLoss;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EngineCheckpoint;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import io.github.deepc.anomaly.models.state.StateFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a one-class network on the direct engine ({@link DirectFeatureNetwork} over the network's store, updated in
 * place) with exactly the batches {@code SameDiff.fit} gets from {@link OneClassBatches} for the same seeds: each
 * epoch visits the normals in a fresh seeded Fisher-Yates order (the first drawn before any reference order); with a
 * reference set, every batch of {@code n} normals is followed by the next {@code n} reference images of a seeded order
 * that is reshuffled whenever it runs out, independently of the epochs.
 *
 * <p>With checkpoints, the state after every epoch is saved (weights, Adam's moments and step count, the centre the
 * loss uses, progress counts), and a resumed run reads it back and replays the finished epochs' shuffles and
 * reference draws without training ({@link SplittableRandom} does not expose its state; replaying costs microseconds
 * per epoch), so that it computes exactly what an uninterrupted run would have.
 */
final class DirectOneClassTrainer {
    /** The loss of one batch. */
    @FunctionalInterface
    interface BatchLoss {
        /**
         * @param normals the batch's normal images (first in the batch)
         * @param labels  the classes of the reference images after them (empty without a reference set)
         * @return the batch's loss
         */
        FeatureLoss of(int normals, int[] labels);
    }

    private DirectOneClassTrainer() {
    }

    /**
     * @param network      the network; its store is trained in place
     * @param normals      training images, all of the network's size
     * @param batchSize    normal images per batch
     * @param rng          the normals' shuffling randomness
     * @param reference    the reference set, or {@code null}
     * @param referenceRng the reference order's randomness, or {@code null} without a reference set
     * @param loss         the loss per batch
     * @param learningRate Adam's learning rate
     * @param weightDecay  L2 weight decay
     * @param epochs       epochs
     * @param listener     where epoch reports go
     * @param centre       the centre the loss reads (Deep SVDD's, fixed before training), saved in checkpoints and
     *                     refilled in place on resume; {@code null} when the loss has none
     * @param checkpoints  where per-epoch checkpoints go ({@link Checkpointing#NONE} for nowhere)
     * @param key          the run's key ({@link EpochCheckpoints#key}); unused without checkpoints
     * @return the finished training's progress (the loss per epoch is the mean over normal images of the batch
     *         losses)
     */
    static EpochLossListener train(FeatureNetwork network, List<GrayImage> normals, int batchSize, SplittableRandom rng,
                                   ReferenceSet reference, SplittableRandom referenceRng, BatchLoss loss,
                                   double learningRate, double weightDecay, int epochs, ProgressListener listener,
                                   float[] centre, Checkpointing checkpoints, String key) {
        int h = network.height();
        int w = network.width();
        int px = h * w;
        int batch = Math.min(batchSize, normals.size());
        int perBatch = reference == null ? batch : 2 * batch;
        int[] order = new int[normals.size()];
        int[] referenceOrder = reference == null ? new int[0] : new int[reference.size()];
        ShuffledBatches.shuffle(order, rng);
        if (reference != null) {
            ShuffledBatches.shuffle(referenceOrder, referenceRng);
        }
        int referenceCursor = 0;
        float[] pixels = new float[perBatch * px];
        float[] masks = new float[perBatch * px];
        int[] pick = new int[batch];
        EpochLossListener progress = new EpochLossListener(listener, epochs, null, 0.0);
        try (DirectFeatureNetwork engine = new DirectFeatureNetwork(BiasFreeEncoder.stages(), network.repDim(),
                network.classes(), h, w, perBatch, true, network.engineParameters())) {
            EpochCheckpoints saved = new EpochCheckpoints(checkpoints, key,
                    new TrainingState(engine, network.store(), centre, progress));
            int done = saved.resume();
            if (done > epochs) {
                throw new IllegalStateException("the checkpoint has " + done + " epochs but training has only "
                        + epochs);
            }
            if (done > 0) {
                engine.parametersChanged();
                for (int epoch = 0; epoch < done; epoch++) {
                    // put the random streams where the finished epochs left them
                    if (epoch > 0) {
                        ShuffledBatches.shuffle(order, rng);
                    }
                    for (int start = 0; start < order.length && reference != null; start += batch) {
                        for (int b = 0, n = Math.min(batch, order.length - start); b < n; b++) {
                            if (referenceCursor == referenceOrder.length) {
                                ShuffledBatches.shuffle(referenceOrder, referenceRng);
                                referenceCursor = 0;
                            }
                            referenceCursor++;
                        }
                    }
                }
            }
            for (int epoch = done; epoch < epochs; epoch++) {
                if (epoch > 0) {
                    ShuffledBatches.shuffle(order, rng);
                }
                progress.beginEpoch();
                for (int start = 0; start < order.length; start += batch) {
                    int n = Math.min(batch, order.length - start);
                    ImageArrays.copyPixels(normals, order, start, n, pixels);
                    ImageArrays.copyMasks(normals, order, start, n, masks);
                    int[] labels = new int[reference == null ? 0 : n];
                    if (reference != null) {
                        for (int b = 0; b < n; b++) {
                            if (referenceCursor == referenceOrder.length) {
                                ShuffledBatches.shuffle(referenceOrder, referenceRng);
                                referenceCursor = 0;
                            }
                            pick[b] = referenceOrder[referenceCursor++];
                            labels[b] = reference.labels()[pick[b]];
                        }
                        float[] refPixels = new float[n * px];
                        float[] refMasks = new float[n * px];
                        ImageArrays.copyPixels(reference.images(), pick, 0, n, refPixels);
                        ImageArrays.copyMasks(reference.images(), pick, 0, n, refMasks);
                        System.arraycopy(refPixels, 0, pixels, n * px, n * px);
                        System.arraycopy(refMasks, 0, masks, n * px, n * px);
                    }
                    double value = engine.trainStep(pixels, masks, n + labels.length, loss.of(n, labels),
                            learningRate, weightDecay);
                    progress.batchDone(value, n);
                }
                progress.endEpoch();
                if (saved.enabled()) {
                    saved.save(epoch + 1);
                }
            }
        }
        network.parametersChanged();
        return progress;
    }

    /** What a checkpoint of the one-class trainer holds. */
    private static final class TrainingState implements EpochCheckpoints.State {
        private final DirectFeatureNetwork engine;
        private final ParameterStore store;
        private final float[] centre;
        private final EpochLossListener progress;

        TrainingState(DirectFeatureNetwork engine, ParameterStore store, float[] centre, EpochLossListener progress) {
            this.engine = engine;
            this.store = store;
            this.centre = centre;
            this.progress = progress;
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            EngineCheckpoint.write(out, progress, store, engine.optimizer());
            out.writeInt(centre == null ? -1 : centre.length);
            if (centre != null) {
                StateFormat.writeFloats(out, centre);
            }
        }

        @Override
        public void read(DataInputStream in) throws IOException {
            EngineCheckpoint.Progress resumed = EngineCheckpoint.read(in, store, engine.optimizer());
            int centreLength = in.readInt();
            if (centreLength != (centre == null ? -1 : centre.length)) {
                throw new IOException("corrupt checkpoint: a centre of " + centreLength + " features, expected "
                        + (centre == null ? "none" : centre.length));
            }
            if (centre != null) {
                // the centre was fixed from the initial network before the first epoch: keep the saved one
                System.arraycopy(StateFormat.readFloats(in, centre.length, "centre", "checkpoint"), 0, centre, 0,
                        centre.length);
            }
            resumed.applyTo(progress);
        }
    }
}
