package io.github.deepc.anomaly.core.phantom;

import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws one anomaly into a density layer that already holds the normal hand. Every shape is built in the chosen
 * bone's local frame (long axis along +x from 0 to its length) and mapped into the image with the bone's transform.
 */
final class Anomalies {
    /** Added density of metal: enough to saturate to white over any bone. */
    private static final float METAL = 1.1f;

    private Anomalies() {
    }

    /**
     * Draws an anomaly of the given kind on a randomly chosen eligible bone.
     *
     * @param kind   FRACTURE, IMPLANT or LESION
     * @param hand   the posed hand
     * @param rng    the anomaly's own random stream
     * @param canvas the rasteriser
     * @param layer  the density layer holding the normal hand; changed in place
     * @param size     factor on the anomaly's default size (1 = default)
     * @param contrast factor on the anomaly's default density change (1 = default)
     */
    static void draw(AnomalyKind kind, HandModel hand, SplittableRandom rng, CoverageCanvas canvas, float[] layer,
            double size, double contrast) {
        List<Bone> candidates = new ArrayList<>();
        for (Bone b : hand.bones) {
            if (b.use == Bone.Use.ANY || (b.use == Bone.Use.FRACTURE_IMPLANT && kind != AnomalyKind.LESION)) {
                candidates.add(b);
            }
        }
        Bone bone = candidates.get(rng.nextInt(candidates.size()));
        double unitsPerPx = 1.0 / hand.pxPerUnit;
        switch (kind) {
            case FRACTURE -> fracture(bone, rng, unitsPerPx, canvas, layer, size, contrast);
            case IMPLANT -> implant(bone, rng, unitsPerPx, canvas, layer, size, contrast);
            case LESION -> lesion(bone, rng, unitsPerPx, canvas, layer, size, contrast);
            default -> throw new IllegalArgumentException("not an anomaly: " + kind);
        }
    }

