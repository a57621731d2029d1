package io.github.deepc.anomaly.core.phantom;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Renders synthetic PA hand radiographs ("phantoms"), each fully determined by its seed: the same seed, anomaly
 * kind and settings give bit-identical pixels on the same JDK.
 *
 * <p>A phantom shows dark air, a soft-tissue hand of medium intensity (palm, five fingers, wrist stub, thicker in
 * the palm than at the skin edge), and brighter bones with a slightly brighter cortical rim: radius and ulna
 * stubs, eight carpals, five metacarpals and the phalanges (three per finger, two for the thumb). Each phantom
 * draws a left or right hand (mirrored), a pose (rotation, scale, translation), finger spread, exposure (gain and
 * offset), a smooth intensity gradient, Gaussian noise, and a very bright burnt-in side marker letter ("L" or "R")
 * in a corner. An anomaly ({@link AnomalyKind}) is drawn last from its own random stream, so a phantom and the
 * same seed rendered with {@link AnomalyKind#NONE} agree exactly outside the anomaly's ground-truth mask; the
 * mask holds the pixels the anomaly changed.
 *
 * <p>Instances are immutable and thread-safe. Rendering uses an off-screen Java2D image only, so it works with
 * {@code java.awt.headless=true}; fonts are not used.
 */
public final class HandPhantomGenerator {
    /** The smallest supported image side in pixels. */
    public static final int MIN_SIZE = 32;
    /** The largest supported image side in pixels. */
    public static final int MAX_SIZE = 4096;
    /** Raw-density difference above which a pixel belongs to the anomaly mask. */
    private static final float MASK_THRESHOLD = 0.01f;
    private static final int ANOMALY_ATTEMPTS = 16;
    private static final float MARKER_DENSITY = 2.0f;
    private static final double KNEE = 0.85;

    /** Region code of {@link #regions}: air. */
    static final byte AIR = 0;
    /** Region code of {@link #regions}: soft tissue fully covering the pixel, no bone. */
    static final byte TISSUE = 1;
    /** Region code of {@link #regions}: bone fully covering the pixel. */
    static final byte BONE = 2;
    /** Region code of {@link #regions}: the side marker. */
    static final byte MARKER = 3;
    /** Region code of {@link #regions}: a partly covered edge pixel. */
    static final byte EDGE = 4;

    private final int size;
    private final double maxRotationDegrees;
    private final double minScale;
    private final double maxScale;
    private final double maxTranslation;
    private final double maxFingerSpreadDegrees;
    private final double minGain;
    private final double maxGain;
    private final double minOffset;
    private final double maxOffset;
    private final double maxGradient;
    private final double minNoiseSigma;
    private final double maxNoiseSigma;
    private final boolean marker;
    private final double minAnomalySize;
    private final double maxAnomalySize;
    private final double minAnomalyContrast;
    private final double maxAnomalyContrast;

    private HandPhantomGenerator(Builder b) {
        this.size = b.size;
        this.maxRotationDegrees = b.maxRotationDegrees;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.maxTranslation = b.maxTranslation;
        this.maxFingerSpreadDegrees = b.maxFingerSpreadDegrees;
        this.minGain = b.minGain;
        this.maxGain = b.maxGain;
        this.minOffset = b.minOffset;
        this.maxOffset = b.maxOffset;
        this.maxGradient = b.maxGradient;
        this.minNoiseSigma = b.minNoiseSigma;
        this.maxNoiseSigma = b.maxNoiseSigma;
        this.marker = b.marker;
        this.minAnomalySize = b.minAnomalySize;
        this.maxAnomalySize = b.maxAnomalySize;
        this.minAnomalyContrast = b.minAnomalyContrast;
        this.maxAnomalyContrast = b.maxAnomalyContrast;
    }

    /**
     * A generator with the default ranges.
     *
     * @param size image side in pixels, {@value #MIN_SIZE} to {@value #MAX_SIZE}
     * @return the generator
     * @throws IllegalArgumentException when the size is out of range
     */
    public static HandPhantomGenerator ofSize(int size) {
        return builder(size).build();
    }

    /**
     * Starts configuring a generator; every range starts at its default.
     *
     * @param size image side in pixels, {@value #MIN_SIZE} to {@value #MAX_SIZE}
     * @return the builder
     * @throws IllegalArgumentException when the size is out of range
     */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /**
     * Renders one phantom.
     *
     * @param seed the seed; with the kind and this generator's settings it fixes every pixel
     * @param kind the anomaly to draw, {@link AnomalyKind#NONE} for a normal hand
     * @return the phantom, {@code size x size}, values in {@code [0, 1]}
     */
    public Phantom generate(long seed, AnomalyKind kind) {
        Objects.requireNonNull(kind, "kind");
        int n = size * size;
        Scene sc = new Scene(seed);
        float[] raw;
        boolean[] mask = new boolean[n];
        try (CoverageCanvas canvas = new CoverageCanvas(size)) {
            float[] base = new float[n];
            Arrays.fill(base, sc.background);
            float[] tissue = new float[n];
            canvas.add(sc.hand.tissue, 1f, tissue);
            int radius = Math.max(1, (int) Math.round(0.03 * sc.hand.pxPerUnit * 1000));
            float[] thick = boxBlur(boxBlur(tissue, radius), radius);
            for (int i = 0; i < n; i++) {
                base[i] += sc.tissueDensity * (0.55f * tissue[i] + 0.45f * Math.min(thick[i], tissue[i]));
            }
            for (Bone b : sc.hand.bones) {
                b.render(canvas, base);
            }
            float[] normal = base.clone();
            if (marker) {
                canvas.paint(sc.marker, MARKER_DENSITY, normal);
            }
            raw = normal;
            if (kind.isAnomaly()) {
                raw = null;
                for (int attempt = 0; attempt < ANOMALY_ATTEMPTS && raw == null; attempt++) {
                    float[] abnormal = base.clone();
                    Anomalies.draw(kind, sc.hand, sc.anomalyRng, canvas, abnormal, sc.anomalySize, sc.anomalyContrast);
                    if (marker) {
                        canvas.paint(sc.marker, MARKER_DENSITY, abnormal);
                    }
                    int changed = 0;
                    for (int i = 0; i < n; i++) {
                        mask[i] = Math.abs(abnormal[i] - normal[i]) > MASK_THRESHOLD;
                        if (mask[i]) {
                            changed++;
                        } else {
                            abnormal[i] = normal[i];
                        }
                    }
                    if (changed > 0) {
                        raw = abnormal;
                    }
                }
                if (raw == null) {
                    throw new IllegalStateException("could not place a visible " + kind + " for seed " + seed
                            + " at size " + size);
                }
            }
        }

        SplittableRandom noiseRng = sc.noiseRng;
        double gain = sc.gain;
        double offset = sc.offset;
        double sigma = sc.sigma;
        double gc = sc.gradient * StrictMath.cos(sc.gradientAngle);
        double gs = sc.gradient * StrictMath.sin(sc.gradientAngle);
        float[] pixels = new float[n];
        double[] noise = new double[2];
        for (int y = 0; y < size; y++) {
            double fy = (y + 0.5) / size - 0.5;
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                if ((i & 1) == 0) {
                    gaussianPair(noiseRng, noise);
                }
                double fx = (x + 0.5) / size - 0.5;
                double v = gain * raw[i] + offset + 2 * (gc * fx + gs * fy);
                if (v > KNEE) {
                    v = KNEE + (1 - KNEE) * StrictMath.tanh((v - KNEE) / (1 - KNEE));
                }
                v += sigma * noise[i & 1];
                pixels[i] = (float) Math.min(1.0, Math.max(0.0, v));
            }
        }
        return new Phantom(GrayImage.wrap(size, size, pixels, null), mask, kind, seed);
    }

    /**
     * The ground-truth anatomy of the normal phantom of a seed, for tests.
     *
     * @param seed the seed
     * @return row-major region codes ({@link #AIR}, {@link #TISSUE}, {@link #BONE}, {@link #MARKER}, {@link #EDGE})
     */
    byte[] regions(long seed) {
        int n = size * size;
        Scene sc = new Scene(seed);
        float[] tissue = new float[n];
        float[] bone = new float[n];
        float[] mark = new float[n];
        try (CoverageCanvas canvas = new CoverageCanvas(size)) {
            canvas.add(sc.hand.tissue, 1f, tissue);
            for (Bone b : sc.hand.bones) {
                canvas.add(b.px(b.outer), 1f, bone);
            }
            if (marker) {
                canvas.add(sc.marker, 1f, mark);
            }
        }
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            if (mark[i] > 0) {
                r[i] = MARKER;
            } else if (bone[i] >= 0.999f) {
                r[i] = BONE;
            } else if (bone[i] == 0f && tissue[i] >= 0.999f) {
                r[i] = TISSUE;
            } else if (bone[i] == 0f && tissue[i] == 0f) {
                r[i] = AIR;
            } else {
                r[i] = EDGE;
            }
        }
        return r;
    }

    /**
     * Every random draw a phantom shares with the other kinds of the same seed, made in a fixed order: tones,
     * the posed hand, exposure, gradient, noise level, marker, then the noise and anomaly streams.
     */
    private final class Scene {
        final float background;
        final float tissueDensity;
        final HandModel hand;
        final double gain;
        final double offset;
        final double gradient;
        final double gradientAngle;
        final double sigma;
        final Shape marker;
        final SplittableRandom noiseRng;
        final SplittableRandom anomalyRng;
        final double anomalySize;
        final double anomalyContrast;

        Scene(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            background = (float) HandModel.uniform(rng, 0.04, 0.10);
            tissueDensity = (float) HandModel.uniform(rng, 0.20, 0.27);
            float cortex = (float) HandModel.uniform(rng, 0.37, 0.45);
            float medullaRatio = (float) HandModel.uniform(rng, 0.68, 0.80);
            hand = new HandModel(rng, size, HandPhantomGenerator.this, cortex, medullaRatio);
            gain = HandModel.uniform(rng, minGain, maxGain);
            offset = HandModel.uniform(rng, minOffset, maxOffset);
            gradient = HandModel.uniform(rng, -maxGradient, maxGradient);
            gradientAngle = HandModel.uniform(rng, 0, 2 * Math.PI);
            sigma = HandModel.uniform(rng, minNoiseSigma, maxNoiseSigma);
            marker = markerShape(rng, hand.rightHand);
            noiseRng = rng.split();
            anomalyRng = rng.split();
            // a stream of its own, split last: the default ranges (1 to 1) keep every earlier phantom bit-identical
            SplittableRandom severityRng = rng.split();
            anomalySize = HandModel.uniform(severityRng, minAnomalySize, maxAnomalySize);
            anomalyContrast = HandModel.uniform(severityRng, minAnomalyContrast, maxAnomalyContrast);
        }
    }

    /**
     * Normal phantoms with the seeds {@code seed, seed + 1, ..., seed + n - 1}.
     *
     * @param seed the first seed
     * @param n    how many, at least 0
     * @return the phantoms, in seed order
     */
    public List<Phantom> normals(long seed, int n) {
        requireCount(n);
        List<Phantom> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generate(seed + i, AnomalyKind.NONE));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Abnormal phantoms with the seeds {@code seed, seed + 1, ..., seed + n - 1}, cycling through
     * {@link AnomalyKind#anomalies()} (fracture, implant, lesion, fracture, ...), so that the kinds are balanced.
     *
     * @param seed the first seed
     * @param n    how many, at least 0
     * @return the phantoms, in seed order
     */
    public List<Phantom> abnormals(long seed, int n) {
        requireCount(n);
        List<AnomalyKind> kinds = AnomalyKind.anomalies();
        List<Phantom> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generate(seed + i, kinds.get(i % kinds.size())));
        }
        return Collections.unmodifiableList(out);
    }

    private static void requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + n);
        }
    }

    /** The side marker letter, very bright, in a random corner, independent of the hand's pose. */
    private Shape markerShape(SplittableRandom rng, boolean right) {
        int corner = rng.nextInt(4);
        double tilt = Math.toRadians(HandModel.uniform(rng, -6, 6));
        double h = Math.max(7.0, 0.075 * size);
        double margin = Math.max(2.0, HandModel.uniform(rng, 0.025, 0.05) * size);
        Area letter = right ? letterR() : letterL();
        double w = 0.75 * h;
        double x = (corner & 1) == 0 ? margin : size - margin - w;
        double y = (corner & 2) == 0 ? margin : size - margin - h;
        AffineTransform at = new AffineTransform();
        at.translate(x + w / 2, y + h / 2);
        at.concatenate(HandModel.rotation(tilt));
        at.scale(h, h);
        at.translate(-0.375, -0.5);
        return at.createTransformedShape(letter);
    }

    /** "L" in a box 0.75 wide and 1 high. */
    private static Area letterL() {
        Area a = new Area(new Rectangle2D.Double(0.05, 0, 0.24, 1));
        a.add(new Area(new Rectangle2D.Double(0.05, 0.78, 0.68, 0.22)));
        return a;
    }

    /** "R" in a box 0.75 wide and 1 high. */
    private static Area letterR() {
        Area a = new Area(new Rectangle2D.Double(0.02, 0, 0.23, 1));
        Area bowl = new Area(new java.awt.geom.RoundRectangle2D.Double(0.02, 0, 0.66, 0.58, 0.5, 0.5));
        bowl.subtract(new Area(new java.awt.geom.RoundRectangle2D.Double(0.25, 0.18, 0.22, 0.22, 0.15, 0.15)));
        a.add(bowl);
        Path2D.Double leg = new Path2D.Double();
        leg.moveTo(0.28, 0.5);
        leg.lineTo(0.52, 0.5);
        leg.lineTo(0.74, 1.0);
        leg.lineTo(0.48, 1.0);
        leg.closePath();
        a.add(new Area(leg));
        return a;
    }

    /** Two independent standard normal values (Marsaglia's polar method on StrictMath, reproducible). */
    private static void gaussianPair(SplittableRandom rng, double[] out) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        out[0] = u * m;
        out[1] = v * m;
    }

    /** Separable box blur of a square layer, edges clamped. */
    private float[] boxBlur(float[] in, int r) {
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < size; y++) {
            int row = y * size;
            for (int x = 0; x < size; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += in[row + Math.min(size - 1, Math.max(0, x + k))];
                }
                tmp[row + x] = s * norm;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += tmp[Math.min(size - 1, Math.max(0, y + k)) * size + x];
                }
                out[y * size + x] = s * norm;
            }
        }
        return out;
    }

    /** @return the image side in pixels */
    public int size() {
        return size;
    }

    /** @return the largest hand rotation, in degrees either way */
    public double maxRotationDegrees() {
        return maxRotationDegrees;
    }

    /** @return the smallest hand scale */
    public double minScale() {
        return minScale;
    }

    /** @return the largest hand scale */
    public double maxScale() {
        return maxScale;
    }

    /** @return the largest hand shift along each axis, as a fraction of the image side */
    public double maxTranslation() {
        return maxTranslation;
    }

    /** @return the largest finger-spread change, in degrees either way */
    public double maxFingerSpreadDegrees() {
        return maxFingerSpreadDegrees;
    }

    /** @return the smallest exposure gain */
    public double minGain() {
        return minGain;
    }

    /** @return the largest exposure gain */
    public double maxGain() {
        return maxGain;
    }

    /** @return the smallest exposure offset */
    public double minOffset() {
        return minOffset;
    }

    /** @return the largest exposure offset */
    public double maxOffset() {
        return maxOffset;
    }

    /** @return the largest amplitude of the linear intensity gradient (half its corner-to-corner swing) */
    public double maxGradient() {
        return maxGradient;
    }

    /** @return the smallest standard deviation of the Gaussian noise */
    public double minNoiseSigma() {
        return minNoiseSigma;
    }

    /** @return the largest standard deviation of the Gaussian noise */
    public double maxNoiseSigma() {
        return maxNoiseSigma;
    }

    /** @return whether the side marker letter is drawn */
    public boolean marker() {
        return marker;
    }

    @Override
    public String toString() {
        return "HandPhantomGenerator[size=" + size + ", rotation=+-" + maxRotationDegrees + ", scale=" + minScale
                + ".." + maxScale + ", translation=+-" + maxTranslation + ", spread=+-" + maxFingerSpreadDegrees
                + ", gain=" + minGain + ".." + maxGain + ", offset=" + minOffset + ".." + maxOffset + ", gradient=+-"
                + maxGradient + ", noise=" + minNoiseSigma + ".." + maxNoiseSigma + ", marker=" + marker + "]";
    }

    /** Configures a {@link HandPhantomGenerator}; every range has a default. Not thread-safe. */
    public static final class Builder {
        private final int size;
        private double maxRotationDegrees = 15;
        private double minScale = 0.85;
        private double maxScale = 1.1;
        private double maxTranslation = 0.04;
        private double maxFingerSpreadDegrees = 8;
        private double minGain = 0.9;
        private double maxGain = 1.1;
        private double minOffset = -0.03;
        private double maxOffset = 0.03;
        private double maxGradient = 0.08;
        private double minNoiseSigma = 0.006;
        private double maxNoiseSigma = 0.02;
        private boolean marker = true;
        private double minAnomalySize = 1;
        private double maxAnomalySize = 1;
        private double minAnomalyContrast = 1;
        private double maxAnomalyContrast = 1;

        private Builder(int size) {
            if (size < MIN_SIZE || size > MAX_SIZE) {
                throw new IllegalArgumentException("size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "], got "
                        + size);
            }
            this.size = size;
        }

        /**
         * @param degrees largest rotation either way, 0 to 30 (default 15)
         * @return this builder
         */
        public Builder rotation(double degrees) {
            this.maxRotationDegrees = check("rotation", degrees, 0, 30);
            return this;
        }

        /**
         * @param min smallest hand scale, 0.5 to 1.15 (default 0.85)
         * @param max largest hand scale, {@code min} to 1.15 (default 1.1)
         * @return this builder
         */
        public Builder scale(double min, double max) {
            checkRange("scale", min, max, 0.5, 1.15);
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /**
         * @param fraction largest shift along each axis as a fraction of the image side, 0 to 0.08 (default 0.04)
         * @return this builder
         */
        public Builder translation(double fraction) {
            this.maxTranslation = check("translation", fraction, 0, 0.08);
            return this;
        }

        /**
         * @param degrees largest finger-spread change either way, 0 to 15 (default 8)
         * @return this builder
         */
        public Builder fingerSpread(double degrees) {
            this.maxFingerSpreadDegrees = check("finger spread", degrees, 0, 15);
            return this;
        }

        /**
         * @param min smallest exposure gain, 0.5 to 1.5 (default 0.9)
         * @param max largest exposure gain, {@code min} to 1.5 (default 1.1)
         * @return this builder
         */
        public Builder gain(double min, double max) {
            checkRange("gain", min, max, 0.5, 1.5);
            this.minGain = min;
            this.maxGain = max;
            return this;
        }

        /**
         * @param min smallest exposure offset, -0.2 to 0.2 (default -0.03)
         * @param max largest exposure offset, {@code min} to 0.2 (default 0.03)
         * @return this builder
         */
        public Builder offset(double min, double max) {
            checkRange("offset", min, max, -0.2, 0.2);
            this.minOffset = min;
            this.maxOffset = max;
            return this;
        }

        /**
         * @param amplitude largest amplitude of the linear intensity gradient, 0 to 0.3 (default 0.08)
         * @return this builder
         */
        public Builder gradient(double amplitude) {
            this.maxGradient = check("gradient", amplitude, 0, 0.3);
            return this;
        }

        /**
         * @param min smallest noise standard deviation, 0 to 0.2 (default 0.006)
         * @param max largest noise standard deviation, {@code min} to 0.2 (default 0.02)
         * @return this builder
         */
        public Builder noise(double min, double max) {
            checkRange("noise", min, max, 0, 0.2);
            this.minNoiseSigma = min;
            this.maxNoiseSigma = max;
            return this;
        }

        /**
         * @param draw whether to burn in the side marker letter (default {@code true})
         * @return this builder
         */
        public Builder marker(boolean draw) {
            this.marker = draw;
            return this;
        }

        /**
         * How large anomalies are drawn, as a factor on their default size (fracture gap and step-off, implant
         * widths, lesion radius), drawn uniformly per phantom.
         *
         * @param min smallest factor, 0.5 to 4 (default 1)
         * @param max largest factor, {@code min} to 4 (default 1)
         * @return this builder
         */
        public Builder anomalySize(double min, double max) {
            checkRange("anomaly size", min, max, 0.5, 4);
            this.minAnomalySize = min;
            this.maxAnomalySize = max;
            return this;
        }

        /**
         * How strongly anomalies change the density, as a factor on their default contrast (how empty a fracture
         * gap is, implant metal density, lesion density change), drawn uniformly per phantom.
         *
         * @param min smallest factor, 0.25 to 4 (default 1)
         * @param max largest factor, {@code min} to 4 (default 1)
         * @return this builder
         */
        public Builder anomalyContrast(double min, double max) {
            checkRange("anomaly contrast", min, max, 0.25, 4);
            this.minAnomalyContrast = min;
            this.maxAnomalyContrast = max;
            return this;
        }

        /** @return the generator */
        public HandPhantomGenerator build() {
            return new HandPhantomGenerator(this);
        }

        private static double check(String what, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + "], got " + v);
            }
            return v;
        }

        private static void checkRange(String what, double min, double max, double lo, double hi) {
            check(what + " minimum", min, lo, hi);
            check(what + " maximum", max, lo, hi);
            if (min > max) {
                throw new IllegalArgumentException(what + " minimum " + min + " exceeds maximum " + max);
            }
        }
    }
}
