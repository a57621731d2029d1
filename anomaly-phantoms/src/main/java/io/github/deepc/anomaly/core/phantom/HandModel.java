package io.github.deepc.anomaly.core.phantom;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The geometry of one posed hand: a left hand in model units (1000 = image side; fingers up, thumb on the image's
 * right, as a left hand looks in a PA view), mirrored for a right hand, then rotated, scaled and shifted into the
 * image. Every random draw happens in the constructor, in a fixed order.
 */
final class HandModel {
    private static final double CX = 500;
    private static final double CY = 560;
    private static final double JOINT_GAP = 8;

    // index, middle, ring, little: metacarpal bases, knuckles (metacarpal heads), finger angles (deg, + = toward
    // the thumb side), how much each follows the global spread, phalanx lengths, bone widths, finger widths
    private static final double[][] MC_BASE = {{550, 703}, {510, 700}, {472, 706}, {440, 716}};
    private static final double[][] KNUCKLE = {{592, 528}, {520, 518}, {454, 528}, {394, 552}};
    private static final double[] FINGER_ANGLE = {7, 1, -6, -15};
    private static final double[] SPREAD_WEIGHT = {0.6, 0.1, -0.5, -1.0};
    private static final double[][] PHALANX_LEN = {{108, 62, 46}, {122, 76, 51}, {113, 70, 50}, {89, 50, 44}};
    private static final double[][] PHALANX_W = {{34, 29, 23}, {35, 30, 24}, {33, 28, 22}, {29, 25, 20}};
    private static final double[] MC_W = {36, 36, 32, 30};
    private static final double[] FINGER_W = {57, 59, 55, 50};
    /** The model is drawn this much larger than its coordinates, around the pose centre. */
    private static final double MODEL_SCALE = 1.12;
    /** How far the pose centre sits above the model's, in model units: the hand fills the frame upwards. */
    private static final double LIFT = 75;

    final boolean rightHand;
    final double pxPerUnit;
    final List<Bone> bones = new ArrayList<>();
    final Shape tissue;
    private final AffineTransform pose;

