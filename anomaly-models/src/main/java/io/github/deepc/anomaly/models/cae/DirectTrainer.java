package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an autoencoder with the {@link DirectAutoencoder} engine instead of {@code SameDiff.fit}: the engine
 * computes on the parameter store's arrays and Adam updates them in place, so the store holds the trained weights
 * when this returns, with no copies. Each epoch visits the images in a fresh seeded Fisher-Yates order; progress,
 * validation and early stopping work as with the SameDiff path.
 */
final class DirectTrainer {
    private DirectTrainer() {
    }

    /**
     * @param net      the engine over the initialised store; trains it in place
     * @param spec     its network
     * @param images   training images, all {@code height x width}
     * @param height   image height
     * @param width    image width
     * @param training training options
     * @param rng      shuffling randomness
     * @param noiseRng the VAE's noise, drawn per batch in batch order as {@link ShuffledImageIterator} does
     * @param monitor  validation after each epoch, or {@code null}
     * @param listener where epoch reports go
     * @return the finished progress (epochs, losses, time)
     */
    static EpochLossListener train(DirectAutoencoder net, AutoencoderSpec spec, List<GrayImage> images, int height,
                                   int width, TrainingOptions training, SplittableRandom rng,
                                   SplittableRandom noiseRng, ValidationMonitor monitor, ProgressListener listener) {
        int batch = Math.min(training.batchSize(), images.size());
        EpochLossListener progress = new EpochLossListener(listener, training.epochs(), monitor,
                Double.POSITIVE_INFINITY);
        int[] order = new int[images.size()];
        float[] pixels = new float[batch * height * width];
        float[] masks = new float[pixels.length];
        float[] noise = new float[spec.variational() ? batch * spec.latent() : 0];
        boolean stop = false;
        for (int epoch = 0; epoch < training.epochs() && !stop; epoch++) {
            ShuffledBatches.shuffle(order, rng);
            progress.beginEpoch();
            for (int start = 0; start < order.length; start += batch) {
                int n = Math.min(batch, order.length - start);
                ImageArrays.copyPixels(images, order, start, n, pixels);
                ImageArrays.copyMasks(images, order, start, n, masks);
                for (int i = 0; i < noise.length && i < n * spec.latent(); i++) {
                    noise[i] = (float) noiseRng.nextGaussian();
                }
                progress.batchDone(net.trainStep(pixels, masks, noise, n, training.learningRate()), n);
            }
            stop = progress.endEpoch();
        }
        return progress;
    }
}
