package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Stage;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A direct (loop) implementation of the reference CAE forward pass with PyTorch's definitions of Conv2d and
 * ConvTranspose2d, for checking the SameDiff graph's weight layouts and transposed-convolution cropping.
 *
 * <p>PyTorch: {@code Conv2d}: {@code out[o][y][x] = b[o] + sum_{i,ky,kx} in[i][y*s - p + ky][x*s - p + kx] * w[o][i][ky][kx]}
 * (zero outside). {@code ConvTranspose2d}: every input position scatters
 * {@code out[o][iy*s - p + ky][ix*s - p + kx] += in[i][iy][ix] * w[i][o][ky][kx]}, output size
 * {@code (n - 1) * s - 2p + k + output_padding}.
 */
final class NaiveCae {
    private NaiveCae() {
    }

    static float[] forward(SameDiff sd, float[] image, int height, int width) {
        double[] x = new double[image.length];
        for (int i = 0; i < image.length; i++) {
            x[i] = image[i];
        }
        int c = 1;
        int h = height;
        int w = width;
        AutoencoderSpec spec = AutoencoderSpec.plain(ConvLayout.REFERENCE);
        List<Stage> layers = spec.stages();
        for (int li = 0; li < layers.size(); li++) {
            Stage l = layers.get(li);
            float[] wt = sd.getVariable(spec.stageName(li) + "_w").getArr().dup('c').data().asFloat();
            float[] b = sd.getVariable(spec.stageName(li) + "_b").getArr().dup('c').data().asFloat();
            if (l.transposed()) {
                x = convTranspose(x, c, h, w, wt, b, l.out());
                h *= 2;
                w *= 2;
            } else {
                x = conv(x, c, h, w, wt, b, l.out());
                h /= 2;
                w /= 2;
            }
            c = l.out();
            for (int i = 0; i < x.length; i++) {
                x[i] = l.activation() == Activation.RELU ? Math.max(0, x[i]) : 1 / (1 + Math.exp(-x[i]));
            }
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    /** Conv2d(k3, s2, p1); the graph stores ND4J's [3, 3, I, O]: w_torch[o][i][ky][kx] = w_nd4j[ky][kx][i][o]. */
    private static double[] conv(double[] in, int ci, int h, int w, float[] wt, float[] b, int co) {
        int oh = (h + 2 - 3) / 2 + 1;
        int ow = (w + 2 - 3) / 2 + 1;
        double[] out = new double[co * oh * ow];
        for (int o = 0; o < co; o++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double s = b[o];
                    for (int i = 0; i < ci; i++) {
                        for (int ky = 0; ky < 3; ky++) {
                            int iy = y * 2 - 1 + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int ix = xx * 2 - 1 + kx;
                                if (ix < 0 || ix >= w) {
                                    continue;
                                }
                                s += in[(i * h + iy) * w + ix] * wt[((ky * 3 + kx) * ci + i) * co + o];
                            }
                        }
                    }
                    out[(o * oh + y) * ow + xx] = s;
                }
            }
        }
        return out;
    }

    /**
     * ConvTranspose2d(k3, s2, p1, output_padding 1); the graph stores weights as ND4J's [3, 3, O, I], which is
     * PyTorch's [I, O, 3, 3] permuted: w_torch[i][o][ky][kx] = w_nd4j[ky][kx][o][i].
     */
    private static double[] convTranspose(double[] in, int ci, int h, int w, float[] wt, float[] b, int co) {
        int oh = (h - 1) * 2 - 2 + 3 + 1;
        int ow = (w - 1) * 2 - 2 + 3 + 1;
        double[] out = new double[co * oh * ow];
        for (int o = 0; o < co; o++) {
            for (int k = 0; k < oh * ow; k++) {
                out[o * oh * ow + k] = b[o];
            }
        }
        for (int i = 0; i < ci; i++) {
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    double v = in[(i * h + iy) * w + ix];
                    for (int ky = 0; ky < 3; ky++) {
                        int y = iy * 2 - 1 + ky;
                        if (y < 0 || y >= oh) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int x = ix * 2 - 1 + kx;
                            if (x < 0 || x >= ow) {
                                continue;
                            }
                            for (int o = 0; o < co; o++) {
                                out[(o * oh + y) * ow + x] += v * wt[((ky * 3 + kx) * co + o) * ci + i];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