    /**
     * Draws the pose and builds the bones and the soft-tissue outline.
     *
     * @param rng      the generator's random stream, advanced by a fixed number of draws
     * @param size     image side in pixels
     * @param s        the ranges
     * @param cortex   mean cortical density of the bones
     * @param medullaRatio medullary density as a fraction of the cortical one
     */
    HandModel(SplittableRandom rng, int size, HandPhantomGenerator s, float cortex, float medullaRatio) {
        rightHand = rng.nextBoolean();
        double rot = Math.toRadians(uniform(rng, -s.maxRotationDegrees(), s.maxRotationDegrees()));
        double scale = uniform(rng, s.minScale(), s.maxScale());
        double tx = uniform(rng, -s.maxTranslation(), s.maxTranslation()) * 1000;
        double ty = uniform(rng, -s.maxTranslation(), s.maxTranslation()) * 1000;
        double spread = uniform(rng, -1, 1) * s.maxFingerSpreadDegrees();
        double thumbSpread = uniform(rng, -1, 1) * s.maxFingerSpreadDegrees();
        double[] jitter = new double[4];
        for (int i = 0; i < 4; i++) {
            jitter[i] = uniform(rng, -0.35, 0.35) * s.maxFingerSpreadDegrees();
        }
        double[] lengthScale = new double[5];
        for (int i = 0; i < 5; i++) {
            lengthScale[i] = uniform(rng, 0.95, 1.05);
        }

        pxPerUnit = size / 1000.0 * scale * MODEL_SCALE;
        pose = new AffineTransform();
        pose.scale(size / 1000.0, size / 1000.0);
        pose.translate(CX + tx, CY + ty - LIFT);
        pose.concatenate(rotation(rot));
        pose.scale(scale * MODEL_SCALE, scale * MODEL_SCALE);
        pose.translate(-CX, -CY);
        if (rightHand) {
            pose.concatenate(new AffineTransform(-1, 0, 0, 1, 1000, 0));
        }

        Area t = new Area();
        // forearm stub with radius and ulna
        Path2D forearm = polygon(new double[][] {{388, 790}, {630, 790}, {640, 1120}, {380, 1120}});
        t.add(new Area(forearm));
        addLong(rng, cortex, medullaRatio, "radius", p(550, 1100), p(553, 826), 54, 54, 86, 40, 64, 0.62, 0.85,
                Bone.Use.ANY);
        addLong(rng, cortex, medullaRatio, "ulna", p(452, 1100), p(457, 840), 34, 34, 42, 30, 40, 0.7, 0.88,
                Bone.Use.NONE);
        // carpals: proximal row, then distal row; a little less dense, they overlap
        float carpal = 0.85f * cortex;
        addCarpal(rng, carpal, medullaRatio, "scaphoid", 576, 784, 66, 32, -50);
        addCarpal(rng, carpal, medullaRatio, "lunate", 524, 796, 42, 38, 0);
        addCarpal(rng, carpal, medullaRatio, "triquetrum", 479, 786, 38, 30, 25);
        addCarpal(rng, 0.6f * carpal, medullaRatio, "pisiform", 467, 800, 24, 23, 0);
        addCarpal(rng, carpal, medullaRatio, "trapezium", 598, 742, 40, 32, -35);
        addCarpal(rng, carpal, medullaRatio, "trapezoid", 558, 730, 34, 28, 10);
        addCarpal(rng, carpal, medullaRatio, "capitate", 514, 742, 60, 36, 90);
        addCarpal(rng, carpal, medullaRatio, "hamate", 470, 748, 50, 36, 75);

        // thumb: metacarpal and two phalanges
        double thumbAngle = 40 + thumbSpread;
        Point2D cmc = p(614, 720);
        Point2D[] tj = new Point2D[4];
        tj[0] = cmc;
        double[] thumbLen = {118, 84, 62};
        double[] thumbW = {38, 34, 28};
        double[] thumbAngles = {thumbAngle, thumbAngle - 7, thumbAngle - 11};
        for (int k = 0; k < 3; k++) {
            tj[k + 1] = step(tj[k], thumbAngles[k], thumbLen[k] * lengthScale[4]);
        }
        addLong(rng, cortex, medullaRatio, "thumb-metacarpal", tj[0], shorten(tj[1], tj[0], JOINT_GAP / 2),
                0.62 * thumbW[0], 0.95 * thumbW[0], thumbW[0], 30, 32, 0.3, 0.7, Bone.Use.ANY);
        addPhalanx(rng, cortex, medullaRatio, "thumb-proximal", tj[1], tj[2], thumbW[1], false, Bone.Use.ANY);
        addPhalanx(rng, cortex, medullaRatio, "thumb-distal", tj[2], tj[3], thumbW[2], true, Bone.Use.NONE);
        Point2D thumbTip = step(tj[3], thumbAngles[2], 12);
        t.add(new Area(stroke(new double[][] {xy(mid(tj[0], tj[1], 0.2)), xy(tj[1])}, 92)));
        t.add(new Area(stroke(new double[][] {xy(tj[1]), xy(tj[2])}, 66)));
        t.add(new Area(stroke(new double[][] {xy(tj[2]), xy(thumbTip)}, 58)));

        // palm outline: little-finger side, knuckles, thumb web, thenar side, wrist
        Point2D web = mid(tj[0], tj[1], 0.7);
        Path2D palm = polygon(new double[][] {
            {384, 720}, {374, 580}, {396, 534}, {454, 510}, {520, 500}, {592, 512}, {622, 542},
            {web.getX() - 16, web.getY() + 12}, {tj[0].getX() + 18, tj[0].getY() + 30}, {622, 800}, {400, 800}});
        t.add(new Area(palm));
        t.add(new Area(new BasicStroke(28f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND).createStrokedShape(palm)));

        // fingers: metacarpal and three phalanges each
        String[] names = {"index", "middle", "ring", "little"};
        for (int f = 0; f < 4; f++) {
            double angle = FINGER_ANGLE[f] + SPREAD_WEIGHT[f] * spread + jitter[f];
            Point2D base = p(MC_BASE[f][0], MC_BASE[f][1]);
            Point2D knuckle = p(KNUCKLE[f][0], KNUCKLE[f][1]);
            double w = MC_W[f];
            addLong(rng, cortex, medullaRatio, names[f] + "-metacarpal", base, shorten(knuckle, base, JOINT_GAP / 2),
                    0.6 * w, 0.95 * w, w, 32, 36, 0.3, 0.7, Bone.Use.ANY);
            Point2D[] j = new Point2D[4];
            j[0] = knuckle;
            for (int k = 0; k < 3; k++) {
                j[k + 1] = step(j[k], angle - 1.5 * k * Math.signum(FINGER_ANGLE[f]),
                        PHALANX_LEN[f][k] * lengthScale[f]);
            }
            addPhalanx(rng, cortex, medullaRatio, names[f] + "-proximal", j[0], j[1], PHALANX_W[f][0], false,
                    Bone.Use.ANY);
            addPhalanx(rng, cortex, medullaRatio, names[f] + "-middle", j[1], j[2], PHALANX_W[f][1], false,
                    Bone.Use.FRACTURE_IMPLANT);
            addPhalanx(rng, cortex, medullaRatio, names[f] + "-distal", j[2], j[3], PHALANX_W[f][2], true,
                    Bone.Use.NONE);
            Point2D tip = step(j[3], angle, 10);
            double fw = FINGER_W[f];
            t.add(new Area(stroke(new double[][] {xy(mid(base, knuckle, 0.6)), xy(j[1])}, fw)));
            t.add(new Area(stroke(new double[][] {xy(j[1]), xy(j[2])}, 0.93 * fw)));
            t.add(new Area(stroke(new double[][] {xy(j[2]), xy(tip)}, 0.85 * fw)));
        }
        tissue = pose.createTransformedShape(t);
    }

