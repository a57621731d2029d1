package io.github.deepc.anomaly.models.conv;

/** Moves small matrices between image-major ({@code [n][features]}) and the dense layers' feature-major layout. */
final class Transpose {
    private Transpose() {
    }

    /** Writes the transpose of the {@code rows x cols} matrix {@code a} into {@code t}. */
    static void of(float[] a, int rows, int cols, float[] t) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
    }
}
