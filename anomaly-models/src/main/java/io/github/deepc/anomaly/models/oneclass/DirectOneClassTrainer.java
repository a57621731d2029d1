package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork;
import io.github.deepc.anomaly.models.conv.DirectFeatureNetwork.FeatureLoss;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a one-class network on the direct engine ({@link DirectFeatureNetwork} over the network's store, updated in
 * place) with exactly the batches {@code SameDiff.fit} gets from {@link OneClassBatches} for the same seeds: each
 * epoch visits the normals in a fresh seeded Fisher-Yates order (the first drawn before any reference order); with a
 * reference set, every batch of {@code n} normals is followed by the next {@code n} reference images of a seeded order
 * that is reshuffled whenever it runs out, independently of the epochs.
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
     * @return the finished training's progress (the loss per epoch is the mean over normal images of the batch
     *         losses)
     */
    static EpochLossListener train(FeatureNetwork network, List<GrayImage> normals, int batchSize, SplittableRandom rng,
                                   ReferenceSet reference, SplittableRandom referenceRng, BatchLoss loss,
                                   double learningRate, double weightDecay, int epochs, ProgressListener listener) {
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
            for (int epoch = 0; epoch < epochs; epoch++) {
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
            }
        }
        network.parametersChanged();
        return progress;
    }
}
