package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time). Mini-batches of images for {@code SameDiff.fit}: an epoch visits the images once, in a
 * fresh Fisher-Yates order at construction and at every {@link #reset()}, drawn from a seeded
 * {@link SplittableRandom}, so a seed fixes the whole sequence of batches; the last batch may be smaller (like
 * PyTorch's default {@code drop_last=False}). Each batch's pixels and valid-pixel masks ({@code [n, 1, H, W]}
 * float32) are handed to {@link #assemble}, which builds the data set (possibly adding further arrays).
 */
public abstract class ShuffledBatches implements MultiDataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient List<GrayImage> images;
    private final int batchSize;
    private final int height;
    private final int width;
    private final transient SplittableRandom rng;
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
    protected ShuffledBatches(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng) {
        this.images = images;
        this.batchSize = batchSize;
        this.height = height;
        this.width = width;
        this.rng = rng;
        this.order = new int[images.size()];
        shuffle(order, rng);
        cursor = 0;
    }

    /**
     * Fills {@code a} with a Fisher-Yates permutation of {@code 0 .. a.length - 1}.
     *
     * @param a   the array to fill
     * @param rng randomness
     */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Builds one batch's data set.
     *
     * @param pixels the batch's images
     * @param masks  their valid-pixel masks
     * @param n      batch size
     * @return the data set
     */
    protected abstract MultiDataSet assemble(INDArray pixels, INDArray masks, int n);

    /** @return image height */
    protected final int height() {
        return height;
    }

    /** @return image width */
    protected final int width() {
        return width;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public MultiDataSet next() {
        return next(batchSize);
    }

    @Override
    public MultiDataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = Math.min(num, order.length - cursor);
        INDArray x = ImageArrays.pixels(images, order, cursor, n, height, width);
        INDArray m = ImageArrays.masks(images, order, cursor, n, height, width);
        cursor += n;
        MultiDataSet ds = assemble(x, m, n);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
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
        shuffle(order, rng);
        cursor = 0;
    }
}
