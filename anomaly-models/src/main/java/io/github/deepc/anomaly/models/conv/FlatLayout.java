package io.github.deepc.anomaly.models.conv;

/**
 * Moves a batch of convolution maps between the engine's channel-major layout and the feature-major layout a dense
 * layer reads: channel-major value {@code (c, b, s)} (channel, image, position) sits at feature-major
 * {@code (c * positions + s, b)}, i.e. one column of {@code channels * positions} features per image.
 */
final class FlatLayout {
    private FlatLayout() {
    }

    /**
     * @param from           the source values
     * @param to             where they go
     * @param channels       channels of the maps
     * @param positions      positions per map (height x width)
     * @param n              images in the batch
     * @param toFeatureMajor direction: channel-major to feature-major when {@code true}, back when {@code false}
     */
    static void reorder(float[] from, float[] to, int channels, int positions, int n, boolean toFeatureMajor) {
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < n; b++) {
                int channelMajor = (c * n + b) * positions;
                int featureMajor = c * positions * n + b;
                for (int s = 0; s < positions; s++) {
                    if (toFeatureMajor) {
                        to[featureMajor + s * n] = from[channelMajor + s];
                    } else {
                        to[channelMajor + s] = from[featureMajor + s * n];
                    }
                }
            }
        }
    }
}
