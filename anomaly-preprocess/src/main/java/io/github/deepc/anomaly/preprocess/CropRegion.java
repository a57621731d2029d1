package io.github.deepc.anomaly.preprocess;

/**
 * An axis-aligned rectangle of pixels that a cropping stage ({@code square-crop}, {@code body-part-crop}) found:
 * columns {@code x .. x + width - 1}, rows {@code y .. y + height - 1}.
 *
 * @param x      first column
 * @param y      first row
 * @param width  width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param source how it was found, for notes and inspection (e.g. {@code threshold 132}, {@code canny},
 *               {@code dnn class 1 confidence 0.91}, {@code otsu component})
 */
public record CropRegion(int x, int y, int width, int height, String source) {
    /** Validates the rectangle. */
    public CropRegion {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("invalid crop region " + x + "," + y + " " + width + "x" + height);
        }
        source = source == null ? "" : source;
    }

    /**
     * @param imageWidth  image width
     * @param imageHeight image height
     * @return whether the region covers the whole image
     */
    public boolean coversWhole(int imageWidth, int imageHeight) {
        return x == 0 && y == 0 && width == imageWidth && height == imageHeight;
    }

    /**
     * Grows the rectangle by a fraction of its size on every side and clamps it to the image.
     *
     * @param margin      fraction of the width added left and right, and of the height added top and bottom
     * @param imageWidth  image width
     * @param imageHeight image height
     * @return the grown, clamped region
     */
    public CropRegion grow(double margin, int imageWidth, int imageHeight) {
        int dx = (int) Math.round(width * margin);
        int dy = (int) Math.round(height * margin);
        int x0 = Math.max(0, x - dx);
        int y0 = Math.max(0, y - dy);
        int x1 = Math.min(imageWidth, x + width + dx);
        int y1 = Math.min(imageHeight, y + height + dy);
        return new CropRegion(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0), source);
    }

    @Override
    public String toString() {
        return x + "," + y + " " + width + "x" + height + (source.isEmpty() ? "" : " (" + source + ")");
    }
}