    /**
     * A thin gap across the bone, the distal side shifted sideways and pulled apart right at the gap (a step-off)
     * with the shift fading out over a short zone, so that the change stays local to the fracture.
     */
    private static void fracture(Bone b, SplittableRandom rng, double unitsPerPx, CoverageCanvas canvas,
            float[] layer, double scale, double contrast) {
        double w = b.width * scale;
        double cx = HandModel.uniform(rng, b.tMin, b.tMax) * b.length;
        double phi = Math.toRadians(HandModel.uniform(rng, -35, 35));
        double gap = Math.max(1.5 * unitsPerPx, HandModel.uniform(rng, 0.12, 0.2) * w);
        double side = rng.nextBoolean() ? 1 : -1;
        double shift = side * Math.max(0.8 * unitsPerPx, HandModel.uniform(rng, 0.18, 0.35) * w);
        double pull = HandModel.uniform(rng, 0, 0.1) * w;
        double zone = Math.max(3 * unitsPerPx, HandModel.uniform(rng, 0.8, 1.3) * w);
        double nx = StrictMath.cos(phi);
        double ny = StrictMath.sin(phi);

        int size = canvas.size();
        float[] bone = new float[size * size];
        b.render(canvas, bone);
        AffineTransform inverse;
        try {
            inverse = b.toPixels.createInverse();
        } catch (NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
        double reach = zone + gap + 2 * w;
        Rectangle box = b.px(new Rectangle2D.Double(cx - reach, -2 * w, 2 * reach, 4 * w)).getBounds();
        box.grow(2, 2);
        box = box.intersection(new Rectangle(0, 0, size, size));
        double[] q = new double[2];
        for (int y = box.y; y < box.y + box.height; y++) {
            for (int x = box.x; x < box.x + box.width; x++) {
                q[0] = x + 0.5;
                q[1] = y + 0.5;
                inverse.transform(q, 0, q, 0, 1);
                double s = (q[0] - cx) * nx + q[1] * ny;
                double gapCover = clamp((gap / 2 - Math.abs(s)) / unitsPerPx + 0.5);
                int i = y * size + x;
                float orig = bone[i];
                double v = orig;
                if (s > 0) {
                    double g = smooth(1 - (s - gap / 2) / zone);
                    if (g > 0) {
                        q[0] -= g * pull;
                        q[1] -= g * shift;
                        b.toPixels.transform(q, 0, q, 0, 1);
                        v = bilinear(bone, size, q[0] - 0.5, q[1] - 0.5);
                    }
                }
                v *= 1 - Math.min(1, contrast) * gapCover;
                layer[i] += (float) (v - orig);
            }
        }
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
    }

    private static double smooth(double t) {
        double c = clamp(t);
        return c * c * (3 - 2 * c);
    }

    private static double bilinear(float[] img, int size, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (1 - fy) * ((1 - fx) * at(img, size, x0, y0) + fx * at(img, size, x0 + 1, y0))
                + fy * ((1 - fx) * at(img, size, x0, y0 + 1) + fx * at(img, size, x0 + 1, y0 + 1));
    }

    private static float at(float[] img, int size, int x, int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0f : img[y * size + x];
    }

    /** A plate (seen edge-on or face-on) with screws, or one or two lag screws; very bright metal. */
    private static void implant(Bone b, SplittableRandom rng, double unitsPerPx, CoverageCanvas canvas,
            float[] layer, double size, double contrast) {
        double w = b.width;
        // widths scale after the clamp to the smallest visible width, so that size matters at small image sizes too
        double minW = 1.3 * unitsPerPx;
        int variant = rng.nextInt(3);
        Area metal = new Area();
        if (variant < 2) {
            double len = HandModel.uniform(rng, 0.45, 0.7) * b.length;
            double centre = HandModel.uniform(rng, b.tMin, b.tMax) * b.length;
            double x0 = Math.max(0.08 * b.length, Math.min(centre - len / 2, 0.92 * b.length - len));
            int screws = 2 + rng.nextInt(3);
            double side = rng.nextBoolean() ? 1 : -1;
            if (variant == 0) {
                // edge-on plate along one cortex, screws crossing the bone
                double pw = Math.max(minW, HandModel.uniform(rng, 0.16, 0.24) * w) * size;
                double y = side * (0.5 * w + 0.5 * pw);
                metal.add(new Area(new RoundRectangle2D.Double(x0, y - pw / 2, len, pw, pw, pw)));
                double sw = Math.max(minW, 0.2 * w) * size;
                double yNear = y + side * (pw / 2 + 0.1 * w);
                double yFar = -side * 0.62 * w;
                double hh = Math.max(minW, 0.14 * w);
                for (int k = 0; k < screws; k++) {
                    double sx = x0 + len * (k + 0.5) / screws;
                    metal.add(new Area(new Rectangle2D.Double(sx - sw / 2, Math.min(yNear, yFar), sw,
                            Math.abs(yNear - yFar))));
                    metal.add(new Area(new Rectangle2D.Double(sx - 0.9 * sw, Math.min(yNear, yNear + side * hh),
                            1.8 * sw, hh)));
                }
            } else {
                // face-on plate over the shaft, screw heads as round dots
                double pw = Math.max(2 * minW, HandModel.uniform(rng, 0.75, 1.0) * w) * Math.min(size, 1.3);
                double off = HandModel.uniform(rng, -0.1, 0.1) * w;
                metal.add(new Area(new RoundRectangle2D.Double(x0, off - pw / 2, len, pw, pw * 0.6, pw * 0.6)));
                double d = 0.6 * pw;
                for (int k = 0; k < screws; k++) {
                    double sx = x0 + len * (k + 0.5) / screws;
                    metal.add(new Area(new Ellipse2D.Double(sx - d / 2, off - d / 2, d, d)));
                }
                // screws hold more metal along the beam: brighter dots
                Area heads = new Area();
                for (int k = 0; k < screws; k++) {
                    double sx = x0 + len * (k + 0.5) / screws;
                    heads.add(new Area(new Ellipse2D.Double(sx - d / 2, off - d / 2, d, d)));
                }
                canvas.add(b.px(heads), (float) (0.5 * METAL * contrast), layer);
            }
        } else {
            // one or two oblique lag screws with heads
            int n = 1 + rng.nextInt(2);
            for (int k = 0; k < n; k++) {
                double sx = HandModel.uniform(rng, b.tMin, b.tMax) * b.length;
                double angle = Math.toRadians(90 + HandModel.uniform(rng, -35, 35));
                double sl = HandModel.uniform(rng, 1.3, 1.6) * w;
                double sw = Math.max(minW, HandModel.uniform(rng, 0.18, 0.26) * w) * size;
                Area screw = new Area(new Rectangle2D.Double(-sl / 2, -sw / 2, sl, sw));
                screw.add(new Area(new RoundRectangle2D.Double(-sl / 2 - 0.15 * w, -sw, 0.2 * w, 2 * sw,
                        0.1 * w, 0.1 * w)));
                AffineTransform at = new AffineTransform();
                at.translate(sx, 0);
                at.concatenate(HandModel.rotation(angle));
                screw.transform(at);
                metal.add(screw);
            }
        }
        canvas.add(b.px(metal), (float) (METAL * contrast), layer);
    }

    /** A round lytic (darker) or sclerotic (brighter) spot inside the bone, with a soft edge. */
    private static void lesion(Bone b, SplittableRandom rng, double unitsPerPx, CoverageCanvas canvas,
            float[] layer, double size, double contrast) {
        double w = b.width * size;
        double cx = HandModel.uniform(rng, b.tMin, b.tMax) * b.length;
        double cy = HandModel.uniform(rng, -0.15, 0.15) * w;
        double r = Math.max(1.2 * unitsPerPx, HandModel.uniform(rng, 0.45, 0.7) * w);
        boolean lytic = rng.nextDouble() < 0.6;
        float amp = (float) (contrast * (lytic ? -0.85f * b.medulla : 0.6f * b.cortex));
        for (double f : new double[] {1.0, 0.65}) {
            Area spot = new Area(new Ellipse2D.Double(cx - f * r, cy - f * r, 2 * f * r, 2 * f * r));
            spot.intersect(b.outer);
            canvas.add(b.px(spot), amp / 2, layer);
        }
    }
}
