package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of training images: a fresh Fisher-Yates permutation per epoch from a seeded {@link SplittableRandom},
 * cut into batches of the configured size (the last one may be smaller), and the tensors for a batch.
 */
final class ImageBatches {
    private final int count;
    private final int batchSize;
    private final SplittableRandom rng;

    /**
     * @param count     number of images
     * @param batchSize mini-batch size
     * @param rng       shuffling randomness (owned from now on)
     */
    ImageBatches(int count, int batchSize, SplittableRandom rng) {
        this.count = count;
        this.batchSize = batchSize;
        this.rng = rng;
    }

    /** @return the image indices of the next epoch's batches */
    List<int[]> nextEpoch() {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < count; from += batchSize) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(count, from + batchSize)));
        }
        return batches;
    }

    /**
     * @param images the images, all {@code height x width}
     * @param index  which ones, in order
     * @param height image height
     * @param width  image width
     * @return their pixels, {@code [n, 1, height, width]} float32
     */
    static INDArray pixels(List<GrayImage> images, int[] index, int height, int width) {
        int px = height * width;
        float[] buf = new float[index.length * px];
        for (int b = 0; b < index.length; b++) {
            System.arraycopy(images.get(index[b]).unsafePixels(), 0, buf, b * px, px);
        }
        return Nd4j.create(buf, new long[] {index.length, 1, height, width}, DataType.FLOAT);
    }

    /**
     * @param images the images, all {@code height x width}
     * @param index  which ones, in order
     * @param height image height
     * @param width  image width
     * @return their valid-pixel masks (1 valid, 0 not), {@code [n, 1, height, width]} float32
     */
    static INDArray masks(List<GrayImage> images, int[] index, int height, int width) {
        int px = height * width;
        float[] buf = new float[index.length * px];
        for (int b = 0; b < index.length; b++) {
            boolean[] m = images.get(index[b]).unsafeMask();
            for (int i = 0; i < px; i++) {
                buf[b * px + i] = m[i] ? 1f : 0f;
            }
        }
        return Nd4j.create(buf, new long[] {index.length, 1, height, width}, DataType.FLOAT);
    }

    /**
     * @param from first index
     * @param n    how many
     * @return the indices {@code from .. from + n - 1}
     */
    static int[] range(int from, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = from + i;
        }
        return idx;
    }
}
