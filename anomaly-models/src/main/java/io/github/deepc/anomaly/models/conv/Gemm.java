package io.github.deepc.anomaly.models.conv;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's matrix product {@code C = op(A) op(B)} on the native buffers of row-major matrices, by one of two
 * libraries, chosen once per JVM:
 * <ul>
 * <li>{@link Library#ONEDNN} (the default): oneDNN's {@code dnnl_sgemm} (JavaCPP's {@code org.bytedeco:dnnl} preset,
 * oneDNN 2.5.2), which generates its kernels for the CPU at run time, AVX-512 included. On the project's 2-core
 * AVX-512 machines it multiplies the engine's shapes 2.5-5x faster than the OpenBLAS 0.3.19 that ND4J bundles, which
 * runs its AVX2 kernels there ({@code support.BlasKernel} says why): 214-338 GFLOP/s against 41-161.</li>
 * <li>{@link Library#OPENBLAS}: {@code cblas_sgemm} of the OpenBLAS that ND4J itself loads (same library, same
 * threads), called directly because ND4J's own {@code gemm} wraps it in an op whose set-up costs 40-110 us per call.
 * It is the fallback where oneDNN cannot load, and a choice.</li>
 * </ul>
 * Both compute the same products to float rounding (about 1e-6 relative); a given library, thread count and CPU gives
 * the same bits every time. The choice also decides the convolutions: with oneDNN, networks built for inference only
 * run on its convolution and softmax primitives ({@link OneDnnConvolution}, {@link OneDnnSoftmax}) and trainable
 * convolutions on its training primitives ({@link OneDnnTrainingConvolution}); with OpenBLAS they keep the column
 * path. Setting: system property {@value #PROPERTY} = {@code onednn} or {@code openblas}; oneDNN
 * takes its thread count from {@code OMP_NUM_THREADS} (default: all cores), as ND4J does.
 */
public final class Gemm {
    /** System property choosing the library: {@code onednn} (default) or {@code openblas}. */
    public static final String PROPERTY = "anomaly.conv.gemm";

    /** The libraries the engine can multiply with. */
    public enum Library {
        /** oneDNN's {@code dnnl_sgemm}. */
        ONEDNN,
        /** OpenBLAS's {@code cblas_sgemm}, as loaded by ND4J. */
        OPENBLAS;

        /** @return the property word, e.g. {@code onednn} */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    private static volatile Library chosen;

    private Gemm() {
    }

    /**
     * @return the library the engine multiplies with in this JVM: the one {@value #PROPERTY} names, or OpenBLAS (with
     *         a warning) where oneDNN was asked for but cannot load
     * @throws IllegalArgumentException when the property names neither library
     */
    public static Library library() {
        Library l = chosen;
        if (l == null) {
            synchronized (Gemm.class) {
                if (chosen == null) {
                    chosen = choose(System.getProperty(PROPERTY));
                }
                l = chosen;
            }
        }
        return l;
    }

    static Library choose(String value) {
        String word = value == null || value.isBlank() ? Library.ONEDNN.word() : value.trim().toLowerCase(Locale.ROOT);
        Library wanted = Arrays.stream(Library.values()).filter(l -> l.word().equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("system property " + PROPERTY + " must be one of "
                        + Arrays.stream(Library.values()).map(Library::word).toList() + ", got '" + value + "'"));
        if (wanted == Library.ONEDNN) {
            try {
                float[] one = {2f};
                float[] out = new float[1];
                check(dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', 1, 1, 1, 1f, one, 1, one, 1, 0f, out, 1));
                if (out[0] != 4f) {
                    throw new IllegalStateException("2 x 2 gave " + out[0]);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("oneDNN could not be used for the engine's matrix products ({}); using OpenBLAS, which is "
                        + "2.5-5x slower on AVX-512 CPUs", e.toString());
                return Library.OPENBLAS;
            }
        }
        LOG.debug("the convolution engine multiplies with {}", wanted.word());
        return wanted;
    }

    /**
     * {@code C = op(A) op(B)} with the library of {@link #library()}.
     *
     * @throws IllegalArgumentException when the shapes do not chain or a matrix is not row-major
     */
    static void multiply(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        multiply(library(), a, transposeA, b, transposeB, c);
    }

    /** {@code C = op(A) op(B)} with the given library (tests compare the two). */
    static void multiply(Library library, INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        checkChain(a, transposeA, b, transposeB, c);
        sgemm(library, transposeA, transposeB, c.size(0), c.size(1), transposeA ? a.size(0) : a.size(1), pointer(a),
                rowStride(a), pointer(b), rowStride(b), pointer(c), rowStride(c));
    }

    /**
     * {@code C[i] = op(A[i]) op(B[i])} for each matrix {@code i} of three {@code [count, rows, cols]} views whose
     * matrices are row-major at a fixed distance apart (e.g. {@link ImageBlocks#batch}): one direct library call per
     * matrix, each a few microseconds of overhead.
     *
     * @throws IllegalArgumentException when the counts differ, the shapes do not chain or a matrix is not row-major
     */
    static void multiplyEach(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        multiplyEach(library(), a, transposeA, b, transposeB, c);
    }

    /** {@link #multiplyEach(INDArray, boolean, INDArray, boolean, INDArray)} with the given library. */
    static void multiplyEach(Library library, INDArray a, boolean transposeA, INDArray b, boolean transposeB,
                             INDArray c) {
        long count = c.size(0);
        if (a.rank() != 3 || b.rank() != 3 || c.rank() != 3 || a.size(0) != count || b.size(0) != count) {
            throw new IllegalArgumentException("per-matrix products need three [count, rows, cols] views of one count, "
                    + "got shapes " + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape()) + ", "
                    + Arrays.toString(c.shape()));
        }
        INDArray a0 = first(a);
        INDArray b0 = first(b);
        INDArray c0 = first(c);
        checkChain(a0, transposeA, b0, transposeB, c0);
        long m = c.size(1);
        long n = c.size(2);
        long k = transposeA ? a.size(1) : a.size(2);
        int lda = rowStride(a0);
        int ldb = rowStride(b0);
        int ldc = rowStride(c0);
        FloatPointer pa = pointer(a);
        FloatPointer pb = pointer(b);
        FloatPointer pc = pointer(c);
        for (long i = 0; i < count; i++) {
            // position() moves the address passed to native code; these borrowed pointers are never closed
            sgemm(library, transposeA, transposeB, m, n, k, pa.position(i * a.stride(0)), lda,
                    pb.position(i * b.stride(0)), ldb, pc.position(i * c.stride(0)), ldc);
        }
    }

    /** @return the first matrix of a {@code [count, rows, cols]} view, for the shape and stride checks */
    private static INDArray first(INDArray x) {
        return Nd4j.create(x.data(), new long[] {x.size(1), x.size(2)}, new long[] {x.stride(1), x.stride(2)},
                x.offset(), 'c');
    }

    private static void checkChain(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if ((transposeA ? a.size(1) : a.size(0)) != m || (transposeB ? b.size(1) : b.size(0)) != k
                || (transposeB ? b.size(0) : b.size(1)) != n) {
            throw new IllegalArgumentException("cannot multiply " + shape(a, transposeA) + " by " + shape(b, transposeB)
                    + " into " + shape(c, false));
        }
    }

    private static void sgemm(Library library, boolean transposeA, boolean transposeB, long m, long n, long k,
                              FloatPointer a, int lda, FloatPointer b, int ldb, FloatPointer c, int ldc) {
        if (library == Library.ONEDNN) {
            check(dnnl.dnnl_sgemm(transposeA ? (byte) 'T' : (byte) 'N', transposeB ? (byte) 'T' : (byte) 'N', m, n, k,
                    1f, a, lda, b, ldb, 0f, c, ldc));
        } else {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                    transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                    transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, (int) m, (int) n,
                    (int) k, 1f, a, lda, b, ldb, 0f, c, ldc);
        }
    }

    private static void check(int status) {
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN's sgemm failed with status " + status);
        }
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
                    + "shape " + Arrays.toString(x.shape()) + ", strides " + Arrays.toString(x.stride()));
        }
        return (int) Math.max(1, x.stride(0));
    }

    /**
     * @return a pointer to the first element of {@code x} (a view's buffer address already includes its offset); it
     *         borrows ND4J's buffer and must never be closed, which would free that buffer (JavaCPP's copy constructor
     *         hands the new pointer a proxy of the buffer's deallocator without registering it, so garbage collection
     *         of the pointer leaves the buffer alone)
     */
    static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }
}
