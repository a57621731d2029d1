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
 * {@link ImageBlocks#batch}), one product or one per image; and the library setting.
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

    @Property(tries = 40)
    void perImageProductsMatchTheirDefinition(@ForAll @IntRange(min = 1, max = 5) int images,
                                              @ForAll @IntRange(min = 1, max = 24) int m,
                                              @ForAll @IntRange(min = 1, max = 24) int k,
                                              @ForAll @IntRange(min = 1, max = 24) int n, @ForAll boolean transposeA,
                                              @ForAll boolean transposeB, @ForAll Gemm.Library library,
                                              @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // each image's block holds A, then B, then C, then a gap: the products must stay inside their own blocks
        int block = 2 * (m * k + k * n + m * n) + 3;
        try (ImageBlocks blocks = new ImageBlocks(block, images)) {
            float[] heap = blocks.heap();
            float[] before = random(heap.length, rng);
            System.arraycopy(before, 0, heap, 0, heap.length);
            blocks.push(images);
            INDArray a = blocks.batch(images, 0, transposeA ? k : m, transposeA ? m : k);
            INDArray b = blocks.batch(images, m * k, transposeB ? n : k, transposeB ? k : n);
            INDArray c = blocks.batch(images, m * k + k * n, m, n);
            if (images == 1) {
                Gemm.multiply(library, a, transposeA, b, transposeB, c);
            } else {
                Gemm.multiplyEach(library, a, transposeA, b, transposeB, c);
            }
            blocks.pull(images);
            for (int img = 0; img < images; img++) {
                int base = img * block;
                int cStart = base + m * k + k * n;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            double x = before[base + (transposeA ? p * m + i : i * k + p)];
                            double y = before[base + m * k + (transposeB ? j * k + p : p * n + j)];
                            sum += x * y;
                        }
                        assertEquals(sum, heap[cStart + i * n + j], 1e-5 * (1 + Math.abs(sum)),
                                library + ": image " + img + " C[" + i + "][" + j + "]");
                    }
                }
                for (int i = cStart + m * n; i < base + block; i++) {
                    assertEquals(before[i], heap[i], "after image " + img + "'s product");
                }
            }
        }
    }

    @Test
    void perImageProductsRefuseMismatchedCounts() {
        try (ImageBlocks two = new ImageBlocks(64, 2); ImageBlocks three = new ImageBlocks(64, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiplyEach(two.batch(2, 0, 2, 2), false, three.batch(3, 0, 2, 2), false,
                            two.batch(2, 8, 2, 2)));
            assertTrue(e.getMessage().contains("[2, 2, 2]") && e.getMessage().contains("[3, 2, 2]"), e.getMessage());
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
