package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Equal-sized per-image blocks, image after image ({@code [image][block]}), kept on the Java heap and in one native
 * ND4J buffer like a {@link NativeMatrix}, for the per-image matrix products of a {@link SelfAttentionLayer}: the
 * same row-major matrix inside each of the first {@code n} images' blocks is one {@code [n, rows, cols]} view of the
 * native buffer ({@link #batch}) whose per-image products {@link #batchGemm} computes. Copies between heap and
 * native buffer are explicit ({@link #push}, {@link #pull}) and cover the first {@code n} images.
 */
final class ImageBlocks implements AutoCloseable {
    private final int blockSize;
    private final float[] heap;
    private final INDArray backing;
    private final FloatBuffer nio;
    private final Map<BatchKey, INDArray> batchViews = new HashMap<>();
    private FloatPointer address;

    private record BatchKey(int images, int offset, int rows, int cols) {
    }

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
     * @param n      images
     * @param offset where the matrix starts inside each image's block
     * @param rows   rows
     * @param cols   columns
     * @return the native row-major {@code rows x cols} matrices there of the first {@code n} images, as one
     *     {@code [n, rows, cols]} view (strided by the block size), or for one image the {@code [rows, cols]} matrix
     *     itself (scoring passes one image at a time, and a plain matrix product is the cheaper call then); kept and
     *     reused
     */
    INDArray batch(int n, int offset, int rows, int cols) {
        return batchViews.computeIfAbsent(new BatchKey(n, offset, rows, cols), k -> n == 1
                ? Nd4j.create(backing.data(), new long[] {rows, cols}, new long[] {cols, 1}, offset, 'c')
                : Nd4j.create(backing.data(), new long[] {n, rows, cols}, new long[] {blockSize, cols, 1}, offset, 'c'));
    }

    /** @return the native buffer's first value, borrowed ({@link Gemm#pointer}: never to be closed) */
    FloatPointer address() {
        if (address == null) {
            address = Gemm.pointer(backing);
        }
        return address;
    }

    /**
     * {@code C[i] = op(A[i]) op(B[i])} for each image {@code i} of three {@link #batch} views: one direct call per
     * image of the engine's product library ({@link Gemm#multiplyEach}), like every other product of the engine. ND4J's
     * batched {@code matmul} op (used before) saved the per-call set-up of ND4J's own single products; the direct
     * calls have none, and alpha-gan scored as fast either way (513-592 against 516-575 images/s at 64 per pass).
     */
    static void batchGemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        if (a.rank() == 2) {
            NativeMatrix.gemm(a, transposeA, b, transposeB, c);
        } else {
            Gemm.multiplyEach(a, transposeA, b, transposeB, c);
        }
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
        batchViews.clear();
        backing.close();
    }
}
