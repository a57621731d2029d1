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
 */
final class ShuffledImageIterator implements MultiDataSetIterator {
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
    ShuffledImageIterator(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng) {
        this.images = images;
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
        int px = height * width;
        float[] feat = new float[n * px];
        float[] mask = new float[n * px];
        for (int b = 0; b < n; b++) {
            GrayImage img = images.get(order[cursor + b]);
            System.arraycopy(img.unsafePixels(), 0, feat, b * px, px);
            boolean[] m = img.unsafeMask();
            int off = b * px;
            for (int i = 0; i < px; i++) {
                mask[off + i] = m[i] ? 1f : 0f;
            }
        }
        cursor += n;
        long[] shape = {n, 1, height, width};
        INDArray f = Nd4j.create(feat, shape, DataType.FLOAT);
        INDArray l = Nd4j.create(mask, shape, DataType.FLOAT);
        MultiDataSet ds = new MultiDataSet(new INDArray[] {f}, new INDArray[] {l});
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
        shuffle();
    }
}
