package io.github.deepc.anomaly.models.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The localizer has no SameDiff twin, so its gradients are checked against central finite differences of its own
 * loss on a tiny network (2 stages, 8x8 images, 2 images, soft targets, a positive weight), every parameter: with
 * sigmoid stages (smooth, so every parameter must match) and with the ReLU stages the model uses, where a parameter
 * whose difference quotient changes between step h and h/2 sits on a kink and is skipped (at most 10 % may).
 */
class DirectLocalizerGradientTest {
    private static final int SIDE = 8;
    private static final int N = 2;
    private static final List<Stage> STAGES = stages(Activation.RELU);

    private static List<Stage> stages(Activation a) {
        return List.of(new Stage(false, 1, 2, 3, a), new Stage(false, 2, 3, 3, a));
    }

    private static float[] random(int n, SplittableRandom r, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (scale * r.nextGaussian());
        }
        return a;
    }

    private static DirectLocalizer network(SplittableRandom r) {
        return network(r, Activation.RELU);
    }

    private static DirectLocalizer network(SplittableRandom r, Activation a) {
        DirectLocalizer net = new DirectLocalizer(stages(a), SIDE, SIDE, N, true);
        for (int s = 0; s < STAGES.size(); s++) {
            Stage st = STAGES.get(s);
            net.setParameters(s, random(st.weightCount(), r, 0.6), random(st.out(), r, 0.2));
        }
        net.setHeadParameters(random(3, r, 0.8), new float[] {-0.3f});
        return net;
    }

    @Test
    void gradientsMatchFiniteDifferencesWithSmoothStages() {
        assertEquals(0, checkAll(Activation.SIGMOID), "no kinks in a sigmoid network");
    }

    @Test
    void gradientsMatchFiniteDifferencesWithReluStages() {
        int skipped = checkAll(Activation.RELU);
        assertTrue(skipped <= 8, skipped + " of 81 parameters on a ReLU kink");
    }

    /** @return how many parameters were skipped as lying on a kink */
    private static int checkAll(Activation activation) {
        SplittableRandom r = new SplittableRandom(11);
        int[] skipped = {0};
        try (DirectLocalizer net = network(r, activation)) {
            assertEquals(2, net.gridHeight());
            assertEquals(2, net.gridWidth());
            float[] pixels = new float[N * SIDE * SIDE];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble();
            }
            float[] targets = {0f, 0.25f, 1f, 0f, 0.5f, 0f, 0f, 0.75f};
            double pw = 2.5;
            net.gradients(pixels, targets, pw, N);
            int checked = 0;
            double worst = 0;
            for (int s = 0; s < STAGES.size(); s++) {
                float[][] grads = net.gradients(s);
                float[][] params = net.parameters(s);
                for (int part = 0; part < 2; part++) {
                    for (int i = 0; i < params[part].length; i++) {
                        final int stage = s;
                        final int p = part;
                        final int idx = i;
                        Setter set = value -> {
                            float[][] q = net.parameters(stage);
                            q[p][idx] = value;
                            net.setParameters(stage, q[0], q[1]);
                        };
                        worst = Math.max(worst, check(net, pixels, targets, pw, set, params[part][i], grads[part][i],
                                "stage " + s + " part " + part + " #" + i, skipped));
                        checked++;
                    }
                }
            }
            float[][] head = net.headParameters();
            float[][] headGrads = net.headGradients();
            for (int part = 0; part < 2; part++) {
                for (int i = 0; i < head[part].length; i++) {
                    final int p = part;
                    final int idx = i;
                    Setter set = value -> {
                        float[][] q = net.headParameters();
                        q[p][idx] = value;
                        net.setHeadParameters(q[0], q[1]);
                    };
                    worst = Math.max(worst, check(net, pixels, targets, pw, set, head[part][i], headGrads[part][i],
                            "head part " + part + " #" + i, skipped));
                    checked++;
                }
            }
            assertEquals(18 + 2 + 54 + 3 + 3 + 1, checked);
            assertTrue(worst < 1, "worst relative error " + worst);
        }
        return skipped[0];
    }

    private interface Setter {
        void set(float value);
    }

    /** Central difference of the loss in one parameter with step h (the parameter is restored afterwards). */
    private static double difference(DirectLocalizer net, float[] pixels, float[] targets, double pw, Setter setter,
                                     float value, float h) {
        setter.set(value + h);
        double plus = net.gradients(pixels, targets, pw, N);
        setter.set(value - h);
        double minus = net.gradients(pixels, targets, pw, N);
        setter.set(value);
        net.gradients(pixels, targets, pw, N);
        return (plus - minus) / (2 * h);
    }

    /** @return the error relative to the tolerance ({@code < 1} passes; 0 for a skipped kink) */
    private static double check(DirectLocalizer net, float[] pixels, float[] targets, double pw, Setter setter,
                                float value, double analytic, String what, int[] skipped) {
        double numeric = difference(net, pixels, targets, pw, setter, value, 1e-2f);
        double finer = difference(net, pixels, targets, pw, setter, value, 5e-3f);
        if (Math.abs(numeric - finer) > tolerance(finer) / 2) {
            skipped[0]++;
            return 0;
        }
        double rel = Math.abs(analytic - numeric) / tolerance(numeric);
        assertTrue(rel < 1, what + ": analytic " + analytic + ", numeric " + numeric);
        return rel;
    }

    private static double tolerance(double numeric) {
        return 2e-4 + 2e-2 * Math.abs(numeric);
    }

    @Test
    void lossIsTheWeightedCrossEntropyOfTheProbabilities() {
        SplittableRandom r = new SplittableRandom(5);
        try (DirectLocalizer net = network(r)) {
            float[] pixels = random(N * SIDE * SIDE, r, 1);
            float[] targets = {0f, 0.25f, 1f, 0f, 0.5f, 0f, 0f, 0.75f};
            float[] p = net.infer(pixels, N).probabilities();
            double expected = 0;
            for (int j = 0; j < 8; j++) {
                expected += -(3.0 * targets[j] * Math.log(p[j]) + (1 - targets[j]) * Math.log(1 - p[j]));
            }
            assertEquals(expected / 8, net.gradients(pixels, targets, 3.0, N), 1e-5);
            // pooled features: the mean of the last stage's activations over the 2x2 grid
            DirectLocalizer.Outputs o = net.infer(pixels, N);
            assertEquals(N * 3, o.features().length);
            assertArrayEquals(p, o.probabilities(), "inference is deterministic");
        }
    }

    @Test
    void wrongShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirectLocalizer(STAGES, 6, 6, 1, false));
        assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DirectLocalizer(List.of(new Stage(false, 2, 2, 3, Activation.RELU)), 8, 8, 1, false));
        assertTrue(e.getMessage().contains("reads 2 channels"), e.getMessage());
        try (DirectLocalizer net = new DirectLocalizer(STAGES, 8, 8, 1, false)) {
            assertThrows(IllegalStateException.class, net::headGradients);
            assertThrows(IllegalArgumentException.class, () -> net.infer(new float[64], 2));
        }
    }
}
