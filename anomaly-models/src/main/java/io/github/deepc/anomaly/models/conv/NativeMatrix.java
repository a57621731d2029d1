package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A row-major {@code rows x cols} float matrix kept twice: on the Java heap, where the engine's loops read and write
 * it, and in one native ND4J buffer, which the matrix products read and write. Copies between the two are explicit
 * ({@link #push}, {@link #pull}), so each one is visible in the code that needs it. The column count may vary per
 * call up to the capacity (the last mini-batch is smaller); the matrix is then packed into the front of both buffers.
 */
final class NativeMatrix implements AutoCloseable {
    private final int rows;
    private final float[] heap;
    private final INDArray backing;
    private final FloatBuffer nio;
    private final Map<Integer, INDArray> views = new HashMap<>();

    /**
     * @param rows    rows
     * @param maxCols the largest column count
     */
    NativeMatrix(int rows, int maxCols) {
        this(rows, maxCols, null);
    }

    /**
     * @param rows    rows
     * @param maxCols the largest column count
     * @param heap    the heap copy to use (shared, not copied: e.g. a parameter store's array), of
     *                {@code rows * maxCols} values, or {@code null} for a new one
     */
    NativeMatrix(int rows, int maxCols, float[] heap) {
        this.rows = rows;
        int size = Math.multiplyExact(rows, maxCols);
        if (heap != null && heap.length != size) {
            throw new IllegalArgumentException("a " + rows + " x " + maxCols + " matrix needs " + size
                    + " values, got " + heap.length);
        }
        this.heap = heap != null ? heap : new float[size];
        this.backing = Nd4j.create(DataType.FLOAT, size);
        this.nio = backing.data().asNioFloat();
    }

    /** @return the heap copy, packed row-major for the current column count */
    float[] heap() {
        return heap;
    }

    /**
     * @param cols columns
     * @return the native {@code rows x cols} matrix (a view of the front of the native buffer)
     */
    INDArray nd(int cols) {
        return views.computeIfAbsent(cols,
                c -> backing.get(NDArrayIndex.interval(0, (long) rows * c)).reshape('c', rows, c));
    }

    /** Copies the heap values of a {@code rows x cols} matrix to the native buffer. */
    void push(int cols) {
        nio.put(0, heap, 0, rows * cols);
    }

    /** Copies the native values of a {@code rows x cols} matrix to the heap. */
    void pull(int cols) {
        nio.get(0, heap, 0, rows * cols);
    }

    /** Copies the native values of a {@code rows x cols} matrix to {@code target} rather than the heap copy. */
    void pullInto(float[] target, int cols) {
        nio.get(0, target, 0, rows * cols);
    }

    /**
     * C = op(A) op(B) on the native buffers of three row-major matrices (rows contiguous, any row stride), by a direct
     * call of the BLAS library ND4J itself loads (its bundled OpenBLAS). Direct because ND4J's own {@code gemm} wraps
     * the same call in a custom op whose set-up costs 40-110 microseconds per call, more than the product itself at
     * one image per pass (measured: a {@code 64 x 512} by {@code 512 x 64} product in 158 us through ND4J, 48 us
     * direct; at 64 images per pass the two differ by 1-3 %).
     *
     * @throws IllegalArgumentException when the shapes do not chain or a matrix is not row-major
     */
    static void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(1) : b.size(0)) != k
                || (transposeB ? b.size(0) : b.size(1)) != n) {
            throw new IllegalArgumentException("cannot multiply " + shape(a, transposeA) + " by " + shape(b, transposeB)
                    + " into " + shape(c, false));
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, op(transposeA), op(transposeB), (int) m,
                (int) n, (int) k, 1f, pointer(a), rowStride(a), pointer(b), rowStride(b), 0f, pointer(c), rowStride(c));
    }

    private static int op(boolean transpose) {
        return transpose ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    private static String shape(INDArray x, boolean transpose) {
        return transpose ? x.size(1) + "x" + x.size(0) + " (transposed)" : x.size(0) + "x" + x.size(1);
    }

    /** @return the row stride of a row-major matrix (contiguous rows) */
    private static int rowStride(INDArray x) {
        if (x.rank() == 2 && x.size(0) == 1 && (x.size(1) == 1 || x.stride(1) == 1)) {
            return (int) Math.max(1, x.size(1)); // one row: ND4J may report any row stride
        }
        if (x.rank() != 2 || (x.stride(1) != 1 && x.size(1) > 1) || x.stride(0) < x.size(1)) {
            throw new IllegalArgumentException("a matrix product needs row-major matrices with contiguous rows, got "
                    + "shape " + java.util.Arrays.toString(x.shape()) + ", strides "
                    + java.util.Arrays.toString(x.stride()));
        }
        return (int) Math.max(1, x.stride(0));
    }

    /**
     * @return a pointer to the first element of {@code x} (a view's buffer address already includes its offset); it
     *         borrows ND4J's buffer and must never be closed, which would free that buffer (JavaCPP's copy constructor
     *         hands the new pointer a proxy of the buffer's deallocator without registering it, so garbage collection
     *         of the pointer leaves the buffer alone)
     */
    private static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    /** Closes each matrix that is not {@code null}. */
    static void closeAll(NativeMatrix... matrices) {
        for (NativeMatrix m : matrices) {
            if (m != null) {
                m.close();
            }
        }
    }

    @Override
    public void close() {
        // the views share the backing buffer and are not closeable themselves
        views.clear();
        backing.close();
    }
}
