package io.github.deepc.anomaly.models.selfsup;

/**
 * Conversions between pixel maps and the localizer's output grid: a defect mask's coverage per cell (the training
 * target) and a bilinear upsampling of the cell probabilities back to the image (the anomaly map). Hand-written: the
 * models module has no image library, and both are a few lines.
 */
final class Grids {
    private Grids() {
    }

    /**
     * @param mask   a {@code width x height} mask, row-major
     * @param width  image width, {@code cell * gridWidth}
     * @param height image height, {@code cell * gridHeight}
     * @param cell   cell side in pixels
     * @param target receives, from {@code offset}, the share of each cell's pixels in the mask, row-major
     * @param offset where the grid starts in {@code target}
     */
    static void coverage(boolean[] mask, int width, int height, int cell, float[] target, int offset) {
        int gw = width / cell;
        int gh = height / cell;
        float area = cell * cell;
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                int count = 0;
                for (int y = gy * cell; y < (gy + 1) * cell; y++) {
                    for (int x = gx * cell, i = y * width + x; x < (gx + 1) * cell; x++, i++) {
                        if (mask[i]) {
                            count++;
                        }
                    }
                }
                target[offset + gy * gw + gx] = count / area;
            }
        }
    }

    /**
     * Bilinear upsampling with cell centres at {@code (g + 0.5) * cell - 0.5} and edges clamped (OpenCV's
     * {@code INTER_LINEAR}, PyTorch's {@code align_corners=False}).
     *
     * @param grid   {@code gridHeight x gridWidth} values from {@code offset}
     * @param offset where the grid starts
     * @param gw     grid width
     * @param gh     grid height
     * @param width  output width
     * @param height output height
     * @return the {@code width x height} map, row-major
     */
    static float[] upsample(float[] grid, int offset, int gw, int gh, int width, int height) {
        float[] out = new float[width * height];
        double sx = (double) gw / width;
        double sy = (double) gh / height;
        for (int y = 0; y < height; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), gh - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, gh - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), gw - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, gw - 1);
                double wx = fx - x0;
                double top = grid[offset + y0 * gw + x0] * (1 - wx) + grid[offset + y0 * gw + x1] * wx;
                double bottom = grid[offset + y1 * gw + x0] * (1 - wx) + grid[offset + y1 * gw + x1] * wx;
                out[y * width + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }
}
