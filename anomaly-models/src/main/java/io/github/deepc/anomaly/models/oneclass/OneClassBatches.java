package io.github.deepc.anomaly.models.oneclass;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.samediff.ImageArrays;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Mini-batches for {@code SameDiff.fit} (see {@link ShuffledBatches}). Without a reference set a batch is features
 * {@code {images}} and labels {@code {masks}} ({@code [n, 1, H, W]} float32). With one, every batch also carries as
 * many reference images, taken in a seeded shuffled order that cycles through the reference set independently of the
 * epochs: features {@code {images, referenceImages}}, labels {@code {masks, referenceMasks, referenceOneHot}}. Seeds
 * fix the whole sequence of batches.
 */
final class OneClassBatches extends ShuffledBatches {
    private static final long serialVersionUID = 1L;

    private final transient ReferenceSet reference;
    private final transient SplittableRandom referenceRng;
    private final int[] referenceOrder;
    private int referenceCursor;

    /**
     * @param images       training images, all {@code height x width}
     * @param batchSize    mini-batch size
     * @param height       image height
     * @param width        image width
     * @param rng          shuffling randomness (owned from now on)
     * @param reference    reference images of the same size, or {@code null}
     * @param referenceRng reference shuffling randomness (owned from now on), or {@code null} without a reference set
     */
    OneClassBatches(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng,
                    ReferenceSet reference, SplittableRandom referenceRng) {
        super(images, batchSize, height, width, rng);
        this.reference = reference;
        this.referenceRng = referenceRng;
        this.referenceOrder = reference == null ? new int[0] : new int[reference.size()];
        if (reference != null) {
            shuffle(referenceOrder, referenceRng);
        }
    }

    @Override
    protected org.nd4j.linalg.dataset.api.MultiDataSet assemble(INDArray x, INDArray m, int n) {
        if (reference == null) {
            return new MultiDataSet(new INDArray[] {x}, new INDArray[] {m});
        }
        int[] pick = new int[n];
        for (int b = 0; b < n; b++) {
            if (referenceCursor == referenceOrder.length) {
                shuffle(referenceOrder, referenceRng);
                referenceCursor = 0;
            }
            pick[b] = referenceOrder[referenceCursor++];
        }
        INDArray rx = ImageArrays.pixels(reference.images(), pick, 0, n, height(), width());
        INDArray rm = ImageArrays.masks(reference.images(), pick, 0, n, height(), width());
        INDArray ry = ImageArrays.oneHot(reference.labels(), pick, 0, n, reference.classCount());
        return new MultiDataSet(new INDArray[] {x, rx}, new INDArray[] {m, rm, ry});
    }
}
