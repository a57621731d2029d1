package io.github.deepc.anomaly.models.selfsup;

import java.util.SplittableRandom;

/**
 * A random irregular region: an ellipse of random size, elongation and angle whose radius is modulated by a few
 * low-frequency harmonics (blobs), or a thin one (fracture-like lines), restricted to the valid pixels and centred on
 * one of them.
 */
final class DefectRegion {
    /** Share of regions drawn thin (minor axis 5-20 % of the major one, at least one pixel). */
    private static final double THIN_SHARE = 0.3;

    final boolean[] inside;
    final int centreX;
    final int centreY;
    final int minX;
    final int maxX;
    final int minY;
    final int maxY;

    private DefectRegion(boolean[] inside, int centreX, int centreY, int minX, int maxX, int minY, int maxY) {
        this.inside = inside;
        this.centreX = centreX;
        this.centreY = centreY;
        this.minX = minX;
        this.maxX = maxX;
        this.minY = minY;
        this.maxY = maxY;
    }

    /**
     * @param width   image width
     * @param height  image height
     * @param valid   the valid pixels, at least one
     * @param minSize smallest major axis as a share of the shorter side
     * @param maxSize largest major axis as a share of the shorter side
     * @param rng     randomness
     * @return the region (possibly only its centre pixel for tiny sizes)
     */
    static DefectRegion random(int width, int height, boolean[] valid, double minSize, double maxSize,
                               SplittableRandom rng) {
        int[] centre = randomValidPixel(valid, width, rng);
        int cx = centre[0];
        int cy = centre[1];
        int side = Math.min(width, height);
        // log-uniform: small defects (thin fractures, small nodules) are as likely per octave as large ones
        double major = Math.max(1.0, side * minSize * Math.pow(maxSize / minSize, rng.nextDouble()));
        double minor = rng.nextDouble() < THIN_SHARE
                ? Math.max(1.0, major * (0.05 + 0.15 * rng.nextDouble()))
                : Math.max(1.0, major * (0.3 + 0.7 * rng.nextDouble()));
        double angle = rng.nextDouble() * Math.PI;
        double[] amp = new double[3];
        double[] phase = new double[3];
        double ampSum = 0;
        for (int k = 0; k < 3; k++) {
            amp[k] = 0.2 * rng.nextDouble();
            phase[k] = 2 * Math.PI * rng.nextDouble();
            ampSum += amp[k];
        }
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double a = major / 2;
        double b = minor / 2;
        int reach = (int) Math.ceil(a * (1 + ampSum)) + 1;
        int x0 = Math.max(0, cx - reach);
        int x1 = Math.min(width - 1, cx + reach);
        int y0 = Math.max(0, cy - reach);
        int y1 = Math.min(height - 1, cy + reach);
        boolean[] inside = new boolean[width * height];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int i = y * width + x;
                if (!valid[i]) {
                    continue;
                }
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                double r = Math.sqrt(u * u + v * v);
                double phi = Math.atan2(v, u);
                double limit = 1;
                for (int k = 0; k < 3; k++) {
                    limit += amp[k] * Math.cos((k + 2) * phi + phase[k]);
                }
                inside[i] = r <= limit || (x == cx && y == cy);
            }
        }
        return new DefectRegion(inside, cx, cy, x0, x1, y0, y1);
    }

    /**
     * @return {x, y} of a uniformly drawn valid pixel
     * @throws IllegalArgumentException when no pixel is valid
     */
    static int[] randomValidPixel(boolean[] valid, int width, SplittableRandom rng) {
        int count = 0;
        for (boolean v : valid) {
            if (v) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the image has no valid pixel to place a defect on");
        }
        int pick = rng.nextInt(count);
        for (int i = 0; i < valid.length; i++) {
            if (valid[i] && pick-- == 0) {
                return new int[] {i % width, i / width};
            }
        }
        throw new AssertionError("unreachable");
    }
}
