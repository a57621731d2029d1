package io.github.deepc.anomaly.core.phantom;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;

/**
 * One bone of the hand model. Its shapes live in a local frame (model units, 1000 = image side before the pose):
 * the long axis runs along +x from 0 to {@link #length}, centred on y = 0; {@link #toPixels} maps the frame into
 * the image.
 */
final class Bone {
    /** Which anomalies may be placed on a bone. */
    enum Use {
        /** Carpals and short bones: no anomaly. */
        NONE,
        /** Fractures and implants, not lesions (middle phalanges). */
        FRACTURE_IMPLANT,
        /** Any anomaly (metacarpals, proximal phalanges, radius). */
        ANY
    }

    final String name;
    final Area outer;
    final Area inner;
    final AffineTransform toPixels;
    final double length;
    final double width;
    final float cortex;
    final float medulla;
    final double tMin;
    final double tMax;
    final Use use;

    Bone(String name, Area outer, Area inner, AffineTransform toPixels, double length, double width, float cortex,
            float medulla, double tMin, double tMax, Use use) {
        this.name = name;
        this.outer = outer;
        this.inner = inner;
        this.toPixels = toPixels;
        this.length = length;
        this.width = width;
        this.cortex = cortex;
        this.medulla = medulla;
        this.tMin = tMin;
        this.tMax = tMax;
        this.use = use;
    }

    Shape px(Shape local) {
        return toPixels.createTransformedShape(local);
    }

    /** Adds this bone's density (cortex over the outer shape, medulla inside) to a layer. */
    void render(CoverageCanvas canvas, float[] layer) {
        render(canvas, layer, outer, inner, 1f);
    }

    /** Adds (sign = 1) or removes (sign = -1) the density of the given local shapes with this bone's values. */
    void render(CoverageCanvas canvas, float[] layer, Area localOuter, Area localInner, float sign) {
        canvas.add(px(localOuter), sign * cortex, layer);
        canvas.add(px(localInner), -sign * (cortex - medulla), layer);
    }

    /**
     * A long-bone outline: a capsule shaft with an elliptical base (at x = 0) and head (at x = length).
     *
     * @param length  axis length
     * @param shaftW  shaft width
     * @param baseW   base width
     * @param headW   head width
     * @param baseLen length of the base ellipse
     * @param headLen length of the head ellipse
     * @param inset   how far the outline is pulled in (0 for the periosteal outline, the cortex thickness for the
     *                medullary one)
     * @return the outline
     */
    static Area longBone(double length, double shaftW, double baseW, double headW, double baseLen, double headLen,
            double inset) {
        double sw = Math.max(shaftW - 2 * inset, 0.1);
        double bw = Math.max(baseW - 2 * inset, 0.1);
        double hw = Math.max(headW - 2 * inset, 0.1);
        double bl = Math.max(baseLen - 2 * inset, 0.1);
        double hl = Math.max(headLen - 2 * inset, 0.1);
        double len = Math.max(length - 2 * inset, 0.2);
        Area a = new Area(new RoundRectangle2D.Double(inset, -sw / 2, len, sw, sw, sw));
        a.add(new Area(new Ellipse2D.Double(inset, -bw / 2, bl, bw)));
        a.add(new Area(new Ellipse2D.Double(inset + len - hl, -hw / 2, hl, hw)));
        return a;
    }

    /**
     * An elliptical outline along the axis, for carpal bones.
     *
     * @param length axis length
     * @param height extent across the axis
     * @param inset  how far the outline is pulled in
     * @return the outline
     */
    static Area ellipse(double length, double height, double inset) {
        double l = Math.max(length - 2 * inset, 0.2);
        double h = Math.max(height - 2 * inset, 0.2);
        return new Area(new Ellipse2D.Double(inset, -h / 2, l, h));
    }
}
