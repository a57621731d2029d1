package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of images for {@code SameDiff.fit}: features are the images, labels the valid-pixel masks (1/0),
 * both {@code [batch, 1, H, W]} float32. The order is a fresh Fisher-Yates permutation at construction and at every
 * {@link #reset()}, drawn from a seeded {@link SplittableRandom}, so a seed fixes the whole sequence of batches.
 * The last batch of an epoch may be smaller (like PyTorch's default {@code drop_last=False}).
 *
 * <p>With a noise size above 0 every batch carries a second feature array, {@code [batch, noiseSize]} standard normal
 * values drawn from their own seeded generator in batch order (the VAE's reparameterisation noise): SameDiff 1.0.0-M2.1
 * maps the feature arrays of a {@code MultiDataSet} to placeholders in order ({@code dataSetFeatureMapping}), so the
 * noise reaches the graph without a random op whose seed would depend on ND4J's global generator.
 */
final class ShuffledImageIterator implements MultiDataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient List<GrayImage> images;
    private final int batchSize;
    private final int height;
    private final int width;
    private final transient SplittableRandom rng;
    private final int noiseSize;
    private final transient SplittableRandom noiseRng;
    private final int[] order;
    private int cursor;
    private transient MultiDataSetPreProcessor preProcessor;

    /**
     * @param images    the images, all {@code height x width}
     * @param batchSize mini-batch size
     * @param height    image height
     * @param width     image width
     * @param rng       shuffling randomness (owned by the iterator from now on)
     */
    ShuffledImageIterator(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng) {
        this(images, batchSize, height, width, rng, 0, null);
    }

    /**
     * @param images    the images, all {@code height x width}
     * @param batchSize mini-batch size
     * @param height    image height
     * @param width     image width
     * @param rng       shuffling randomness (owned by the iterator from now on)
     * @param noiseSize values of standard normal noise per image in a second feature array, or 0 for none
     * @param noiseRng  noise randomness (owned by the iterator from now on); unused when {@code noiseSize} is 0
     */
    ShuffledImageIterator(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng,
                          int noiseSize, SplittableRandom noiseRng) {
        if (noiseSize > 0 && noiseRng == null) {
            throw new IllegalArgumentException("noise needs a random generator");
        }
        this.images = images;
        this.noiseSize = noiseSize;
        this.noiseRng = noiseRng;
        this.batchSize = batchSize;
        this.height = height;
        this.width = width;
        this.rng = rng;
        this.order = new int[images.size()];
        shuffle();
    }

    private void shuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public org.nd4j.linalg.dataset.api.MultiDataSet next() {
        return next(batchSize);
    }

    @Override
    public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = Math.min(num, order.length - cursor);
        INDArray f = ImageBatches.pixels(images, order, cursor, n, height, width);
        INDArray l = ImageBatches.masks(images, order, cursor, n, height, width);
        cursor += n;
        INDArray[] features = noiseSize == 0 ? new INDArray[] {f} : new INDArray[] {f, noise(n)};
        MultiDataSet ds = new MultiDataSet(features, new INDArray[] {l});
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    private INDArray noise(int n) {
        float[] eps = new float[n * noiseSize];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) noiseRng.nextGaussian();
        }
        return Nd4j.create(eps, new long[] {n, noiseSize}, DataType.FLOAT);
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        shuffle();
    }
}
