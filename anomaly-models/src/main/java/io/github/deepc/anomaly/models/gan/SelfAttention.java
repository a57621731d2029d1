package io.github.deepc.anomaly.models.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A SAGAN self-attention layer (Zhang et al. 2019). With 1x1 convolutions {@code f}, {@code g} (to
 * {@code max(1, C/8)} channels) and {@code h} (to {@code C}) at every position {@code i}:
 * {@code s_ij = f(x_i)^T g(x_j)}, {@code beta_ji = softmax_i(s_ij)}, {@code o_j = sum_i beta_ji h(x_i)}, and the output
 * is {@code x + gamma o} with a learned scalar {@code gamma} that starts at 0, so that the layer begins as the identity
 * and the network learns how much non-local evidence to use.
 *
 * <p>The 1x1 convolutions are dense layers over the channel vector at each position (the same operation), applied
 * to the {@code [b*N, C]} rows of the feature map, {@code N = h*w}; the attention map is a batched
 * {@code [b, N, N]} product, so memory grows with {@code N^2}: the networks place the layer at a quarter of the input
 * size. Parameters: {@code <name>_f_w/_f_b}, {@code _g_w/_g_b}, {@code _h_w/_h_b} and {@code _gamma}.
 */
final class SelfAttention {
    private SelfAttention() {
    }

    /**
     * @param c channels of the input
     * @return channels of the query and key projections {@code f} and {@code g}
     */
    static long keyChannels(long c) {
        return Math.max(1, c / 8);
    }

    /**
     * Adds the layer to a graph.
     *
     * @param p        parameters
     * @param name     layer name
     * @param x        input {@code [b, c, height, width]}
     * @param c        channels
     * @param height   feature-map height
     * @param width    feature-map width
     * @param spectral whether to normalise the projections spectrally (in discriminators)
     * @return output of the input's shape
     */
    static SDVariable apply(ParamScope p, String name, SDVariable x, long c, long height, long width, boolean spectral) {
        SameDiff sd = p.graph();
        long n = height * width;
        long ck = keyChannels(c);
        // rows: one channel vector per (image, position), position-major within an image
        SDVariable rows = sd.reshape(sd.permute(sd.reshape(x, -1, c, n), 0, 2, 1), -1, c);
        SDVariable f = sd.reshape(Layers.dense(p, name + "_f", rows, c, ck, spectral), -1, n, ck); // [b, N, ck]
        SDVariable g = sd.reshape(Layers.dense(p, name + "_g", rows, c, ck, spectral), -1, n, ck); // [b, N, ck]
        SDVariable h = sd.reshape(Layers.dense(p, name + "_h", rows, c, c, spectral), -1, n, c);   // [b, N, C]
        SDVariable scores = sd.mmul(g, f, false, true, false);   // [b, N_j, N_i] = g_j . f_i = s_ij
        SDVariable beta = sd.nn().softmax(scores, 2);              // normalised over i
        SDVariable o = sd.mmul(beta, h);                           // [b, N_j, C]
        SDVariable map = sd.reshape(sd.permute(o, 0, 2, 1), -1, c, height, width);
        SDVariable gamma = p.zeros(name + "_gamma", 1);
        return x.add(map.mul(gamma));
    }
}
