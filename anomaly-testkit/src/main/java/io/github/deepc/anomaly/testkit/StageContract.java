package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import io.github.deepc.anomaly.core.spi.FittedStageProvider;
import io.github.deepc.anomaly.core.plugin.PluginCatalog;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The {@link PreprocessingStage} contract as JUnit 5 dynamic tests. Return it from a {@code @TestFactory}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> gammaKeepsTheStageContract() {
 *     return StageContract.of(new GammaStageProvider(), Map.of("gamma", "0.5"));
 * }
 * }</pre>
 *
 * <p>Checked on each input, for training and inference calls: the stage never modifies its input; its output's mask
 * fits its pixels (one flag per pixel) and every valid output pixel is finite; the same seed gives the same output
 * whatever ran before (randomness only from {@link StageContext#random()}); and calls on {@value
 * ContractSupport#THREADS} threads at once give the results of calls one after another (thread-safe); and every
 * output pixel lies in the range the provider declares ({@link StageProvider#outputRange}) for the input's range and
 * for an unknown input, also on copies of the inputs scaled to [0, 255] and squeezed into [0.25, 0.75] and on one
 * without valid pixels (a stage that declares nothing passes). A {@link FittedStageProvider} is fitted on the inputs first.
 */
public final class StageContract {
    private static final long[] SEEDS = {42L, 7L, -3L};

    private StageContract() {
    }

    /**
     * @return the default inputs: small random images (all valid and with a random invalid part), a ramp, smooth blobs
     *         with an invalid border; at most 48 x 40 pixels so the checks stay fast
     */
    public static List<GrayImage> defaultInputs() {
        List<GrayImage> in = new ArrayList<>();
        in.add(TestImages.random(48, 40, 1, 1f, 1.0).withPixels(positive(TestImages.random(48, 40, 1, 1f, 1.0))));
        in.add(TestImages.random(40, 48, 2, 1f, 0.8).withPixels(positive(TestImages.random(40, 48, 2, 1f, 0.8))));
        in.add(TestImages.ramp(32, 24));
        in.addAll(TestImages.blobs(2, 40, 4, 3));
        return in;
    }

    /** Values in [0, 1]: most stages expect non-negative grey levels. */
    private static float[] positive(GrayImage image) {
        float[] p = image.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = (p[i] + 1f) / 2f;
        }
        return p;
    }

    /**
     * @param provider the stage provider
     * @param params   its parameters (missing ones take their defaults)
     * @return the checks on {@link #defaultInputs()}
     */
    public static Stream<DynamicNode> of(StageProvider provider, Map<String, String> params) {
        return of(provider, params, defaultInputs());
    }

    /**
     * @param provider the stage provider
     * @param params   its parameters (missing ones take their defaults)
     * @param inputs   the images to check on (also the fitting images of a fitted stage)
     * @return the checks
     */
    public static Stream<DynamicNode> of(StageProvider provider, Map<String, String> params, List<GrayImage> inputs) {
        Map<String, String> p = provider instanceof FittedStageProvider f && f.needsFit(params)
                ? f.fit(params, inputs) : params;
        PreprocessingStage stage = provider.create(p);
        Parameters parsed = Parameters.parse(provider.id(), provider.parameters(), p);
        String id = provider.id();
        return Stream.of(
                DynamicTest.dynamicTest(id + " never modifies its input", () -> neverMutates(id, stage, inputs)),
                DynamicTest.dynamicTest(id + " returns a mask consistent with its pixels", () -> consistent(id, stage, inputs)),
                DynamicTest.dynamicTest(id + " gives the same output for the same seed", () -> seeded(id, stage, inputs)),
                DynamicTest.dynamicTest(id + " is thread-safe", () -> threadSafe(id, stage, inputs)),
                DynamicTest.dynamicTest(id + " keeps to its declared output range",
                        () -> declaredRange(id, provider, parsed, stage, inputs)));
    }

    /**
     * Checks every stage of a catalog (a registry's {@code stages()}), one container per id.
     *
     * @param catalog the stages
     * @param params  parameters per provider (e.g. a required reference), {@code Map.of()} for the defaults
     * @return the checks
     */
    public static Stream<DynamicNode> forAll(PluginCatalog<StageProvider> catalog,
            Function<StageProvider, Map<String, String>> params) {
        return catalog.providers().stream().map(p -> DynamicContainer.dynamicContainer(p.id(), of(p, params.apply(p))));
    }

    private static void neverMutates(String id, PreprocessingStage stage, List<GrayImage> inputs) {
        for (GrayImage in : inputs) {
            float[] pixels = in.pixels();
            boolean[] mask = in.mask();
            for (boolean training : new boolean[] {false, true}) {
                stage.apply(in, StageContext.standalone(training, 42L));
                assertArrayEquals(pixels, in.unsafePixels(), id + " changed the pixels of its input " + in);
                assertArrayEquals(mask, in.unsafeMask(), id + " changed the mask of its input " + in);
            }
        }
    }

    private static void consistent(String id, PreprocessingStage stage, List<GrayImage> inputs) {
        for (GrayImage in : inputs) {
            for (boolean training : new boolean[] {false, true}) {
                GrayImage out = stage.apply(in, StageContext.standalone(training, 42L));
                assertNotNull(out, id + " returned null");
                assertTrue(out.width() > 0 && out.height() > 0, id + " returned an empty image");
                assertEquals(out.width() * out.height(), out.unsafePixels().length, id + ": pixels vs size");
                assertEquals(out.unsafePixels().length, out.unsafeMask().length, id + ": one mask flag per pixel");
                float[] p = out.unsafePixels();
                boolean[] m = out.unsafeMask();
                for (int i = 0; i < p.length; i++) {
                    assertTrue(!m[i] || Float.isFinite(p[i]), id + ": valid pixel " + i + " is " + p[i]);
                }
            }
        }
    }

    private static void seeded(String id, PreprocessingStage stage, List<GrayImage> inputs) {
        for (GrayImage in : inputs) {
            for (boolean training : new boolean[] {false, true}) {
                GrayImage first = stage.apply(in, StageContext.standalone(training, 42L));
                for (long other : SEEDS) {
                    stage.apply(in, StageContext.standalone(training, other)); // whatever ran before must not matter
                }
                GrayImage again = stage.apply(in, StageContext.standalone(training, 42L));
                assertEquals(first, again, id + ": the same seed gave a different output (training " + training
                        + "): randomness must come only from StageContext.random()");
            }
        }
    }

    /** Training calls per input in the range check, each with its own seed. */
    private static final int RANGE_SEEDS = 8;
    /** Slack for float rounding, relative to the range's magnitude. */
    private static final double RANGE_SLACK = 1e-5;

    private static void declaredRange(String id, StageProvider provider, Parameters params, PreprocessingStage stage,
            List<GrayImage> inputs) {
        List<GrayImage> all = new ArrayList<>(inputs);
        for (GrayImage in : inputs) {
            all.add(affine(in, 255f, 0f)); // the 8-bit scale
            all.add(affine(in, 0.5f, 0.25f)); // a range without 0 (so that a stage adding 0s must say so)
        }
        GrayImage first = affine(inputs.get(0), 0.5f, 0.25f);
        all.add(GrayImage.of(first.width(), first.height(), first.pixels(), new boolean[first.width() * first.height()]));
        Optional<ValueRange> absolute = provider.outputRange(params, Optional.empty());
        for (GrayImage in : all) {
            Optional<ValueRange> inRange = ValueRange.of(in);
            Optional<ValueRange> declared = provider.outputRange(params, inRange);
            for (int run = 0; run <= RANGE_SEEDS; run++) {
                boolean training = run > 0; // several training seeds, so that random transforms are drawn
                long seed = 42L + run;
                GrayImage out = stage.apply(in, StageContext.standalone(training, seed));
                declared.ifPresent(r -> within(id, r, out, "for an input in " + inRange.map(String::valueOf)
                        .orElse("(no finite pixel)") + ", training " + training + ", seed " + seed));
                absolute.ifPresent(r -> within(id, r, out, "for any input (declared for an unknown input range), "
                        + "training " + training + ", seed " + seed));
            }
        }
    }

    private static GrayImage affine(GrayImage image, float scale, float offset) {
        float[] p = image.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] * scale + offset;
        }
        return image.withPixels(p);
    }

    private static void within(String id, ValueRange declared, GrayImage out, String when) {
        double slack = RANGE_SLACK * Math.max(1, Math.max(finiteAbs(declared.min()), finiteAbs(declared.max())));
        float[] p = out.unsafePixels();
        for (int i = 0; i < p.length; i++) {
            if (Float.isFinite(p[i])) {
                int pixel = i;
                assertTrue(declared.contains(p[i], slack), () -> id + ": output pixel " + pixel + " is " + p[pixel]
                        + ", outside the declared output range " + declared + " " + when);
            }
        }
    }

    private static double finiteAbs(double v) {
        return Double.isFinite(v) ? Math.abs(v) : 0;
    }

    private static void threadSafe(String id, PreprocessingStage stage, List<GrayImage> inputs) {
        List<Callable<GrayImage>> tasks = new ArrayList<>();
        List<GrayImage> expected = new ArrayList<>();
        for (GrayImage in : inputs) {
            for (long seed : SEEDS) {
                boolean training = seed < 0;
                tasks.add(() -> stage.apply(in, StageContext.standalone(training, seed)));
                expected.add(stage.apply(in, StageContext.standalone(training, seed)));
            }
        }
        for (List<GrayImage> run : ContractSupport.concurrently(tasks)) {
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), run.get(i), id + ": a call on several threads at once differed from a"
                        + " call alone (input " + i / SEEDS.length + ")");
            }
        }
    }
}
