package io.github.deepc.anomaly.models.samediff;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.support.ImageChecks;
import java.util.List;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time): validation of a training set before a graph is built.
 */
public final class TrainingImages {
    /** A model's requirement on the input size. */
    public interface SideCheck {
        /**
         * @param height input height
         * @param width  input width
         * @throws IllegalArgumentException when the model cannot take that size
         */
        void check(int height, int width);
    }

    /** A model's requirement on each (finite) pixel value. */
    public interface PixelCheck {
        /**
         * @param image the image's index
         * @param value a finite pixel value of it
         * @throws IllegalArgumentException when the model cannot take the value
         */
        void check(int image, float value);
    }

    private TrainingImages() {
    }

    /**
     * Checks training images: at least one, none null, all of image 0's size (which must pass {@code sides}), only
     * finite pixel values (each of which must pass {@code pixels}, if given).
     *
     * @param images the images
     * @param sides  the size requirement
     * @param pixels the pixel requirement, or {@code null} for none
     * @return {height, width}
     * @throws IllegalArgumentException when a requirement fails
     */
    public static int[] check(List<GrayImage> images, SideCheck sides, PixelCheck pixels) {
        int[] size = ImageChecks.sameSize(images);
        int h = size[0];
        int w = size[1];
        sides.check(h, w);
        for (int i = 0; i < images.size(); i++) {
            GrayImage img = images.get(i);
            for (float v : img.unsafePixels()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("training image " + i + " has a non-finite pixel value " + v);
                }
                if (pixels != null) {
                    pixels.check(i, v);
                }
            }
        }
        return new int[] {h, w};
    }
}
