package io.github.deepc.anomaly.models.gan;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Samples of the latent prior N(0, I) from a seeded {@link SplittableRandom} (never from ND4J's global generator), so
 * that a seed fixes every latent vector of training.
 */
final class LatentNoise {
    private final int latent;
    private final SplittableRandom rng;

    /**
     * @param latent latent vector size
     * @param rng    randomness (owned from now on)
     */
    LatentNoise(int latent, SplittableRandom rng) {
        this.latent = latent;
        this.rng = rng;
    }

    /**
     * @param n how many vectors
     * @return {@code [n, latent]} float32 standard normal values
     */
    INDArray next(int n) {
        float[] v = new float[n * latent];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, latent}, DataType.FLOAT);
    }
}
