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
 * <p>Both work through the four phase planes of an image, {@code plane[a][e][i][j] = big[2i + a][2j + e]}: tap
 * {@code t} (row or column) reads phase {@code (t - p) mod 2} shifted by {@code floor((t - p) / 2)}, so a tap's whole
 * block of rows is one contiguous copy (or one contiguous sum per row) of a plane, and the stride-2 access is confined
 * to a single split or merge pass per image: about a quarter of the strided reads of a direct gather for a 4x4 kernel.
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
    /** Per tap offset {@code t}: the phase {@code (t - p) mod 2} of the big-grid row (or column) it reads. */
    private final int[] phase;
    /** Per tap offset {@code t}: {@code floor((t - p) / 2)}, the shift of that read within its phase plane. */
    private final int[] shift;

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
        phase = new int[k];
        shift = new int[k];
        for (int t = 0; t < k; t++) {
            phase[t] = Math.floorMod(t - p, 2);
            shift[t] = Math.floorDiv(t - p, 2);
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
            float[] planes = new float[4 * h * w];
            for (int u = from; u < to; u++) {
                im2col(big, u / n, u % n, n, col, planes);
            }
        });
    }

    /**
     * {@link #im2col} for channel {@code c} of image {@code b}: one strided pass splits the image into its four
     * phase planes, after which every tap is a contiguous block copy of one plane (see the class comment).
     */
    private void im2col(float[] big, int c, int b, int n, float[] col, float[] planes) {
        int area = h * w;
        int cols = n * area;
        split(big, (c * n + b) * bigH * bigW, planes);
        for (int ky = 0; ky < k; ky++) {
            int top = rowLo[ky];
            int bottom = rowHi[ky];
            for (int kx = 0; kx < k; kx++) {
                int q = ((c * k + ky) * k + kx) * cols + b * area;
                int dx = shift[kx];
                if (bottom <= top) {
                    Arrays.fill(col, q, q + area, 0f);
                    continue;
                }
                if (top > 0) {
                    Arrays.fill(col, q, q + top * w, 0f);
                }
                if (bottom < h) {
                    Arrays.fill(col, q + bottom * w, q + area, 0f);
                }
                // the rows [top, bottom) of this tap are plane values shifted by (dy, dx): one copy, after which
                // the column(s) that the shift carried across a row edge are set back to zero
                int plane = (phase[ky] * 2 + phase[kx]) * area + shift[ky] * w + dx;
                int first = top * w + Math.max(0, -dx);
                int end = bottom * w - Math.max(0, dx);
                if (end > first) {
                    System.arraycopy(planes, plane + first, col, q + first, end - first);
                }
                int lo = colLo[kx];
                int hi = colHi[kx];
                for (int oy = top; oy < bottom; oy++) {
                    int row = q + oy * w;
                    for (int ox = 0; ox < lo; ox++) {
                        col[row + ox] = 0f;
                    }
                    for (int ox = Math.max(hi, lo); ox < w; ox++) {
                        col[row + ox] = 0f;
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
            float[] planes = new float[4 * h * w];
            for (int u = from; u < to; u++) {
                col2im(col, u / n, u % n, n, big, planes);
            }
        });
    }

    /**
     * {@link #col2im} for channel {@code c} of image {@code b}: the taps are summed into the four phase planes in the
     * order {@code ky, kx} (so every big position receives its terms in the same order as a direct scatter), then one
     * strided pass interleaves the planes into the image.
     */
    private void col2im(float[] col, int c, int b, int n, float[] big, float[] planes) {
        int area = h * w;
        int cols = n * area;
        Arrays.fill(planes, 0f);
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int q = ((c * k + ky) * k + kx) * cols + b * area;
                int plane = (phase[ky] * 2 + phase[kx]) * area + shift[ky] * w + shift[kx];
                int lo = colLo[kx];
                int hi = colHi[kx];
                for (int oy = rowLo[ky]; oy < rowHi[ky]; oy++) {
                    int src = q + oy * w;
                    int dst = plane + oy * w;
                    for (int ox = lo; ox < hi; ox++) {
                        planes[dst + ox] += col[src + ox];
                    }
                }
            }
        }
        merge(planes, big, (c * n + b) * bigH * bigW);
    }

    /**
     * Splits the {@code 2h x 2w} image at {@code image} into its phase planes
     * {@code planes[a][e][i][j] = big[2i + a][2j + e]}.
     */
    private void split(float[] big, int image, float[] planes) {
        int area = h * w;
        for (int y = 0; y < bigH; y++) {
            int src = image + y * bigW;
            int even = ((y & 1) * 2) * area + (y >> 1) * w;
            int odd = even + area;
            for (int j = 0; j < w; j++) {
                planes[even + j] = big[src + 2 * j];
                planes[odd + j] = big[src + 2 * j + 1];
            }
        }
    }

    /** The inverse of {@link #split}: writes the phase planes into the {@code 2h x 2w} image at {@code image}. */
    private void merge(float[] planes, float[] big, int image) {
        int area = h * w;
        for (int y = 0; y < bigH; y++) {
            int dst = image + y * bigW;
            int even = ((y & 1) * 2) * area + (y >> 1) * w;
            int odd = even + area;
            for (int j = 0; j < w; j++) {
                big[dst + 2 * j] = planes[even + j];
                big[dst + 2 * j + 1] = planes[odd + j];
            }
        }
    }
}
