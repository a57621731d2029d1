package io.github.deepc.anomaly.models.samediff;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Internal support for the library's SameDiff models, not API (public only so that the model packages can share it;
 * it may change at any time): layer configuration and seeded weight initialisation. Convolutions are NCHW with
 * weights in ND4J's {@code YXIO} layout ({@code [kH, kW, in, out]}; see the {@code cae} package for why not
 * {@code OIYX}).
 */
public final class GraphLayers {
    private GraphLayers() {
    }

    /**
     * @param kernel  square kernel size
     * @param padding explicit padding on each side
     * @return a stride-2, undilated NCHW convolution with {@code YXIO} weights and the given explicit padding
     */
    public static Conv2DConfig stride2Conv(int kernel, int padding) {
        return Conv2DConfig.builder()
                .kH(kernel).kW(kernel).sH(2).sW(2).pH(padding).pW(padding).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID) // VALID = use the explicit padding above
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
    }

    /**
     * @param shape the array shape
     * @param bound half-width of the interval
     * @param rng   randomness, or {@code null} for zeros (weights about to be loaded)
     * @return float32 {@code U(-bound, bound)} values drawn in the array's row-major order
     */
    public static INDArray uniform(long[] shape, double bound, SplittableRandom rng) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (rng != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * bound);
            }
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }
}
