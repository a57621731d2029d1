package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.core.image.GrayImage;

/**
 * A normal image with one synthetic defect and where it is.
 *
 * @param image the changed image (the original's valid-pixel mask)
 * @param mask  {@code true} exactly where {@code image} differs from the original, row-major; every such pixel
 *              differs by at least the generator's minimum change, every other pixel is bit-identical
 * @param kind  the kind of defect, or {@code null} when no region with a visible change was found
 */
public record Defect(GrayImage image, boolean[] mask, DefectKind kind) {
    /** @return the number of changed pixels */
    public int area() {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