    private void addPhalanx(SplittableRandom rng, float cortex, float ratio, String name, Point2D from, Point2D to,
            double w, boolean distal, Bone.Use use) {
        Point2D a = shorten(from, to, JOINT_GAP / 2);
        Point2D b = shorten(to, from, distal ? 0 : JOINT_GAP / 2);
        double len = a.distance(b);
        if (distal) {
            addLong(rng, cortex, ratio, name, a, b, 0.55 * w, w, 0.75 * w, 0.45 * len, 0.4 * len, 0.3, 0.7, use);
        } else {
            addLong(rng, cortex, ratio, name, a, b, 0.64 * w, w, 0.85 * w, Math.min(0.4 * len, 1.0 * w),
                    Math.min(0.35 * len, 0.9 * w), 0.3, 0.7, use);
        }
    }

    private void addLong(SplittableRandom rng, float cortex, float ratio, String name, Point2D a, Point2D b,
            double shaftW, double baseW, double headW, double baseLen, double headLen, double tMin, double tMax,
            Bone.Use use) {
        double len = a.distance(b);
        double inset = Math.max(0.2 * shaftW, 2.5);
        Area outer = Bone.longBone(len, shaftW, baseW, headW, baseLen, headLen, 0);
        Area inner = Bone.longBone(len, shaftW, baseW, headW, baseLen, headLen, inset);
        add(rng, cortex, ratio, name, outer, inner, a, b, len, shaftW, tMin, tMax, use);
    }

    private void addCarpal(SplittableRandom rng, float cortex, float ratio, String name, double cx, double cy,
            double len, double h, double angleDeg) {
        double c = StrictMath.cos(Math.toRadians(angleDeg));
        double sn = StrictMath.sin(Math.toRadians(angleDeg));
        Point2D a = p(cx - c * len / 2, cy - sn * len / 2);
        Point2D b = p(cx + c * len / 2, cy + sn * len / 2);
        double inset = Math.max(0.18 * Math.min(len, h), 2.5);
        add(rng, cortex, ratio, name, Bone.ellipse(len, h, 0), Bone.ellipse(len, h, inset), a, b, len, h, 0.5, 0.5,
                Bone.Use.NONE);
    }

    private void add(SplittableRandom rng, float cortex, float ratio, String name, Area outer, Area inner, Point2D a,
            Point2D b, double len, double width, double tMin, double tMax, Bone.Use use) {
        float c = (float) (cortex * uniform(rng, 0.93, 1.07));
        double ux = (b.getX() - a.getX()) / len;
        double uy = (b.getY() - a.getY()) / len;
        AffineTransform toPx = new AffineTransform(pose);
        toPx.concatenate(new AffineTransform(ux, uy, -uy, ux, a.getX(), a.getY()));
        bones.add(new Bone(name, outer, inner, toPx, len, width, c, c * ratio, tMin, tMax, use));
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    static AffineTransform rotation(double theta) {
        double c = StrictMath.cos(theta);
        double s = StrictMath.sin(theta);
        return new AffineTransform(c, s, -s, c, 0, 0);
    }

    private static Point2D p(double x, double y) {
        return new Point2D.Double(x, y);
    }

    private static double[] xy(Point2D p) {
        return new double[] {p.getX(), p.getY()};
    }

    private static Point2D mid(Point2D a, Point2D b, double t) {
        return p(a.getX() + t * (b.getX() - a.getX()), a.getY() + t * (b.getY() - a.getY()));
    }

    /** {@code from} moved towards {@code to} by {@code d}. */
    private static Point2D shorten(Point2D from, Point2D to, double d) {
        double len = from.distance(to);
        return mid(from, to, d / len);
    }

    /** The point {@code len} from {@code from} in direction {@code angleDeg} (0 = up, positive = towards +x). */
    private static Point2D step(Point2D from, double angleDeg, double len) {
        double r = Math.toRadians(angleDeg);
        return p(from.getX() + StrictMath.sin(r) * len, from.getY() - StrictMath.cos(r) * len);
    }

    private static Path2D polygon(double[][] pts) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(pts[0][0], pts[0][1]);
        for (int i = 1; i < pts.length; i++) {
            path.lineTo(pts[i][0], pts[i][1]);
        }
        path.closePath();
        return path;
    }

    private static Shape stroke(double[][] pts, double width) {
        Shape line = new Line2D.Double(pts[0][0], pts[0][1], pts[1][0], pts[1][1]);
        return new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND).createStrokedShape(line);
    }
}
