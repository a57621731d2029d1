package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A row-major {@code rows x cols} float matrix kept twice: on the Java heap, where the engine's loops read and write
 * it, and in one native ND4J buffer, which the matrix products read and write. Copies between the two are explicit
 * ({@link #push}, {@link #pull}), so each one is visible in the code that needs it; the exception is a native pass
 * that leaves the native copy ahead ({@link #nativeAhead}) or its result in channels-last form elsewhere
 * ({@link #channelsLastResult}), which the next other use resolves, so that a chain of native passes skips the heap and
 * the reorders between them. The column count may vary per
 * call up to the capacity (the last mini-batch is smaller); the matrix is then packed into the front of both buffers.
 */
final class NativeMatrix implements AutoCloseable {
    private final int rows;
    private final float[] heap;
    private final INDArray backing;
    private final FloatBuffer nio;
    private final Map<Integer, INDArray> views = new HashMap<>();
    private FloatPointer address;
    /** Columns of a matrix that native code wrote and the heap does not hold yet ({@link #nativeAhead}), or 0. */
    private int nativeAheadCols;
    /** A result pending in channels-last form ({@link #channelsLastResult}), or {@code null}. */
    private ChannelsLast channelsLast;

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
        this(rows, maxCols, checkedHeap(rows, maxCols, heap), true);
    }

    private static float[] checkedHeap(int rows, int maxCols, float[] heap) {
        int size = Math.multiplyExact(rows, maxCols);
        if (heap != null && heap.length != size) {
            throw new IllegalArgumentException("a " + rows + " x " + maxCols + " matrix needs " + size
                    + " values, got " + heap.length);
        }
        return heap;
    }

    /**
     * A matrix without a heap copy, for values that only native code and bulk copies touch (e.g. column matrices,
     * which {@link StrideTwoGrid} moves directly to and from {@link #buffer()}).
     *
     * @param rows    rows
     * @param maxCols the largest column count
     * @return the matrix; its {@link #heap()}, {@link #push}, {@link #pull} refuse
     */
    static NativeMatrix nativeOnly(int rows, int maxCols) {
        return new NativeMatrix(rows, maxCols, null, false);
    }

    private NativeMatrix(int rows, int maxCols, float[] heap, boolean withHeap) {
        this.rows = rows;
        int size = Math.multiplyExact(rows, maxCols);
        this.heap = withHeap ? (heap != null ? heap : new float[size]) : null;
        this.backing = Nd4j.create(DataType.FLOAT, size);
        this.nio = backing.data().asNioFloat();
    }

    /**
     * @return the heap copy, packed row-major for the current column count; brought up to date first where the native
     *         copy is ahead ({@link #nativeAhead})
     */
    float[] heap() {
        settle();
        float[] h = heapArray();
        if (nativeAheadCols > 0) {
            nio.get(0, h, 0, rows * nativeAheadCols);
            nativeAheadCols = 0;
        }
        return h;
    }

    private float[] heapArray() {
        if (heap == null) {
            throw new IllegalStateException("this " + rows + "-row matrix is native only");
        }
        return heap;
    }

    /**
     * Records that native code wrote a newer {@code rows x cols} matrix than the heap holds: the next {@link #heap()}
     * call copies it over first, and a {@link #push} until then does nothing. So consecutive native passes hand their
     * result over without a round trip through the heap, and Java code reading the result still sees it.
     */
    void nativeAhead(int cols) {
        heapArray();
        nativeAheadCols = cols;
    }

    /**
     * A native pass's result that stayed in channels-last form in another buffer ({@link #channelsLastResult}).
     *
     * @param values      the {@code [images][height][width][channels]} values (borrowed; the producing pass's buffer)
     * @param images      images
     * @param channels    channels
     * @param height      rows per image
     * @param width       columns per image
     * @param reorderBack writes the result into this matrix's native copy, in its own layout
     */
    record ChannelsLast(FloatPointer values, int images, int channels, int height, int width, Runnable reorderBack) {
        /** @return whether this holds {@code images} images of these dimensions */
        boolean holds(int n, int c, int h, int w) {
            return images == n && channels == c && height == h && width == w;
        }
    }

    /**
     * Records a native pass's {@code rows x cols} result that is still only in channels-last form: a next native pass
     * may read it there ({@link #channelsLast()}); any other use of this matrix first reorders it back into the native
     * copy (and, for the heap, copies it over as after {@link #nativeAhead}).
     */
    void channelsLastResult(ChannelsLast result, int cols) {
        nativeAhead(cols);
        channelsLast = result;
    }

    /** @return the pending channels-last result ({@link #channelsLastResult}), or {@code null}; the matrix is unchanged */
    ChannelsLast channelsLast() {
        return channelsLast;
    }

    /** Forgets a pending channels-last result without reordering it: the caller is about to overwrite the matrix. */
    void overwrite() {
        channelsLast = null;
        nativeAheadCols = 0;
    }

    /** Brings the native copy up to date where a channels-last result is pending. */
    private void settle() {
        ChannelsLast pending = channelsLast;
        if (pending != null) {
            channelsLast = null;
            pending.reorderBack().run();
        }
    }

    /** @return the native buffer's first value, borrowed ({@link Gemm#pointer}: never to be closed) */
    FloatPointer address() {
        settle();
        if (address == null) {
            address = Gemm.pointer(backing);
        }
        return address;
    }

    /** @return the native buffer (row-major, packed for the current column count from index 0) */
    FloatBuffer buffer() {
        settle();
        return nio;
    }

    /**
     * @param cols columns
     * @return the native {@code rows x cols} matrix (a view of the front of the native buffer)
     */
    INDArray nd(int cols) {
        settle();
        return views.computeIfAbsent(cols,
                c -> backing.get(NDArrayIndex.interval(0, (long) rows * c)).reshape('c', rows, c));
    }

    /**
     * Copies the heap values of a {@code rows x cols} matrix to the native buffer; nothing where the native copy is
     * ahead ({@link #nativeAhead}: the heap has not been handed out since, so it holds nothing newer).
     */
    void push(int cols) {
        settle();
        if (nativeAheadCols == 0) {
            nio.put(0, heapArray(), 0, rows * cols);
        }
    }

    /** Copies the native values of a {@code rows x cols} matrix to the heap. */
    void pull(int cols) {
        settle();
        nio.get(0, heapArray(), 0, rows * cols);
        nativeAheadCols = 0;
    }

    /** Copies the native values of a {@code rows x cols} matrix to {@code target} rather than the heap copy. */
    void pullInto(float[] target, int cols) {
        settle();
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
