package io.github.deepc.anomaly.core.detector;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-time augmentation by small shifts: copies of a preprocessed image moved by {@code d = max(1, round(3 % of
 * the larger side))} pixels right, left, down, up, then along the diagonals, in that fixed order (no randomness, so
 * an image's score depends on nothing else). Pixels shifted in from outside are invalid. Shifts, not flips: a
 * radiograph's left and right are not interchangeable (the heart, the side marker).
 */
final class TestTimeShifts {
    /** The most shifted copies. */
    static final int MAX = 8;
    private static final int[][] OFFSETS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}};

    private TestTimeShifts() {
    }

    /**
     * @param shifts a number of shifted copies
     * @return it, when within 0 to {@link #MAX}
     * @throws IllegalArgumentException naming the setting otherwise
     */
    static int check(int shifts) {
        if (shifts < 0 || shifts > MAX) {
            throw new IllegalArgumentException("testTimeShifts must be 0 to " + MAX + ", got " + shifts);
        }
        return shifts;
    }

    /**
     * @param image  a preprocessed image
     * @param shifts how many copies
     * @return the shifted copies, in the fixed order
     */
    static List<GrayImage> of(GrayImage image, int shifts) {
        int w = image.width();
        int h = image.height();
        int d = Math.max(1, (int) Math.round(0.03 * Math.max(w, h)));
        float[] src = image.unsafePixels();
        boolean[] valid = image.unsafeMask();
        List<GrayImage> out = new ArrayList<>(shifts);
        for (int k = 0; k < shifts; k++) {
            int dx = OFFSETS[k][0] * d;
            int dy = OFFSETS[k][1] * d;
            float[] px = new float[w * h];
            boolean[] mask = new boolean[w * h];
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = x - dx;
                    if (sx >= 0 && sx < w) {
                        px[y * w + x] = src[sy * w + sx];
                        mask[y * w + x] = valid[sy * w + sx];
                    }
                }
            }
            out.add(GrayImage.of(w, h, px, mask));
        }
        return out;
    }
}
