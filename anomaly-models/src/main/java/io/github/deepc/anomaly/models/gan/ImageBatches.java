package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mini-batches of a GAN's training epochs: a fresh Fisher-Yates permutation of the images per epoch from a seeded
 * {@link SplittableRandom}, cut into batches of the configured size (the last one may be smaller). The tensors come
 * from the shared {@code ImageArrays}.
 */
final class ImageBatches {
    private final int count;
    private final int batchSize;
    private final SplittableRandom rng;

    /**
     * @param count     number of images
     * @param batchSize mini-batch size
     * @param rng       shuffling randomness (owned from now on)
     */
    ImageBatches(int count, int batchSize, SplittableRandom rng) {
        this.count = count;
        this.batchSize = batchSize;
        this.rng = rng;
    }

    /** @return the image indices of the next epoch's batches */
    List<int[]> nextEpoch() {
        int[] order = new int[count];
        ShuffledBatches.shuffle(order, rng);
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < count; from += batchSize) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(count, from + batchSize)));
        }
        return batches;
    }
}
