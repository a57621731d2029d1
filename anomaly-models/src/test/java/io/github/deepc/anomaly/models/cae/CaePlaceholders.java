package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Feeds for the CAE graph, and the validation hold-out, in tests. */
final class CaePlaceholders {
    private CaePlaceholders() {
    }

    /**
     * Rebuilds the validation hold-out that training with this seed and fraction used (the fourth split of the
     * seed, see {@code ConvAutoencoder}).
     */
    static List<GrayImage> heldOut(List<GrayImage> images, long seed, double fraction) {
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 0; i < 3; i++) {
            root.split();
        }
        return ConvAutoencoder.holdOut(images, fraction, root.split()).get(1);
    }

    /** The graphs' {@code input} and {@code mask} placeholders for these images, in order. */
    static Map<String, INDArray> of(List<GrayImage> images) {
        GrayImage first = images.get(0);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(CaeGraph.INPUT, ImageArrays.pixels(images, null, 0, images.size(), first.height(), first.width()));
        ph.put(CaeGraph.MASK, ImageArrays.masks(images, null, 0, images.size(), first.height(), first.width()));
        return ph;
    }
}
