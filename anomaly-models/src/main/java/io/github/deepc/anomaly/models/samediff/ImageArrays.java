package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time): batches of images as {@code [n, 1, height, width]} float32 arrays (pixels and valid-pixel
 * masks), and one-hot label arrays.
 */
public final class ImageArrays {
    private ImageArrays() {
    }

    /**
     * @param images the images
     * @param order  indices into {@code images}, or {@code null} for the identity
     * @param from   first position in {@code order}
     * @param n      batch size
     * @param height image height
     * @param width  image width
     * @return the pixels of images {@code order[from .. from + n)}
     */
    public static INDArray pixels(List<GrayImage> images, int[] order, int from, int n, int height, int width) {
        float[] buf = new float[n * height * width];
        copyPixels(images, order, from, n, buf);
        return Nd4j.create(buf, new long[] {n, 1, height, width}, DataType.FLOAT);
    }

    /**
     * Copies the pixels of images {@code order[from .. from + n)}, one image after the other, into the front of
     * {@code target}.
     *
     * @param images the images, all of one size
     * @param order  indices into {@code images}, or {@code null} for the identity
     * @param from   first position in {@code order}
     * @param n      batch size
     * @param target receives {@code n} images' pixels
     */
    public static void copyPixels(List<GrayImage> images, int[] order, int from, int n, float[] target) {
        for (int b = 0; b < n; b++) {
            float[] p = images.get(index(order, from + b)).unsafePixels();
            System.arraycopy(p, 0, target, b * p.length, p.length);
        }
    }

    /**
     * @param images the images
     * @param order  indices into {@code images}, or {@code null} for the identity
     * @param from   first position in {@code order}
     * @param n      batch size
     * @param height image height
     * @param width  image width
     * @return the valid-pixel masks (1 valid, 0 invalid) of images {@code order[from .. from + n)}
     */
    public static INDArray masks(List<GrayImage> images, int[] order, int from, int n, int height, int width) {
        float[] buf = new float[n * height * width];
        copyMasks(images, order, from, n, buf);
        return Nd4j.create(buf, new long[] {n, 1, height, width}, DataType.FLOAT);
    }

    /**
     * Copies the valid-pixel masks (1 valid, 0 invalid) of images {@code order[from .. from + n)}, one image after
     * the other, into the front of {@code target}.
     *
     * @param images the images, all of one size
     * @param order  indices into {@code images}, or {@code null} for the identity
     * @param from   first position in {@code order}
     * @param n      batch size
     * @param target receives {@code n} images' masks
     */
    public static void copyMasks(List<GrayImage> images, int[] order, int from, int n, float[] target) {
        for (int b = 0; b < n; b++) {
            boolean[] m = images.get(index(order, from + b)).unsafeMask();
            int off = b * m.length;
            for (int i = 0; i < m.length; i++) {
                target[off + i] = m[i] ? 1f : 0f;
            }
        }
    }

    /**
     * @param labels  class indices
     * @param order   indices into {@code labels}, or {@code null} for the identity
     * @param from    first position in {@code order}
     * @param n       batch size
     * @param classes number of classes
     * @return {@code [n, classes]} one-hot rows
     */
    public static INDArray oneHot(int[] labels, int[] order, int from, int n, int classes) {
        float[] buf = new float[n * classes];
        for (int b = 0; b < n; b++) {
            buf[b * classes + labels[index(order, from + b)]] = 1f;
        }
        return Nd4j.create(buf, new long[] {n, classes}, DataType.FLOAT);
    }

    private static int index(int[] order, int pos) {
        return order == null ? pos : order[pos];
    }
}
