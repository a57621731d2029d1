package io.github.deepc.anomaly.models.conv;

import java.nio.FloatBuffer;
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
 * <p>The column matrix is a {@link FloatBuffer}: in the engine the native buffer that the matrix product reads or
 * writes, so the columns never exist on the heap. Work is split into units of one channel and a run of images whose
 * columns pass through a small heap buffer (in cache) and move to or from the column matrix in one bulk copy per tap.
 *
 * <p>Hand-written because ND4J's own {@code im2col} produces {@code [batch, channel, k, k, h, w]}, which its
 * convolution then permutes and copies again before the matrix product; this layout needs no permutation.
 */
final class StrideTwoGrid {
    /** Values per tap row segment that {@link #imagesPerUnit} aims at. */
    private static final int SEGMENT_VALUES = 2048;

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
     * @param col      receives {@code [channels * k * k][n * h * w]} from index 0 (typically a matrix's native buffer)
     */
    void im2col(float[] big, int channels, int n, FloatBuffer col) {
        int area = h * w;
        // each unit (a channel and a run of images) writes its own segment of its own rows
        forEachUnit(channels, n, (c, first, count, planes, unit) -> {
            int segment = count * area;
            for (int j = 0; j < count; j++) {
                gather(big, (c * n + first + j) * bigH * bigW, planes, unit, j * area, segment);
            }
            for (int t = 0; t < k * k; t++) {
                col.put((c * k * k + t) * n * area + first * area, unit, t * segment, segment);
            }
        });
    }

    /** The work of {@link #im2col} or {@link #col2im} for one unit: channel {@code c}, {@code count} images. */
    @FunctionalInterface
    private interface UnitWork {
        /**
         * @param c      the channel
         * @param first  the unit's first image
         * @param count  its images
         * @param planes scratch for one image's phase planes
         * @param unit   scratch for the unit's columns, {@code k * k} row segments of {@code count * h * w} values
         */
        void run(int c, int first, int count, float[] planes, float[] unit);
    }

    /** Runs {@code work} for every unit of {@code channels} channels of {@code n} images, split over the workers. */
    private void forEachUnit(int channels, int n, UnitWork work) {
        int area = h * w;
        int chunk = imagesPerUnit(n);
        int chunks = (n + chunk - 1) / chunk;
        ParallelRanges.run(channels * chunks, (long) k * k * chunk * area, (from, to) -> {
            float[] planes = new float[4 * area];
            float[] unit = new float[k * k * chunk * area];
            for (int u = from; u < to; u++) {
                int first = (u % chunks) * chunk;
                work.run(u / chunks, first, Math.min(chunk, n - first), planes, unit);
            }
        });
    }

    /**
     * Images per unit of work of {@link #im2col} and {@link #col2im}: enough that each tap's row segment is one bulk
     * copy of a few thousand values, few enough that a unit's columns stay in the core's cache on their way between
     * the image and the (native) column matrix.
     */
    private int imagesPerUnit(int n) {
        return Math.max(1, Math.min(n, SEGMENT_VALUES / (h * w)));
    }

    /**
     * The columns of one image into a unit's buffer: tap {@code t}'s {@code h * w} values go to
     * {@code unit[t * rowStride + offset ...]}. One strided pass splits the image into its four phase planes, after
     * which every tap is a contiguous block copy of one plane (see the class comment).
     */
    private void gather(float[] big, int image, float[] planes, float[] unit, int offset, int rowStride) {
        int area = h * w;
        split(big, image, planes);
        for (int ky = 0; ky < k; ky++) {
            int top = rowLo[ky];
            int bottom = rowHi[ky];
            for (int kx = 0; kx < k; kx++) {
                int q = (ky * k + kx) * rowStride + offset;
                int dx = shift[kx];
                if (bottom <= top) {
                    Arrays.fill(unit, q, q + area, 0f);
                    continue;
                }
                if (top > 0) {
                    Arrays.fill(unit, q, q + top * w, 0f);
                }
                if (bottom < h) {
                    Arrays.fill(unit, q + bottom * w, q + area, 0f);
                }
                // the rows [top, bottom) of this tap are plane values shifted by (dy, dx): one copy, after which
                // the column(s) that the shift carried across a row edge are set back to zero
                int plane = (phase[ky] * 2 + phase[kx]) * area + shift[ky] * w + dx;
                int first = top * w + Math.max(0, -dx);
                int end = bottom * w - Math.max(0, dx);
                if (end > first) {
                    System.arraycopy(planes, plane + first, unit, q + first, end - first);
                }
                int lo = colLo[kx];
                int hi = colHi[kx];
                for (int oy = top; oy < bottom; oy++) {
                    int row = q + oy * w;
                    for (int ox = 0; ox < lo; ox++) {
                        unit[row + ox] = 0f;
                    }
                    for (int ox = Math.max(hi, lo); ox < w; ox++) {
                        unit[row + ox] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Scatters a column matrix back, summing taps that meet the same position and dropping those outside the big
     * grid: the adjoint of {@link #im2col}.
     *
     * @param col      {@code [channels * k * k][n * h * w]} from index 0 (typically a matrix's native buffer)
     * @param channels channels of {@code big}
     * @param n        images
     * @param big      receives {@code [channels][n][2h][2w]} (overwritten)
     */
    void col2im(FloatBuffer col, int channels, int n, float[] big) {
        int area = h * w;
        // each unit sums into its own images of big, taps in the serial order
        forEachUnit(channels, n, (c, first, count, planes, unit) -> {
            int segment = count * area;
            for (int t = 0; t < k * k; t++) {
                col.get((c * k * k + t) * n * area + first * area, unit, t * segment, segment);
            }
            for (int j = 0; j < count; j++) {
                scatter(unit, j * area, segment, planes, big, (c * n + first + j) * bigH * bigW);
            }
        });
    }

    /**
     * One image's columns from a unit's buffer (see {@link #gather}) summed into the image at {@code image}: the taps
     * are summed into the four phase planes in the order {@code ky, kx} (so every big position receives its terms in
     * the same order as a direct scatter), then one strided pass interleaves the planes into the image.
     */
    private void scatter(float[] unit, int offset, int rowStride, float[] planes, float[] big, int image) {
        Arrays.fill(planes, 0f);
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int q = (ky * k + kx) * rowStride + offset;
                int plane = (phase[ky] * 2 + phase[kx]) * h * w + shift[ky] * w + shift[kx];
                int lo = colLo[kx];
                int hi = colHi[kx];
                for (int oy = rowLo[ky]; oy < rowHi[ky]; oy++) {
                    int src = q + oy * w;
                    int dst = plane + oy * w;
                    for (int ox = lo; ox < hi; ox++) {
                        planes[dst + ox] += unit[src + ox];
                    }
                }
            }
        }
        merge(planes, big, image);
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
