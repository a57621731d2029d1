package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.models.samediff.ShuffledBatches;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of images for {@code SameDiff.fit} (see {@link ShuffledBatches}): features are the images, labels the
 * valid-pixel masks (1/0), both {@code [batch, 1, H, W]} float32.
 *
 * <p>With a noise size above 0 every batch carries a second feature array, {@code [batch, noiseSize]} standard normal
 * values drawn from their own seeded generator in batch order (the VAE's reparameterisation noise): SameDiff 1.0.0-M2.1
 * maps the feature arrays of a {@code MultiDataSet} to placeholders in order ({@code dataSetFeatureMapping}), so the
 * noise reaches the graph without a random op whose seed would depend on ND4J's global generator.
 */
final class ShuffledImageIterator extends ShuffledBatches {
    private static final long serialVersionUID = 1L;

    private final int noiseSize;
    private final transient SplittableRandom noiseRng;

    /**
     * @param images    the images, all {@code height x width}
     * @param batchSize mini-batch size
     * @param height    image height
     * @param width     image width
     * @param rng       shuffling randomness (owned by the iterator from now on)
     */
    ShuffledImageIterator(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng) {
        this(images, batchSize, height, width, rng, 0, null);
    }

    /**
     * @param images    the images, all {@code height x width}
     * @param batchSize mini-batch size
     * @param height    image height
     * @param width     image width
     * @param rng       shuffling randomness (owned by the iterator from now on)
     * @param noiseSize values of standard normal noise per image in a second feature array, or 0 for none
     * @param noiseRng  noise randomness (owned by the iterator from now on); unused when {@code noiseSize} is 0
     */
    ShuffledImageIterator(List<GrayImage> images, int batchSize, int height, int width, SplittableRandom rng,
                          int noiseSize, SplittableRandom noiseRng) {
        super(images, batchSize, height, width, checkNoise(rng, noiseSize, noiseRng));
        this.noiseSize = noiseSize;
        this.noiseRng = noiseRng;
    }

    /** Validates the noise arguments before the superclass consumes {@code rng}; returns {@code rng}. */
    private static SplittableRandom checkNoise(SplittableRandom rng, int noiseSize, SplittableRandom noiseRng) {
        if (noiseSize > 0 && noiseRng == null) {
            throw new IllegalArgumentException("noise needs a random generator");
        }
        return rng;
    }

    @Override
    protected org.nd4j.linalg.dataset.api.MultiDataSet assemble(INDArray pixels, INDArray masks, int n) {
        INDArray[] features = noiseSize == 0 ? new INDArray[] {pixels} : new INDArray[] {pixels, noise(n)};
        return new MultiDataSet(features, new INDArray[] {masks});
    }

    private INDArray noise(int n) {
        float[] eps = new float[n * noiseSize];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) noiseRng.nextGaussian();
        }
        return Nd4j.create(eps, new long[] {n, noiseSize}, DataType.FLOAT);
    }
}
