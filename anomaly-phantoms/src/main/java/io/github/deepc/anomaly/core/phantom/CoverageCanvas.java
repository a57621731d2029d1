package io.github.deepc.anomaly.core.phantom;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Rasterises shapes with antialiased Java2D into coverage values and adds them, weighted, to float layers.
 * Uses an off-screen {@link BufferedImage} only, so it works headless; one instance per rendering (not thread-safe).
 */
final class CoverageCanvas implements AutoCloseable {
    private final int size;
    private final Graphics2D g;
    private final byte[] data;
    private final Rectangle frame;

    CoverageCanvas(int size) {
        this.size = size;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        this.data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        this.frame = new Rectangle(0, 0, size, size);
        this.g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
    }

    /** @return the side of the square canvas in pixels */
    int size() {
        return size;
    }

    /**
     * Adds {@code weight * coverage(shape)} to {@code target}.
     *
     * @param shape  the shape in pixel coordinates
     * @param weight what full coverage adds
     * @param target row-major layer of {@code size * size} values
     */
    void add(Shape shape, float weight, float[] target) {
        Rectangle r = shape.getBounds();
        r.grow(1, 1);
        r = r.intersection(frame);
        if (r.isEmpty()) {
            return;
        }
        g.fill(shape);
        for (int y = r.y; y < r.y + r.height; y++) {
            int row = y * size;
            for (int x = r.x; x < r.x + r.width; x++) {
                int v = data[row + x] & 0xff;
                if (v != 0) {
                    target[row + x] += weight * (v / 255f);
                    data[row + x] = 0;
                }
            }
        }
    }

    /**
     * Blends {@code value} over {@code target} by the shape's coverage: {@code t = t * (1 - c) + value * c}.
     *
     * @param shape  the shape in pixel coordinates
     * @param value  the value at full coverage
     * @param target row-major layer of {@code size * size} values
     */
    void paint(Shape shape, float value, float[] target) {
        float[] c = new float[size * size];
        add(shape, 1f, c);
        for (int i = 0; i < c.length; i++) {
            if (c[i] != 0f) {
                target[i] = target[i] * (1f - c[i]) + value * c[i];
            }
        }
    }

    @Override
    public void close() {
        g.dispose();
    }
}
