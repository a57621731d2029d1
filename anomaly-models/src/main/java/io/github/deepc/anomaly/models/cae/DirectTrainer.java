package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.Checkpointing;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EngineCheckpoint;
import io.github.deepc.anomaly.models.samediff.EpochCheckpoints;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an autoencoder with the {@link DirectAutoencoder} engine instead of {@code SameDiff.fit}: the engine
 * computes on the parameter store's arrays and Adam updates them in place, so the store holds the trained weights
 * when this returns, with no copies. Each epoch visits the images in a fresh seeded Fisher-Yates order; progress,
 * validation and early stopping work as with the SameDiff path.
 *
 * <p>With checkpoints, the state after every epoch is saved (weights, Adam's moments and step count, early-stopping
 * bookkeeping and best weights, progress counts), and a resumed run reads it back and replays the finished epochs'
 * shuffles and noise draws without training, so that its random streams stand where an uninterrupted run's would
 * ({@link SplittableRandom} does not expose its state; replaying costs microseconds per epoch). The resumed run then
 * computes exactly what the uninterrupted one would have.
 */
final class DirectTrainer {
    private DirectTrainer() {
    }

    /**
     * @param net         the engine over the initialised store; trains it in place
     * @param store       the store it trains
     * @param spec        its network
     * @param images      training images, all {@code height x width}
     * @param height      image height
     * @param width       image width
     * @param training    training options
     * @param rng         shuffling randomness
     * @param noiseRng    the VAE's noise, drawn per batch in batch order as {@link ShuffledImageIterator} does
     * @param monitor     validation after each epoch, or {@code null}
     * @param listener    where epoch reports go
     * @param checkpoints where per-epoch checkpoints go ({@link Checkpointing#NONE} for nowhere)
     * @param key         the run's key ({@link EpochCheckpoints#key}); unused without checkpoints
     * @return the finished progress (epochs, losses, time)
     */
    static EpochLossListener train(DirectAutoencoder net, ParameterStore store, AutoencoderSpec spec,
                                   List<GrayImage> images, int height, int width, TrainingOptions training,
                                   SplittableRandom rng, SplittableRandom noiseRng, ValidationMonitor monitor,
                                   ProgressListener listener, Checkpointing checkpoints, String key) {
        int batch = Math.min(training.batchSize(), images.size());
        EpochLossListener progress = new EpochLossListener(listener, training.epochs(), monitor,
                Double.POSITIVE_INFINITY);
        int[] order = new int[images.size()];
        float[] pixels = new float[batch * height * width];
        float[] masks = new float[pixels.length];
        float[] noise = new float[spec.variational() ? batch * spec.latent() : 0];
        EpochCheckpoints saved = new EpochCheckpoints(checkpoints, key, new TrainingState(net, store, progress,
                monitor));
        int done = saved.resume();
        if (done > training.epochs()) {
            throw new IllegalStateException("the checkpoint has " + done + " epochs but training has only "
                    + training.epochs());
        }
        if (done > 0) {
            net.parametersChanged();
            for (int epoch = 0; epoch < done; epoch++) {
                // put the random streams where the finished epochs left them
                ShuffledBatches.shuffle(order, rng);
                for (int start = 0; start < order.length; start += batch) {
                    drawNoise(noise, Math.min(batch, order.length - start) * spec.latent(), noiseRng);
                }
            }
        }
        boolean stop = monitor != null && monitor.stopping().shouldStop();
        for (int epoch = done; epoch < training.epochs() && !stop; epoch++) {
            ShuffledBatches.shuffle(order, rng);
            progress.beginEpoch();
            for (int start = 0; start < order.length; start += batch) {
                int n = Math.min(batch, order.length - start);
                ImageArrays.copyPixels(images, order, start, n, pixels);
                ImageArrays.copyMasks(images, order, start, n, masks);
                drawNoise(noise, n * spec.latent(), noiseRng);
                progress.batchDone(net.trainStep(pixels, masks, noise, n, training.learningRate()), n);
            }
            stop = progress.endEpoch();
            if (saved.enabled()) {
                saved.save(epoch + 1);
            }
        }
        return progress;
    }

    /** Fills the first {@code min(noise.length, count)} values with standard normal draws. */
    private static void drawNoise(float[] noise, int count, SplittableRandom noiseRng) {
        for (int i = 0; i < noise.length && i < count; i++) {
            noise[i] = (float) noiseRng.nextGaussian();
        }
    }

    /** What a checkpoint of the direct trainer holds. */
    private static final class TrainingState implements EpochCheckpoints.State {
        private final DirectAutoencoder net;
        private final ParameterStore store;
        private final EpochLossListener progress;
        private final ValidationMonitor monitor;

        TrainingState(DirectAutoencoder net, ParameterStore store, EpochLossListener progress,
                      ValidationMonitor monitor) {
            this.net = net;
            this.store = store;
            this.progress = progress;
            this.monitor = monitor;
        }

        @Override
        public void write(DataOutputStream out) throws IOException {
            EngineCheckpoint.write(out, progress, store, net.optimizer());
            out.writeBoolean(monitor != null);
            if (monitor != null) {
                monitor.write(out);
            }
        }

        @Override
        public void read(DataInputStream in) throws IOException {
            EngineCheckpoint.Progress resumed = EngineCheckpoint.read(in, store, net.optimizer());
            boolean validated = in.readBoolean();
            if (validated != (monitor != null)) {
                throw new IOException("corrupt checkpoint: it was " + (validated ? "" : "not ") + "validated, this "
                        + "training is " + (monitor != null ? "" : "not"));
            }
            if (monitor != null) {
                monitor.read(in);
            }
            resumed.applyTo(progress);
        }
    }
}
