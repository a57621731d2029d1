package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Packs images into the graphs' {@code [batch, 1, H, W]} float32 placeholders. */
final class ImageBatches {
    private ImageBatches() {
    }

    /**
     * @param images the images, all {@code height x width}
     * @param order  which image goes to batch position {@code b}: {@code order[from + b]}, or {@code null} for
     *               {@code from + b}
     * @param from   first position
     * @param n      batch size
     * @param height image height
     * @param width  image width
     * @return the pixels
     */
    static INDArray pixels(List<GrayImage> images, int[] order, int from, int n, int height, int width) {
        int px = height * width;
        float[] buf = new float[n * px];
        for (int b = 0; b < n; b++) {
            System.arraycopy(images.get(index(order, from + b)).unsafePixels(), 0, buf, b * px, px);
        }
        return Nd4j.create(buf, new long[] {n, 1, height, width}, DataType.FLOAT);
    }

    /**
     * @return the valid-pixel masks as 1 (valid) and 0 (invalid), arguments as for
     *         {@link #pixels(List, int[], int, int, int, int)}
     */
    static INDArray masks(List<GrayImage> images, int[] order, int from, int n, int height, int width) {
        int px = height * width;
        float[] buf = new float[n * px];
        for (int b = 0; b < n; b++) {
            boolean[] m = images.get(index(order, from + b)).unsafeMask();
            int off = b * px;
            for (int i = 0; i < px; i++) {
                buf[off + i] = m[i] ? 1f : 0f;
            }
        }
        return Nd4j.create(buf, new long[] {n, 1, height, width}, DataType.FLOAT);
    }

    private static int index(int[] order, int position) {
        return order == null ? position : order[position];
    }
}
