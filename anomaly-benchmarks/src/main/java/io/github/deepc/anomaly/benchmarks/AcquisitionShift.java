package io.github.deepc.anomaly.benchmarks;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.SplittableRandom;

/**
 * A simulated change of acquisition, applied to a raw test image before it reaches the detector: what differs
 * between the shared data and independent data of the same sources (other batches, other machines). Seeded per
 * image: framing (each side cropped by 0-10 %), a grey-level curve (gamma 0.7-1.4), contrast compression (black
 * level 0-0.1, white level 0.9-1.0 of the image's range) and, for half of the images, Gaussian noise (2 % of the
 * range). Independent test sets of the shared sources lost about as much ROC-AUC as this costs the same detectors
 * (README, "How the numbers were obtained"), so a detector that keeps its ROC-AUC here is more likely to keep it on
 * new data.
 */
final class AcquisitionShift {
    private AcquisitionShift() {
    }

    /**
     * @param image a raw image (any value range)
     * @param seed  the image's seed
     * @return the shifted image, of a possibly smaller size, mask cropped alike
     */
    static GrayImage apply(GrayImage image, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int w = image.width();
        int h = image.height();
        int top = (int) (r.nextDouble(0, 0.10) * h);
        int bottom = (int) (r.nextDouble(0, 0.10) * h);
        int left = (int) (r.nextDouble(0, 0.10) * w);
        int right = (int) (r.nextDouble(0, 0.10) * w);
        double gamma = Math.exp(r.nextDouble(Math.log(0.7), Math.log(1.4)));
        double lo = r.nextDouble(0, 0.1);
        double hi = r.nextDouble(0.9, 1.0);
        boolean noisy = r.nextDouble() < 0.5;
        float[] range = image.validRange();
        double min = range[0];
        double span = Math.max(1e-12, range[1] - range[0]);
        int nw = w - left - right;
        int nh = h - top - bottom;
        float[] px = new float[nw * nh];
        boolean[] mask = new boolean[nw * nh];
        float[] src = image.unsafePixels();
        boolean[] valid = image.unsafeMask();
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int s = (y + top) * w + x + left;
                double u = Math.min(1, Math.max(0, (src[s] - min) / span));
                u = lo + (hi - lo) * Math.pow(u, gamma);
                if (noisy) {
                    u = Math.min(1, Math.max(0, u + 0.02 * r.nextGaussian()));
                }
                px[y * nw + x] = (float) (min + u * span);
                mask[y * nw + x] = valid[s];
            }
        }
        return GrayImage.of(nw, nh, px, mask);
    }
}
