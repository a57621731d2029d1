package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The measure the marker-removal checks use: the "bright-marker area" of an image, the number of pixels at or
 * above {@value #LEVEL} of a fixed value range that lie in small, isolated connected components (at most
 * {@value #MAX_COMPONENT} of the image). Burnt-in letters and labels are bright blobs on a dark background; bone
 * at that level is part of the large body component. Independent of the stage's own detector (no top-hat, no
 * shape or background test). After a stage, what counts is how much of the original's marker area is still
 * bright ({@link #remaining}), so that pixels an inpainting separates from the body are not counted as new
 * markers.
 */
final class MarkerMetrics {
    /** Level, as a fraction of the range, from which a pixel counts as bright. */
    static final double LEVEL = 0.5;
    /** Largest component that counts, as a fraction of the image. */
    static final double MAX_COMPONENT = 0.003;

    private MarkerMetrics() {
    }

    /**
     * @param img the image
     * @param lo  the range's lower end (the original image's minimum, so that before and after share a scale)
     * @param hi  the range's upper end
     * @return the bright-marker pixels: at or above {@value #LEVEL} of the range, in components of at most
     *         {@value #MAX_COMPONENT} of the image
     */
    @SuppressWarnings("try")
    static boolean[] brightSmallMask(GrayImage img, float lo, float hi) {
        float cut = cut(lo, hi);
        float[] p = img.unsafePixels();
        byte[] bin = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            bin[i] = p[i] >= cut && img.unsafeMask()[i] ? (byte) 255 : 0;
        }
        try (PointerScope scope = Mats.scope()) {
            Mat m = new Mat(img.height(), img.width(), CV_8U);
            ByteBuffer bb = m.createBuffer();
            bb.put(bin);
            Mat labels = new Mat();
            Mat stats = new Mat();
            Mat centroids = new Mat();
            int n = connectedComponentsWithStats(m, labels, stats, centroids, 8, CV_32S);
            int[] s = new int[n * 5];
            IntBuffer ib = stats.createBuffer();
            ib.get(s);
            int[] lab = new int[p.length];
            IntBuffer lb = labels.createBuffer();
            lb.get(lab);
            boolean[] out = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = lab[i] > 0 && s[lab[i] * 5 + 4] <= MAX_COMPONENT * img.size();
            }
            return out;
        }
    }

    /**
     * @param img the image
     * @param lo  range's lower end
     * @param hi  range's upper end
     * @return the bright-marker area of the image, in pixels
     */
    static int brightSmallArea(GrayImage img, float lo, float hi) {
        return count(brightSmallMask(img, lo, hi));
    }

    /**
     * How much of the original's bright-marker area is still bright after a stage.
     *
     * @param after   the stage's output
     * @param markers {@link #brightSmallMask} of the original
     * @param lo      the original's range, lower end
     * @param hi      the original's range, upper end
     * @return the pixels of {@code markers} still at or above the level in {@code after}
     */
    static int remaining(GrayImage after, boolean[] markers, float lo, float hi) {
        float cut = cut(lo, hi);
        int n = 0;
        for (int i = 0; i < markers.length; i++) {
            if (markers[i] && after.unsafePixels()[i] >= cut) {
                n++;
            }
        }
        return n;
    }

    private static float cut(float lo, float hi) {
        return (float) (lo + LEVEL * (hi - lo));
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            if (v) {
                n++;
            }
        }
        return n;
    }
}
