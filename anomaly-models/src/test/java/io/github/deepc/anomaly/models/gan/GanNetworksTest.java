package io.github.deepc.anomaly.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Output shapes and parameters of every network, on non-square inputs so that height and width cannot be mixed up. */
@ExtendWith(Nd4jSingleThread.class)
class GanNetworksTest {
    private static final int H = 32;
    private static final int W = 48;
    private static final int C = 4;
    private static final int LATENT = 6;
    private static final int BATCH = 3;

    private static GanArchitecture arch(boolean attention, boolean spectral, PixelRange range) {
        return new GanArchitecture(H, W, C, LATENT, attention, spectral, range);
    }

    /** Builds one network into a fresh graph and runs it on random input. */
    private static INDArray run(GanArchitecture a, long[] inputShape, long[] secondShape,
                                BiFunction<ParamScope, SDVariable[], SDVariable> net, Map<String, Long> paramCount) {
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, new SplittableRandom(1), DataType.FLOAT);
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, inputShape);
        SDVariable in2 = secondShape == null ? null : sd.placeHolder("in2", DataType.FLOAT, secondShape);
        SDVariable out = sd.identity("out", net.apply(p, new SDVariable[] {in, in2}));
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put("in", GradientCheck.uniform(11, DataType.FLOAT, inputShape).addi(0.5));
        if (secondShape != null) {
            feeds.put("in2", GradientCheck.uniform(12, DataType.FLOAT, secondShape));
        }
        try (SpectralNorm sn = SpectralNorm.create(p.spectralShapes(), new SplittableRandom(2))) {
            sn.feed(p.spectralShapes().keySet(), feeds);
            long n = 0;
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    n += v.getArr().length();
                }
            }
            paramCount.put("n", n);
            return sd.outputSingle(feeds, "out");
        }
    }

    @Test
    void generatorMapsLatentVectorsToImagesInThePixelRange() {
        for (PixelRange range : PixelRange.values()) {
            for (boolean attention : new boolean[] {false, true}) {
                Map<String, Long> count = new HashMap<>();
                INDArray img = run(arch(attention, false, range), new long[] {BATCH, LATENT}, null,
                        (p, in) -> Networks.generator(p, in[0], arch(attention, false, range)), count);
                assertArrayEquals(new long[] {BATCH, 1, H, W}, img.shape());
                assertTrue(img.minNumber().doubleValue() >= range.lower() && img.maxNumber().doubleValue() <= 1.0,
                        range + ": " + img.minNumber() + ".." + img.maxNumber());
                // dense 6 -> 32*2*3, deconvs 32->16->8->4->1 (4x4), attention 8 -> 1, 1, 8 (+ gamma)
                long expected = (6L * 192 + 192) + (16L * 16 * 32 + 16) + (16L * 8 * 16 + 8) + (16L * 4 * 8 + 4) + (16L * 4 + 1)
                        + (attention ? (8 + 1) * 2 + (8 * 8 + 8) + 1 : 0);
                assertEquals(expected, count.get("n"), "parameters, attention=" + attention);
            }
        }
    }

    @Test
    void discriminatorEncoderAndCodeDiscriminatorShapes() {
        GanArchitecture a = arch(true, true, PixelRange.UNIT);
        Map<String, Long> count = new HashMap<>();
        long[] image = {BATCH, 1, H, W};
        assertArrayEquals(new long[] {BATCH, 1},
                run(a, image, null, (p, in) -> Networks.imageDiscriminator(p, in[0], a), count).shape());
        assertArrayEquals(new long[] {BATCH, LATENT},
                run(a, image, null, (p, in) -> Networks.encoder(p, in[0], a), count).shape());
        assertArrayEquals(new long[] {BATCH, 1},
                run(a, image, new long[] {BATCH, LATENT}, (p, in) -> Networks.jointDiscriminator(p, in[0], in[1], a), count).shape());
        assertArrayEquals(new long[] {BATCH, 1},
                run(a, new long[] {BATCH, LATENT}, null, (p, in) -> Networks.codeDiscriminator(p, in[0], a), count).shape());
        assertEquals((6L * 32 + 32) + (32L * 32 + 32) + (32 + 1), count.get("n"), "code discriminator parameters");
    }

    @Test
    void trunkHalvesFourTimesAndFlattens() {
        GanArchitecture a = arch(false, false, PixelRange.UNIT);
        assertEquals(8L * C * (H / 16) * (W / 16), a.flatFeatures());
        Map<String, Long> count = new HashMap<>();
        INDArray f = run(a, new long[] {BATCH, 1, H, W}, null, (p, in) -> Networks.trunk(p, "d", in[0], a, false), count);
        assertArrayEquals(new long[] {BATCH, a.flatFeatures()}, f.shape());
    }

    @Test
    void generatorAndDiscriminatorGradientsMatchCentralDifferencesInFloat64() {
        // attention in both, spectral norm in D: every building block of the GANs in one chain
        GanArchitecture a = new GanArchitecture(16, 16, 2, 3, true, true, PixelRange.UNIT);
        SameDiff sd = SameDiff.create();
        ParamScope p = ParamScope.owned(sd, new SplittableRandom(5), DataType.DOUBLE);
        SDVariable z = sd.var("z", GradientCheck.uniform(13, DataType.DOUBLE, 2, 3));
        SDVariable logits = Networks.imageDiscriminator(p, Networks.generator(p, z, a), a);
        sd.identity("loss", Layers.logisticLoss(sd, logits, 0.9));
        sd.setLossVariables("loss");
        for (String name : p.names()) {
            INDArray arr = sd.getVariable(name).getArr();
            if (name.endsWith("_gamma")) {
                arr.assign(0.5); // let the attention projections take part
            } else if (name.endsWith("_w")) {
                arr.muli(10.0); // N(0, 0.2): gradients well above the difference noise
            }
        }
        // converged power iterations, as training keeps them: sigma is then the largest singular value and D stays
        // well conditioned (random vectors can give a sigma near 0 and logits in the thousands)
        Map<String, INDArray> feeds = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(6);
        for (Map.Entry<String, long[]> e : p.spectralShapes().entrySet()) {
            INDArray m = sd.getVariable(e.getKey()).getArr().reshape('c', e.getValue()[0], e.getValue()[1]);
            INDArray u = unit(e.getValue()[1], rng);
            INDArray v = null;
            for (int i = 0; i < 30; i++) {
                v = m.mmul(u);
                v.divi(v.norm2Number());
                u = m.transpose().mmul(v);
                u.divi(u.norm2Number());
            }
            feeds.put(e.getKey() + SpectralNorm.U, u);
            feeds.put(e.getKey() + SpectralNorm.V, v);
        }
        double loss = sd.output(feeds, "loss").get("loss").getDouble(0);
        assertTrue(loss < 50, "well-conditioned discriminator, loss " + loss);
        assertTrue(p.spectralShapes().containsKey("d_att_f_w") && p.spectralShapes().containsKey("d_out_w"));
        List<String> names = new java.util.ArrayList<>(p.names());
        names.add("z");
        GradientCheck.check(sd, feeds, names, 1);
    }

    private static INDArray unit(long n, SplittableRandom rng) {
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        INDArray a = Nd4j.create(v, new long[] {n, 1}, DataType.DOUBLE);
        return a.divi(a.norm2Number());
    }

    @Test
    void sidesMustBeMultiplesOfSixteen() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GanArchitecture(40, 32, C, LATENT, false, false, PixelRange.UNIT));
        assertTrue(e.getMessage().contains("multiples of 16") && e.getMessage().contains("32x40"), e.getMessage());
    }

    @Test
    void foreignScopeDeclaresPlaceholdersAndSharesRepeatedNames() {
        SameDiff sd = SameDiff.create();
        ParamScope own = ParamScope.owned(sd, new SplittableRandom(3), DataType.FLOAT);
        ParamScope other = ParamScope.foreign(sd, DataType.FLOAT);
        SDVariable w1 = own.normal("a_w", 0.02, 2, 3);
        assertTrue(w1 == own.normal("a_w", 0.02, 2, 3), "a repeated name returns the same variable");
        SDVariable b = other.zeros("b_w", 4);
        assertEquals(VariableType.VARIABLE, w1.getVariableType());
        assertEquals(VariableType.PLACEHOLDER, b.getVariableType());
        assertEquals(List.of("a_w"), own.names());
        assertEquals(List.of("b_w"), other.names());
        // same seed, same initial values; N(0, 0.02)
        SameDiff sd2 = SameDiff.create();
        INDArray again = ParamScope.owned(sd2, new SplittableRandom(3), DataType.FLOAT).normal("a_w", 0.02, 2, 3).getArr();
        assertEquals(w1.getArr(), again);
        assertTrue(w1.getArr().amaxNumber().doubleValue() < 0.2);
    }
}
