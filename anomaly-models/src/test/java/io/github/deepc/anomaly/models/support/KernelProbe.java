package io.github.deepc.anomaly.models.support;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.conv.Stage;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Run in a child JVM by {@link BlasKernelTest}: two training steps of a small autoencoder on the direct engine
 * (matrix products through whatever OpenBLAS kernel the environment selects), printing the losses and a
 * reconstruction as one line of hexadecimal floats.
 */
public final class KernelProbe {
    private KernelProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        List<Stage> stages = List.of(new Stage(false, 1, 8, 3, Activation.RELU), new Stage(false, 8, 16, 3,
                Activation.RELU), new Stage(true, 16, 8, 3, Activation.RELU), new Stage(true, 8, 1, 3,
                Activation.SIGMOID));
        int n = 8;
        int side = 32;
        SplittableRandom rng = new SplittableRandom(5);
        float[] pixels = new float[n * side * side];
        float[] masks = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
            masks[i] = 1f;
        }
        StringBuilder out = new StringBuilder("probe");
        try (DirectAutoencoder net = new DirectAutoencoder(stages, side, side, n, true)) {
            for (int s = 0; s < stages.size(); s++) {
                Stage st = stages.get(s);
                float[] w = new float[st.in() * st.out() * 9];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) ((rng.nextDouble() * 2 - 1) / Math.sqrt(9.0 * st.in()));
                }
                net.setParameters(s, w, new float[st.out()]);
            }
            for (int step = 0; step < 2; step++) {
                out.append(' ').append(Float.toHexString((float) net.trainStep(pixels, masks, null, n, 1e-3)));
            }
            float[] r = net.reconstruct(pixels, n);
            for (int i = 0; i < r.length; i += 97) {
                out.append(' ').append(Float.toHexString(r[i]));
            }
        }
        System.out.println(String.format(Locale.ROOT, "%s", out));
    }
}
