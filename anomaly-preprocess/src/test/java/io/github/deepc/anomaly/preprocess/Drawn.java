package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Generated test images for the crop, marker and segmentation stages. */
final class Drawn {
    private Drawn() {
    }

    /**
     * A shape mask drawn with Java2D, without anti-aliasing.
     *
     * @param w     width
     * @param h     height
     * @param shape what to fill
     * @return row-major flags, true inside the shape
     */
    static boolean[] fill(int w, int h, Shape shape) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = b.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(java.awt.Color.WHITE);
        g.fill(shape);
        g.dispose();
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = b.getRaster().getSample(x, y, 0) > 0;
            }
        }
        return m;
    }

    /**
     * Text drawn with Java2D (bold sans-serif), without anti-aliasing.
     *
     * @return row-major flags, true on the letters
     */
    static boolean[] text(int w, int h, String s, int x, int baseline, int size) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = b.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setColor(java.awt.Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        g.drawString(s, x, baseline);
        g.dispose();
        boolean[] m = new boolean[w * h];
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                m[yy * w + xx] = b.getRaster().getSample(xx, yy, 0) > 0;
            }
        }
        return m;
    }

    /**
     * A rectangle rotated about its centre.
     *
     * @return the polygon
     */
    static Shape rotatedRect(double cx, double cy, double rw, double rh, double degrees) {
        AffineTransform t = AffineTransform.getRotateInstance(Math.toRadians(degrees), cx, cy);
        return t.createTransformedShape(new Rectangle2D.Double(cx - rw / 2, cy - rh / 2, rw, rh));
    }

    /**
     * A scanned-film phantom: a paper-textured border (noisy, mid-dark) around a brighter "radiograph" with some
     * darker internal structure.
     *
     * @param w       width
     * @param h       height
     * @param film    the film's outline
     * @param paper   border level
     * @param filmLvl film level
     * @param seed    noise seed
     * @return pixels in 0..255
     */
    static float[] scannedFilm(int w, int h, Shape film, float paper, float filmLvl, long seed) {
        boolean[] inside = fill(w, h, film);
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                // paper: grain plus faint fibres
                float v = paper + (float) (r.nextGaussian() * 6) + (float) (4 * Math.sin(x * 0.7 + y * 0.3));
                if (inside[i]) {
                    double dx = (x - w / 2.0) / w;
                    double dy = (y - h / 2.0) / h;
                    // film: bright with a darker "body" in the middle and a gradient
                    v = filmLvl - (float) (60 * Math.exp(-(dx * dx + dy * dy) * 30)) + (float) (10 * dx)
                            + (float) (r.nextGaussian() * 3);
                }
                p[i] = Math.max(0, Math.min(255, v));
            }
        }
        return p;
    }

    /**
     * A hand-like phantom on a dark noisy background: a forearm entering from the top, a palm and five fingers.
     *
     * @param w    width
     * @param h    height
     * @param seed noise seed
     * @return the pixels (0..255) and, in {@code box}, the bounding box of palm and fingers {x, y, width, height}
     */
    static float[] hand(int w, int h, long seed, int[] box) {
        Polygon palm = new Polygon();
        int cx = w / 2;
        int palmTop = (int) (h * 0.45);
        int palmBottom = (int) (h * 0.65);
        int half = (int) (w * 0.12);
        palm.addPoint(cx - half, palmTop);
        palm.addPoint(cx + half, palmTop);
        palm.addPoint(cx + half, palmBottom);
        palm.addPoint(cx - half, palmBottom);
        java.awt.geom.Area a = new java.awt.geom.Area(palm);
        int fw = Math.max(2, (2 * half) / 7);
        int fingerBottom = (int) (h * 0.85);
        for (int f = 0; f < 4; f++) {
            int fx = cx - half + fw / 2 + f * (2 * half - fw) / 3;
            a.add(new java.awt.geom.Area(new Rectangle2D.Double(fx - fw / 2.0, palmBottom - 2, fw, fingerBottom - palmBottom + 2)));
        }
        // thumb
        a.add(new java.awt.geom.Area(rotatedRect(cx - half - fw, palmTop + (palmBottom - palmTop) * 0.7, fw, h * 0.2, 30)));
        boolean[] handMask = fill(w, h, a);
        boolean[] arm = fill(w, h, new Rectangle2D.Double(cx - half * 0.8, 0, 1.6 * half, palmTop + 2));
        java.awt.Rectangle bb = a.getBounds();
        box[0] = Math.max(0, bb.x);
        box[1] = Math.max(0, bb.y);
        box[2] = Math.min(w, bb.x + bb.width) - box[0];
        box[3] = Math.min(h, bb.y + bb.height) - box[1];
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = 25 + (float) (r.nextGaussian() * 4);
                if (arm[i]) {
                    v = 150 + (float) (r.nextGaussian() * 3);
                }
                if (handMask[i]) {
                    // bones: a texture of bright small structures
                    v = 120 + (((x / 3) + (y / 5)) % 2 == 0 ? 60 : 0) + (float) (r.nextGaussian() * 3);
                }
                p[i] = v;
            }
        }
        return p;
    }

    /** @return the image with every value multiplied by {@code factor} (8-bit to 16-bit: 257) */
    static GrayImage scaled(GrayImage g, float factor) {
        float[] p = g.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] *= factor;
        }
        return GrayImage.of(g.width(), g.height(), p, g.mask());
    }

    /** @return the shared data directory {@code anomaly.shared.dir}/data/{@code sub} */
    static Path shared(String sub) {
        String dir = System.getProperty("anomaly.shared.dir", "../shared");
        return Path.of(dir, "data").resolve(sub);
    }

    /** @return whether a directory exists and holds at least one file */
    static boolean hasFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
