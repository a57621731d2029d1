package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
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

    /** C = op(A) op(B) on the native buffers ({@link Gemm}: oneDNN's or OpenBLAS's sgemm). */
    static void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        Gemm.multiply(a, transposeA, b, transposeB, c);
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
