package io.github.deepc.anomaly.models.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DCGAN building blocks in SameDiff (NCHW): 4x4 stride-2 convolutions that halve and transposed convolutions that
 * double the feature map, dense layers, LeakyReLU, pixel-wise feature normalisation, and the losses (logistic, per
 * group of a stacked batch; masked L1).
 *
 * <p>Weights are drawn from N(0, 0.02^2) and biases start at 0 (Radford et al. 2016). Convolution weights use ND4J's
 * {@link WeightsFormat#YXIO} {@code [kH, kW, in, out]} (in 1.0.0-M2.1 {@code conv2d_bp} ignores other formats);
 * transposed-convolution weights ND4J's only layout {@code [kH, kW, out, in]}. With kernel 4, stride 2 and padding 1
 * both need no cropping: {@code (n + 2 - 4) / 2 + 1 = n / 2} and {@code 2 (n - 1) + 4 - 2 = 2n}.
 */
final class Layers {
    /** Standard deviation of the initial weights. */
    static final double INIT_STD = 0.02;
    /** Slope of LeakyReLU for negative inputs. */
    static final double LEAK = 0.2;
    private static final int K = 4;
    private static final double PIXEL_NORM_EPS = 1e-8;

    private Layers() {
    }

    /**
     * A 4x4 stride-2 convolution with bias, halving height and width.
     *
     * @param p        parameters
     * @param name     layer name (prefix of {@code _w} and {@code _b})
     * @param x        input {@code [b, in, h, w]}
     * @param in       input channels
     * @param out      output channels
     * @param spectral whether to normalise the weight spectrally
     * @return {@code [b, out, h/2, w/2]}
     */
    static SDVariable conv(ParamScope p, String name, SDVariable x, long in, long out, boolean spectral) {
        SDVariable w = p.normal(name + "_w", INIT_STD, K, K, in, out);
        if (spectral) {
            w = p.spectralNormalised(name + "_w", (long) K * K * in, out);
        }
        SDVariable b = p.zeros(name + "_b", out);
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(K).kW(K).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID) // VALID = use the explicit padding above
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        return p.graph().cnn().conv2d(x, w, b, cfg);
    }

    /**
     * A 4x4 stride-2 transposed convolution with bias, doubling height and width.
     *
     * @param p    parameters
     * @param name layer name
     * @param x    input {@code [b, in, h, w]}
     * @param in   input channels
     * @param out  output channels
     * @return {@code [b, out, 2h, 2w]}
     */
    static SDVariable deconv(ParamScope p, String name, SDVariable x, long in, long out) {
        SDVariable w = p.normal(name + "_w", INIT_STD, K, K, out, in);
        SDVariable b = p.zeros(name + "_b", out);
        DeConv2DConfig cfg = DeConv2DConfig.builder()
                .kH(K).kW(K).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        return p.graph().cnn().deconv2d(x, w, b, cfg);
    }

    /**
     * A dense layer {@code x W + b}.
     *
     * @param p        parameters
     * @param name     layer name
     * @param x        input {@code [b, in]}
     * @param in       input features
     * @param out      output features
     * @param spectral whether to normalise the weight spectrally
     * @return {@code [b, out]}
     */
    static SDVariable dense(ParamScope p, String name, SDVariable x, long in, long out, boolean spectral) {
        SDVariable w = p.normal(name + "_w", INIT_STD, in, out);
        if (spectral) {
            w = p.spectralNormalised(name + "_w", in, out);
        }
        SDVariable b = p.zeros(name + "_b", out);
        return p.graph().nn().linear(x, w, b);
    }

    /**
     * @param sd the graph
     * @param x  input
     * @return LeakyReLU with slope {@value #LEAK}
     */
    static SDVariable leaky(SameDiff sd, SDVariable x) {
        return sd.nn().leakyRelu(x, LEAK);
    }

    /**
     * Pixel-wise feature normalisation (Karras et al. 2018), {@code x / sqrt(mean_c(x^2) + eps)}: keeps the
     * generator's activations in scale like batch normalisation, without depending on the other images of the batch
     * or needing running statistics.
     *
     * @param sd the graph
     * @param x  input {@code [b, c, h, w]}
     * @return the normalised input
     */
    static SDVariable pixelNorm(SameDiff sd, SDVariable x) {
        return x.mul(sd.math().rsqrt(sd.math().square(x).mean(true, 1).add(PIXEL_NORM_EPS)));
    }

    /**
     * @param sd       the graph
     * @param x        input {@code [b, ...]}
     * @param features values per example
     * @return {@code [b, features]}
     */
    static SDVariable flatten(SameDiff sd, SDVariable x, long features) {
        return sd.reshape(x, -1, features);
    }

    /**
     * The mean logistic loss of logits against one target, computed stably as
     * {@code max(l, 0) - l t + log(1 + exp(-|l|))}.
     *
     * @param sd     the graph
     * @param logits {@code [b, 1]}
     * @param target the label, in [0, 1]
     * @return the scalar loss
     */
    static SDVariable logisticLoss(SameDiff sd, SDVariable logits, double target) {
        return groupLogisticLosses(sd, logits, target).sum();
    }

    /**
     * Mean logistic losses of {@code k} equal groups of examples stacked along the batch (e.g. real images, then
     * generated ones), each against its own target. Running a network once on the stacked batch instead of once per
     * group halves or thirds the number of (costly) convolution calls.
     *
     * @param sd      the graph
     * @param logits  {@code [k n, 1]}, group after group
     * @param targets one label per group
     * @return the {@code k} group losses
     */
    static SDVariable groupLogisticLosses(SameDiff sd, SDVariable logits, double... targets) {
        int k = targets.length;
        SDVariable l = sd.reshape(logits, k, -1);
        SDVariable t = sd.constant(Nd4j.create(targets, new long[] {k, 1}, logits.dataType()));
        SDVariable softplusTail = sd.math().log1p(sd.math().exp(sd.math().abs(l).neg()));
        return sd.nn().relu(l, 0.0).sub(l.mul(t)).add(softplusTail).mean(1);
    }

    /**
     * @param sd     the graph
     * @param logits {@code [k n, 1]}, group after group
     * @param k      number of groups
     * @return the mean probability {@code sigmoid(logit)} of each group, {@code [k]}
     */
    static SDVariable groupMeanProbabilities(SameDiff sd, SDVariable logits, int k) {
        return sd.nn().sigmoid(sd.reshape(logits, k, -1)).mean(1);
    }

    /**
     * The masked L1 reconstruction error: per image {@code sum(|r - x| * mask) / max(sum(mask), 1)}, averaged over the
     * batch; invalid pixels (padding) neither count nor draw gradient.
     *
     * @param sd            the graph
     * @param reconstructed {@code [b, 1, H, W]}
     * @param x             the images
     * @param mask          1 for valid pixels, 0 otherwise
     * @return the scalar error
     */
    static SDVariable maskedL1(SameDiff sd, SDVariable reconstructed, SDVariable x, SDVariable mask) {
        SDVariable perImage = sd.math().abs(reconstructed.sub(x)).mul(mask).sum(1, 2, 3);
        SDVariable valid = sd.math().max(mask.sum(1, 2, 3), sd.constant(Nd4j.scalar(mask.dataType(), 1.0)));
        return perImage.div(valid).mean();
    }
}
