package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.EpochLossListener;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * After each epoch, computes the training loss on held-out images (in batches, without updating anything, on the
 * backend that trains) and reports it as {@value TrainingOptions#VALIDATION_LOSS}; with a patience it stops training
 * when the loss has not improved for that many epochs and keeps a copy of the best epoch's weights (a snapshot of the
 * parameter store) for {@link #restoreBest()}. The VAE's noise is drawn once per held-out image, so that the
 * validation loss depends on the weights only.
 */
final class ValidationMonitor implements EpochLossListener.EpochEnd {
    private final AutoencoderBackend backend;
    private final ParameterStore store;
    private final AutoencoderSpec spec;
    private final List<GrayImage> images;
    private final int height;
    private final int width;
    private final float[] noise;
    private final EarlyStopping stopping;
    private final boolean keepBest;
    private float[][] best;

    /**
     * @param backend  the backend being trained
     * @param store    the weights it trains
     * @param spec     its network
     * @param images   held-out images, at least one
     * @param height   image height
     * @param width    image width
     * @param patience epochs without improvement before stopping, 0 for never
     * @param noiseRng source of the VAE's fixed validation noise
     */
    ValidationMonitor(AutoencoderBackend backend, ParameterStore store, AutoencoderSpec spec, List<GrayImage> images,
                      int height, int width, int patience, SplittableRandom noiseRng) {
        this.backend = backend;
        this.store = store;
        this.spec = spec;
        this.images = images;
        this.height = height;
        this.width = width;
        this.stopping = new EarlyStopping(patience);
        this.keepBest = patience > 0;
        if (spec.variational()) {
            noise = new float[images.size() * spec.latent()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) noiseRng.nextGaussian();
            }
        } else {
            noise = null;
        }
    }

    @Override
    public boolean afterEpoch(int epoch, Map<String, Double> extra) {
        double loss = loss();
        extra.put(TrainingOptions.VALIDATION_LOSS, loss);
        if (stopping.update(loss) && keepBest) {
            backend.syncToStore();
            best = store.snapshot();
        }
        return stopping.shouldStop();
    }

    /** @return the mean loss over the held-out images */
    double loss() {
        int batch = Math.min(ConvAutoencoder.INFER_BATCH, backend.maxImages());
        int px = height * width;
        float[] pixels = new float[batch * px];
        float[] masks = new float[batch * px];
        int k = spec.latent();
        float[] eps = new float[noise == null ? 0 : batch * k];
        double sum = 0;
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            ImageArrays.copyPixels(images, null, start, n, pixels);
            ImageArrays.copyMasks(images, null, start, n, masks);
            if (noise != null) {
                System.arraycopy(noise, start * k, eps, 0, n * k);
            }
            sum += backend.loss(pixels, masks, eps, n) * n; // the loss is a batch mean
        }
        return sum / images.size();
    }

    /**
     * Puts the best epoch's weights back into the store when early stopping kept them and it was not the last epoch.
     *
     * @return whether weights were restored
     */
    boolean restoreBest() {
        if (best == null || stopping.bestEpoch() == stopping.epochs()) {
            return false;
        }
        store.restore(best);
        return true;
    }

    /**
     * Writes the early-stopping state and the best weights kept so far, for a checkpoint.
     *
     * @param out where to write
     * @throws java.io.IOException when writing fails
     */
    void write(java.io.DataOutputStream out) throws java.io.IOException {
        stopping.write(out);
        out.writeBoolean(best != null);
        if (best != null) {
            for (float[] values : best) {
                io.github.deepc.anomaly.models.state.StateFormat.writeFloats(out, values);
            }
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in where to read
     * @throws java.io.IOException when it does not fit the store
     */
    void read(java.io.DataInputStream in) throws java.io.IOException {
        stopping.read(in);
        if (in.readBoolean()) {
            float[][] now = store.snapshot();
            for (int i = 0; i < now.length; i++) {
                now[i] = io.github.deepc.anomaly.models.state.StateFormat.readFloats(in, now[i].length,
                        "best weights " + i, "checkpoint");
            }
            best = now;
        } else {
            best = null;
        }
    }

    /** @return the early-stopping state */
    EarlyStopping stopping() {
        return stopping;
    }
}
