package io.github.deepc.anomaly.models.conv;

import java.util.Arrays;

/**
 * The index arithmetic shared by a stride-2 {@code k x k} convolution with padding {@code p = (k - 1) / 2} (integer
 * division: for an even kernel {@code k / 2 - 1}, e.g. the GANs' 4x4 with padding 1) and its transpose (output
 * padding 1 for an odd kernel, none for an even one): a "big" grid of {@code 2h x 2w} positions and a "small" grid of {@code h x w},
 * where small position {@code (oy, ox)} and kernel tap {@code (ky, kx)} meet big position
 * {@code (2 oy - p + ky, 2 ox - p + kx)} (taps falling outside the big grid read zero / are dropped).
 *
 * <p>Arrays are channel-major, {@code [channel][image][row][column]}, so that a convolution is one matrix product
 * with the batch folded into the columns. {@link #im2col} gathers the column matrix
 * {@code [channel * k * k][image * h * w]} from a big-grid array; {@link #col2im} scatters (sums) one back. A
 * convolution's forward pass and its transpose's backward pass use {@code im2col}; the other two use
 * {@code col2im}.
 *
 * <p>Hand-written because ND4J's own {@code im2col} produces {@code [batch, channel, k, k, h, w]}, which its
 * convolution then permutes and copies again before the matrix product; this layout needs no permutation.
 */
final class StrideTwoGrid {
    private final int k;
    private final int p;
    private final int h;
    private final int w;
    private final int bigH;
    private final int bigW;
    /** Per tap offset {@code t = ky} (or {@code kx}): the first and one past the last small index in range. */
    private final int[] rowLo;
    private final int[] rowHi;
    private final int[] colLo;
    private final int[] colHi;

    /**
     * @param kernel kernel side
     * @param h      small-grid height (the big grid is twice as high)
     * @param w      small-grid width
     */
    StrideTwoGrid(int kernel, int h, int w) {
        this.k = kernel;
        this.p = (kernel - 1) / 2;
        this.h = h;
        this.w = w;
        this.bigH = 2 * h;
        this.bigW = 2 * w;
        rowLo = new int[k];
        rowHi = new int[k];
        colLo = new int[k];
        colHi = new int[k];
        for (int t = 0; t < k; t++) {
            rowLo[t] = firstInRange(t, h);
            rowHi[t] = endInRange(t, h, bigH);
            colLo[t] = firstInRange(t, w);
            colHi[t] = endInRange(t, w, bigW);
        }
    }

    /** Smallest small index {@code o} with {@code 2o - p + t >= 0}. */
    private int firstInRange(int t, int small) {
        return Math.min(small, Math.max(0, (p - t + 1) / 2));
    }

    /** One past the largest small index {@code o} with {@code 2o - p + t < big}. */
    private int endInRange(int t, int small, int big) {
        int last = Math.floorDiv(big - 1 + p - t, 2);
        return Math.max(0, Math.min(small, last + 1));
    }

    /** @return positions per image on the small grid */
    int smallArea() {
        return h * w;
    }

    /** @return positions per image on the big grid */
    int bigArea() {
        return bigH * bigW;
    }

    /**
     * Gathers the column matrix: {@code col[(c * k + ky) * k + kx][(b * h + oy) * w + ox] =
     * big[c][b][2 oy - p + ky][2 ox - p + kx]}, zero outside the big grid.
     *
     * @param big      {@code [channels][n][2h][2w]}
     * @param channels channels of {@code big}
     * @param n        images
     * @param col      receives {@code [channels * k * k][n * h * w]}
     */
    void im2col(float[] big, int channels, int n, float[] col) {
        // each (channel, image) pair writes its own column segment of its own rows: split over the pairs
        ParallelRanges.run(channels * n, (long) k * k * h * w, (from, to) -> {
            for (int u = from; u < to; u++) {
                im2col(big, u / n, u % n, n, col);
            }
        });
    }

    /** {@link #im2col} for channel {@code c} of image {@code b}. */
    private void im2col(float[] big, int c, int b, int n, float[] col) {
        int cols = n * h * w;
        int image = (c * n + b) * bigH * bigW;
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int q = ((c * k + ky) * k + kx) * cols + b * h * w;
                for (int oy = 0; oy < h; oy++, q += w) {
                    if (oy < rowLo[ky] || oy >= rowHi[ky]) {
                        Arrays.fill(col, q, q + w, 0f);
                        continue;
                    }
                    int src = image + (2 * oy - p + ky) * bigW - p + kx;
                    int lo = colLo[kx];
                    int hi = colHi[kx];
                    for (int ox = 0; ox < lo; ox++) {
                        col[q + ox] = 0f;
                    }
                    for (int ox = lo; ox < hi; ox++) {
                        col[q + ox] = big[src + 2 * ox];
                    }
                    for (int ox = hi; ox < w; ox++) {
                        col[q + ox] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Scatters a column matrix back, summing taps that meet the same position and dropping those outside the big
     * grid: the adjoint of {@link #im2col}.
     *
     * @param col      {@code [channels * k * k][n * h * w]}
     * @param channels channels of {@code big}
     * @param n        images
     * @param big      receives {@code [channels][n][2h][2w]} (overwritten)
     */
    void col2im(float[] col, int channels, int n, float[] big) {
        // each (channel, image) pair sums into its own image of big, taps in the serial order: split over the pairs
        ParallelRanges.run(channels * n, (long) k * k * h * w, (from, to) -> {
            for (int u = from; u < to; u++) {
                col2im(col, u / n, u % n, n, big);
            }
        });
    }

    /** {@link #col2im} for channel {@code c} of image {@code b}. */
    private void col2im(float[] col, int c, int b, int n, float[] big) {
        int cols = n * h * w;
        int image = (c * n + b) * bigH * bigW;
        Arrays.fill(big, image, image + bigH * bigW, 0f);
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int q = ((c * k + ky) * k + kx) * cols + b * h * w;
                int lo = colLo[kx];
                int hi = colHi[kx];
                for (int oy = 0; oy < h; oy++, q += w) {
                    if (oy < rowLo[ky] || oy >= rowHi[ky]) {
                        continue;
                    }
                    int dst = image + (2 * oy - p + ky) * bigW - p + kx;
                    for (int ox = lo; ox < hi; ox++) {
                        big[dst + 2 * ox] += col[q + ox];
                    }
                }
            }
        }
    }
}
