package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine's matrix products by both libraries against a product computed in double, for every transpose
 * combination, on packed views of larger buffers (as {@link NativeMatrix#nd}) and on views at an offset (as
 * {@link ImageBlocks#batch}); and the library setting.
 */
class GemmProperties {
    @Property(tries = 80)
    void productsMatchTheirDefinition(@ForAll @IntRange(min = 1, max = 40) int m,
                                      @ForAll @IntRange(min = 1, max = 40) int k,
                                      @ForAll @IntRange(min = 1, max = 40) int n, @ForAll boolean transposeA,
                                      @ForAll boolean transposeB, @ForAll @IntRange(min = 0, max = 7) int offset,
                                      @ForAll Gemm.Library library, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        try (NativeMatrix ma = new NativeMatrix(transposeA ? k : m, (transposeA ? m : k) + 3);
             NativeMatrix mb = new NativeMatrix(transposeB ? n : k, (transposeB ? k : n) + 2)) {
            INDArray backingC = Nd4j.create(DataType.FLOAT, offset + m * n + 5);
            System.arraycopy(a, 0, ma.heap(), 0, a.length);
            System.arraycopy(b, 0, mb.heap(), 0, b.length);
            ma.push(transposeA ? m : k);
            mb.push(transposeB ? k : n);
            INDArray c = Nd4j.create(backingC.data(), new long[] {m, n}, new long[] {n, 1}, offset, 'c');
            Gemm.multiply(library, ma.nd(transposeA ? m : k), transposeA, mb.nd(transposeB ? k : n), transposeB, c);
            float[] got = backingC.data().asFloat();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transposeA ? a[p * m + i] : a[i * k + p];
                        double y = transposeB ? b[j * k + p] : b[p * n + j];
                        sum += x * y;
                    }
                    assertEquals(sum, got[offset + i * n + j], 1e-5 * (1 + Math.abs(sum)),
                            library + ": C[" + i + "][" + j + "]");
                }
            }
            for (int i = 0; i < offset; i++) {
                assertEquals(0f, got[i], "before the view");
            }
            backingC.close();
        }
    }

    @Test
    void shapesThatDoNotChainAreRefused() {
        try (NativeMatrix a = new NativeMatrix(2, 3); NativeMatrix b = new NativeMatrix(4, 5);
             NativeMatrix c = new NativeMatrix(2, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeMatrix.gemm(a.nd(3), false, b.nd(5), false, c.nd(5)));
            assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("4x5"), e.getMessage());
        }
    }

    @Test
    void theLibraryIsChosenByTheProperty() {
        assertEquals(Gemm.Library.OPENBLAS, Gemm.choose(" OpenBLAS "));
        assertEquals(Gemm.choose("onednn"), Gemm.choose(null), "oneDNN is the default");
        assertEquals(Gemm.choose("onednn"), Gemm.choose(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.choose("mkl"));
        assertTrue(e.getMessage().contains(Gemm.PROPERTY) && e.getMessage().contains("onednn")
                && e.getMessage().contains("openblas") && e.getMessage().contains("'mkl'"), e.getMessage());
    }

    @Test
    void oneDnnLoadsHere() {
        // the project's machines are x86-64 Linux, where the preset's natives load: a fallback would be a packaging bug
        assertEquals(Gemm.Library.ONEDNN, Gemm.choose("onednn"));
    }

    private static float[] random(int size, SplittableRandom rng) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
