package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Mini-batches for {@code SameDiff.fit}. An epoch visits the training images once, in a fresh seeded Fisher-Yates
 * order at construction and at every {@link #reset()}; the last batch may be smaller. Without a reference set a
 * batch is features {@code {images}} and labels {@code {masks}} ({@code [n, 1, H, W]} float32). With one, every
 * batch also carries as many reference images, taken in a seeded shuffled order that cycles through the reference
 * set independently of the epochs: features {@code {images, referenceImages}}, labels
 * {@code {masks, referenceMasks, referenceOneHot}}. Seeds fix the whole sequence of batches.
 */
final class OneClassBatches implements MultiDataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient List<GrayImage> images;
    private final int batchSize;
    private final int height;
    private final int width;
    private final transient SplittableRandom rng;
    private final int[] order;
    private int cursor;
    private final transient ReferenceSet reference;
    private final transient SplittableRandom referenceRng;
    private final int[] referenceOrder;
    private int referenceCursor;
    private transient MultiDataSetPreProcessor preProcessor;

    /**
     * @param images       training images, all {@code height x width}
     * @param batchSize    mini-batch size
     * @param height       image height
     * @param width        image width
     * @param rng          shuffling randomness (owned from now on)
     * @param reference    reference images of the same size, or {@code null}
     * @param referenceRng reference shuffling randomness (owned from now on), or {@code null} without a reference set
     */
    OneClassBatches(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng,
                    ReferenceSet reference, SplittableRandom referenceRng) {
        this.images = images;
        this.batchSize = batchSize;
        this.height = height;
        this.width = width;
        this.rng = rng;
        this.order = new int[images.size()];
        this.reference = reference;
        this.referenceRng = referenceRng;
        this.referenceOrder = reference == null ? new int[0] : new int[reference.size()];
        shuffle(order, rng);
        cursor = 0;
        if (reference != null) {
            shuffle(referenceOrder, referenceRng);
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
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
        INDArray x = ImageArrays.pixels(images, order, cursor, n, height, width);
        INDArray m = ImageArrays.masks(images, order, cursor, n, height, width);
        cursor += n;
        MultiDataSet ds;
        if (reference == null) {
            ds = new MultiDataSet(new INDArray[] {x}, new INDArray[] {m});
        } else {
            int[] pick = new int[n];
            for (int b = 0; b < n; b++) {
                if (referenceCursor == referenceOrder.length) {
                    shuffle(referenceOrder, referenceRng);
                    referenceCursor = 0;
                }
                pick[b] = referenceOrder[referenceCursor++];
            }
            INDArray rx = ImageArrays.pixels(reference.images(), pick, 0, n, height, width);
            INDArray rm = ImageArrays.masks(reference.images(), pick, 0, n, height, width);
            INDArray ry = ImageArrays.oneHot(reference.labels(), pick, 0, n, reference.classCount());
            ds = new MultiDataSet(new INDArray[] {x, rx}, new INDArray[] {m, rm, ry});
        }
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
