package io.github.deepc.anomaly.models.conv;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of halving {@link Stage}s on the engine, as the localizer's and the feature networks' encoders use it: built
 * with the shape checks, run forward and backward as a whole, its weights (and, unless bias-free, biases) registered
 * with an {@link AdamStep}. Given parameter arrays are shared, not copied. Not thread-safe.
 */
final class Encoder implements AutoCloseable {
    private final List<StageLayer> layers = new ArrayList<>();
    private final boolean biasFree;
    private final int gridHeight;
    private final int gridWidth;
    private final int channels;

    /**
     * @param stages    halving stages; the first reads 1 channel, each reads what the previous writes
     * @param height    image height, a multiple of {@code 2^stages}
     * @param width     image width, likewise
     * @param maxImages the most images per call
     * @param trainable whether to hold gradients
     * @param biasFree  whether the biases are held at zero and never trained
     * @param params    per stage its weights ({@code [out][in][k][k]}) and, unless bias-free, its biases, in that
     *                  order; or {@code null} for own zero arrays
     * @throws IllegalArgumentException naming the stage or size that does not fit
     */
    Encoder(List<Stage> stages, int height, int width, int maxImages, boolean trainable, boolean biasFree,
            float[][] params) {
        this.biasFree = biasFree;
        int perStage = biasFree ? 1 : 2;
        if (params != null && params.length != perStage * stages.size()) {
            throw new IllegalArgumentException("the encoder has " + perStage * stages.size()
                    + " parameter arrays, got " + params.length);
        }
        int ch = 1;
        int h = height;
        int w = width;
        try {
            for (int i = 0; i < stages.size(); i++) {
                Stage s = stages.get(i);
                if (s.transposed()) {
                    throw new IllegalArgumentException("stage " + i + " doubles the sides; an encoder only halves them");
                }
                if (s.in() != ch) {
                    throw new IllegalArgumentException("stage " + i + " reads " + s.in() + " channels but receives " + ch);
                }
                if (h % 2 != 0 || w % 2 != 0) {
                    throw new IllegalArgumentException("stage " + i + " halves a " + w + "x" + h + " input; sides must "
                            + "be even there (image sides must be multiples of " + (1 << stages.size()) + ")");
                }
                float[][] own = params == null ? null : new float[][] {params[perStage * i],
                        biasFree ? new float[s.out()] : params[perStage * i + 1]};
                StageLayer layer = new StageLayer.Down(s, h, w, maxImages, trainable, i > 0, own);
                if (biasFree) {
                    layer.withoutBiasGradients();
                }
                layers.add(layer);
                if (own != null) {
                    layer.pushWeights();
                }
                h /= 2;
                w /= 2;
                ch = s.out();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.gridHeight = h;
        this.gridWidth = w;
        this.channels = ch;
    }

    /** Registers the trainable arrays (per stage its weights, then its biases unless bias-free) with {@code adam}. */
    void register(AdamStep adam) {
        for (StageLayer l : layers) {
            adam.add(l.weights.heap(), l.weightGrad.heap(), l.stage.weightCount(), l::pushWeights);
            if (!biasFree) {
                adam.add(l.bias, l.biasGrad, l.stage.out(), null);
            }
        }
    }

    /** @return the stages' layers */
    List<StageLayer> layers() {
        return layers;
    }

    /** @return the last stage */
    StageLayer last() {
        return layers.get(layers.size() - 1);
    }

    /** @return rows of the output grid */
    int gridHeight() {
        return gridHeight;
    }

    /** @return columns of the output grid */
    int gridWidth() {
        return gridWidth;
    }

    /** @return channels of the last stage */
    int channels() {
        return channels;
    }

    /**
     * @param input {@code [1][n][height][width]} on the heap
     * @param n     images
     * @return the last stage's output, its heap copy holding the activations ({@code [channel][image][position]})
     */
    NativeMatrix forward(NativeMatrix input, int n) {
        NativeMatrix x = input;
        for (StageLayer layer : layers) {
            x = layer.forward(x, n);
        }
        return x;
    }

    /**
     * Back-propagates the gradient in the last stage's output gradient through all stages (not into the image); each
     * stage hands its input gradient to the one below as a matrix (channels-last between oneDNN's convolutions).
     */
    void backward(int n) {
        for (int i = layers.size() - 1; i > 0; i--) {
            layers.get(i).backward(n, layers.get(i - 1).outputGrad);
        }
        layers.get(0).backward(n, (float[]) null);
    }

    /** Re-reads the weight arrays (the products read a native copy). */
    void pushWeights() {
        layers.forEach(StageLayer::pushWeights);
    }

    @Override
    public void close() {
        layers.forEach(StageLayer::close);
    }
}
