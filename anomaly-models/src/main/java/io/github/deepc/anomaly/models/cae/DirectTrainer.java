package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Trains an autoencoder with the {@link DirectAutoencoder} engine instead of {@code SameDiff.fit}: the graph
 * supplies the initial weights and receives the trained ones (so inference, saving and validation use it as
 * before). Each epoch visits the images in a fresh seeded Fisher-Yates order; progress, validation and early stopping
 * work as with the SameDiff path (the engine's weights are copied into the graph before each validation).
 */
final class DirectTrainer {
    private DirectTrainer() {
    }

    /**
     * @param graph    the initialised graph; receives the trained weights
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
    static EpochLossListener train(SameDiff graph, CaeGraph.Spec spec, List<GrayImage> images, int height, int width,
                                   TrainingOptions training, SplittableRandom rng, SplittableRandom noiseRng,
                                   ValidationMonitor monitor, ProgressListener listener) {
        int batch = Math.min(training.batchSize(), images.size());
        try (DirectAutoencoder net = DirectEngine.create(spec, height, width, batch, true)) {
            DirectEngine.copyToEngine(graph, spec, net, height, width);
            EpochLossListener progress = new EpochLossListener(listener, training.epochs(), monitor == null ? null
                    : (epoch, extra) -> {
                        DirectEngine.copyToGraph(net, spec, graph, height, width);
                        return monitor.afterEpoch(epoch, extra);
                    }, Double.POSITIVE_INFINITY);
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
            DirectEngine.copyToGraph(net, spec, graph, height, width);
            return progress;
        }
    }
}
