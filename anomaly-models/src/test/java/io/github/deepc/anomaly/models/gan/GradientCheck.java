package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Compares SameDiff's gradients of a float64 graph's scalar {@code loss} with central differences; seeded inputs. */
final class GradientCheck {
    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-3;
    private static final double NEAR_ZERO = 1e-5;

    private GradientCheck() {
    }

    /**
     * Checks up to {@code perVariable} random entries of each variable: relative error below 1e-3, or both below 1e-5.
     *
     * @param sd    a float64 graph whose variable {@code loss} is its loss
     * @param feeds placeholder values
     * @param names variables to check
     * @param perVariable entries per variable
     */
    static void check(SameDiff sd, Map<String, INDArray> feeds, List<String> names, int perVariable) {
        Map<String, INDArray> grads = sd.calculateGradients(feeds, names);
        SplittableRandom pick = new SplittableRandom(9);
        int checked = 0;
        for (String name : names) {
            INDArray arr = sd.getVariable(name).getArr();
            INDArray g = grads.get(name);
            assertArrayEquals(arr.shape(), g.shape(), name);
            INDArray flat = arr.reshape(arr.length());
            INDArray gFlat = g.reshape(g.length());
            for (int k = 0; k < Math.min(perVariable, arr.length()); k++) {
                long i = pick.nextLong(arr.length());
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + EPS);
                double plus = loss(sd, feeds);
                flat.putScalar(i, orig - EPS);
                double minus = loss(sd, feeds);
                flat.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double analytic = gFlat.getDouble(i);
                double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
                if (scale < NEAR_ZERO) {
                    // e.g. the attention key bias, which softmax cancels: both must be ~0 within difference noise
                    assertEquals(numeric, analytic, NEAR_ZERO, name + "[" + i + "]");
                } else {
                    assertTrue(Math.abs(numeric - analytic) / scale < TOLERANCE, name + "[" + i + "]: numeric " + numeric
                            + " vs SameDiff " + analytic);
                }
                checked++;
            }
        }
        assertTrue(checked >= names.size(), "checked " + checked);
    }

    /**
     * Seeded test inputs (never ND4J's global generator, whose state depends on which tests ran before).
     *
     * @param seed     seed
     * @param dataType float32 or float64
     * @param shape    shape
     * @return values uniform in [-0.5, 0.5)
     */
    static INDArray uniform(long seed, DataType dataType, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(ParamScope.length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() - 0.5;
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dataType);
    }

    private static double loss(SameDiff sd, Map<String, INDArray> feeds) {
        return sd.output(feeds, "loss").get("loss").getDouble(0);
    }
}
