package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Equal-sized per-image blocks, image after image ({@code [image][block]}), kept on the Java heap and in one native
 * ND4J buffer like a {@link NativeMatrix}, for the per-image matrix products of a {@link SelfAttentionLayer}: any
 * row-major matrix inside one image's block is a view of the native buffer that a product can read or write. Copies
 * between heap and native buffer are explicit ({@link #push}, {@link #pull}) and cover the first {@code n} images.
 */
final class ImageBlocks implements AutoCloseable {
    private final int blockSize;
    private final float[] heap;
    private final INDArray backing;
    private final FloatBuffer nio;

    /**
     * @param blockSize values per image
     * @param maxImages the most images
     */
    ImageBlocks(int blockSize, int maxImages) {
        this.blockSize = blockSize;
        int size = Math.multiplyExact(blockSize, maxImages);
        this.heap = new float[size];
        this.backing = Nd4j.create(DataType.FLOAT, size);
        this.nio = backing.data().asNioFloat();
    }

    /** @return the heap copy, {@code [image][block]} */
    float[] heap() {
        return heap;
    }

    /**
     * @param image  the image
     * @param offset where the matrix starts inside the image's block
     * @param rows   rows
     * @param cols   columns
     * @return the native row-major {@code rows x cols} matrix there (a view; build once and keep)
     */
    INDArray view(int image, int offset, int rows, int cols) {
        long start = (long) image * blockSize + offset;
        return backing.get(NDArrayIndex.interval(start, start + (long) rows * cols)).reshape('c', rows, cols);
    }

    /** Copies the heap values of the first {@code n} images to the native buffer. */
    void push(int n) {
        nio.put(0, heap, 0, n * blockSize);
    }

    /** Copies the native values of the first {@code n} images to the heap. */
    void pull(int n) {
        nio.get(0, heap, 0, n * blockSize);
    }

    @Override
    public void close() {
        backing.close();
    }
}
