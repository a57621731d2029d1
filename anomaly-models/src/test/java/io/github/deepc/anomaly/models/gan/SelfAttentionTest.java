package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SAGAN self-attention layer: shape, identity at {@code gamma = 0}, a float64 gradient check against central
 * differences, and the spectrally normalised dense layer's gradient and scale.
 */
@ExtendWith(Nd4jSingleThread.class)
class SelfAttentionTest {
    private static final int B = 2;
    private static final int C = 16;
    private static final int HH = 3;
    private static final int WW = 4;

    @Test
    void outputHasInputShapeAndIsTheIdentityWhileGammaIsZero() {
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, new SplittableRandom(1), DataType.FLOAT);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, C, HH, WW);
        sd.identity("out", SelfAttention.apply(p, "att", x, C, HH, WW, false));
        INDArray in = GradientCheck.uniform(21, DataType.FLOAT, B, C, HH, WW);
        INDArray out = sd.outputSingle(Map.of("x", in), "out");
        assertArrayEquals(new long[] {B, C, HH, WW}, out.shape());
        assertEquals(in, out, "gamma starts at 0: the layer starts as the identity");
        assertEquals(List.of("att_f_w", "att_f_b", "att_g_w", "att_g_b", "att_h_w", "att_h_b", "att_gamma"), p.names());
        assertEquals(2, SelfAttention.keyChannels(C));
        assertEquals(1, SelfAttention.keyChannels(4));
    }

    @Test
    void attentionMixesPositionsOnceGammaIsNonZero() {
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, new SplittableRandom(2), DataType.FLOAT);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, C, HH, WW);
        sd.identity("out", SelfAttention.apply(p, "att", x, C, HH, WW, false));
        sd.getVariable("att_gamma").getArr().assign(1.0);
        INDArray in = Nd4j.zeros(DataType.FLOAT, 1, C, HH, WW);
        in.putScalar(new long[] {0, 0, 0, 0}, 5.0); // one active position
        INDArray out = sd.outputSingle(Map.of("x", in), "out");
        INDArray change = out.sub(in);
        // the far corner position sees the active one through attention
        assertTrue(change.getDouble(0, 3, HH - 1, WW - 1) != 0.0, "non-local response expected");
    }

    @Test
    void gradientsMatchCentralDifferencesInFloat64() {
        SameDiff sd = SameDiff.create();
        SplittableRandom rng = new SplittableRandom(3);
        ParamScope p = ParamScope.owned(sd, rng, DataType.DOUBLE);
        SDVariable x = sd.var("x", GradientCheck.uniform(22, DataType.DOUBLE, B, C, HH, WW));
        SDVariable out = SelfAttention.apply(p, "att", x, C, HH, WW, false);
        SDVariable r = sd.constant("r", GradientCheck.uniform(23, DataType.DOUBLE, B, C, HH, WW));
        sd.identity("loss", out.mul(r).sum());
        sd.setLossVariables("loss");
        // non-zero gamma and larger projections, so that every parameter has a visible gradient
        sd.getVariable("att_gamma").getArr().assign(0.7);
        for (String w : List.of("att_f_w", "att_g_w", "att_h_w")) {
            sd.getVariable(w).getArr().muli(25.0);
        }
        List<String> names = new ArrayList<>(p.names());
        names.add("x");
        GradientCheck.check(sd, Map.of(), names, 6);
    }

    @Test
    void spectrallyNormalisedDenseLayerHasUnitScaleAndCorrectGradients() {
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, new SplittableRandom(4), DataType.DOUBLE);
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 5);
        SDVariable y = Layers.dense(p, "l", x, 5, 3, true);
        SDVariable r = sd.constant("r", GradientCheck.uniform(24, DataType.DOUBLE, 4, 3));
        sd.identity("loss", y.mul(r).sum());
        sd.setLossVariables("loss");
        INDArray w = sd.getVariable("l_w").getArr();
        // converge the power iteration in float64, then compare sigma with the largest singular value
        INDArray u = GradientCheck.uniform(25, DataType.DOUBLE, 3, 1).addi(1.0);
        INDArray v = null;
        for (int i = 0; i < 200; i++) {
            v = w.mmul(u);
            v.divi(v.norm2Number());
            u = w.transpose().mmul(v);
            u.divi(u.norm2Number());
        }
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put("x", GradientCheck.uniform(26, DataType.DOUBLE, 4, 5));
        feeds.put("l_w" + SpectralNorm.U, u);
        feeds.put("l_w" + SpectralNorm.V, v);
        double sigma = v.transpose().mmul(w).mmul(u).getDouble(0);
        double[] singular = singularValuesOf3Columns(w);
        assertEquals(singular[0], sigma, 1e-9, "power iteration finds the largest singular value");
        GradientCheck.check(sd, feeds, List.of("l_w", "l_b"), 8);
    }

    /** Singular values of a 5x3 matrix from the eigenvalues of W^T W (Jacobi), largest first. */
    private static double[] singularValuesOf3Columns(INDArray w) {
        double[][] a = w.transpose().mmul(w).toDoubleMatrix();
        for (int sweep = 0; sweep < 50; sweep++) {
            for (int pi = 0; pi < 3; pi++) {
                for (int q = pi + 1; q < 3; q++) {
                    if (Math.abs(a[pi][q]) < 1e-15) {
                        continue;
                    }
                    double theta = 0.5 * Math.atan2(2 * a[pi][q], a[q][q] - a[pi][pi]);
                    double c = Math.cos(theta);
                    double s = Math.sin(theta);
                    for (int k = 0; k < 3; k++) {
                        double akp = a[k][pi];
                        double akq = a[k][q];
                        a[k][pi] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++) {
                        double apk = a[pi][k];
                        double aqk = a[q][k];
                        a[pi][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = {a[0][0], a[1][1], a[2][2]};
        java.util.Arrays.sort(ev);
        return new double[] {Math.sqrt(ev[2]), Math.sqrt(ev[1]), Math.sqrt(ev[0])};
    }

}
