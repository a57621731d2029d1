package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Equal-sized per-image blocks, image after image ({@code [image][block]}), kept on the Java heap and in one native
 * ND4J buffer like a {@link NativeMatrix}, for the per-image matrix products of a {@link SelfAttentionLayer}: the
 * same row-major matrix inside each of the first {@code n} images' blocks is one {@code [n, rows, cols]} view of the
 * native buffer ({@link #batch}) that one call of ND4J's batched matrix product ({@link #batchGemm}) can read or write
 * for the whole batch. Copies between heap and native buffer are explicit ({@link #push}, {@link #pull}) and cover the
 * first {@code n} images.
 */
final class ImageBlocks implements AutoCloseable {
    private final int blockSize;
    private final float[] heap;
    private final INDArray backing;
    private final FloatBuffer nio;
    private final Map<BatchKey, INDArray> batchViews = new HashMap<>();

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

    /**
     * {@code C[i] = op(A[i]) op(B[i])} for each image {@code i} of three {@code [n, rows, cols]} {@link #batch} views
     * in one call of ND4J's {@code matmul} op rather than {@code n} calls of {@link NativeMatrix#gemm} (which it makes
     * for the {@code [rows, cols]} views of a single image): each call costs tens of microseconds of op set-up, and an
     * attention pass makes several per image (measured: 64 products of {@code [32, 256] x [256, 256]^T} in 5.5 ms as
     * one call, 7 to 11 ms as 64 calls, with equal results).
     */
    static void batchGemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        if (a.rank() == 2) {
            NativeMatrix.gemm(a, transposeA, b, transposeB, c);
            return;
        }
        MMulTranspose transpose = MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build();
        Nd4j.exec(new Mmul(a, b, c, 1.0, 0.0, transpose));
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
