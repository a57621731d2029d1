package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The stage contract passes a well-behaved stage and catches each kind of broken one. */
class StageContractTest {
    private static StageProvider provider(String id, PreprocessingStage stage) {
        return provider(id, stage, in -> Optional.empty());
    }

    /** A provider declaring {@code range} as its output range for an input range (empty: unknown). */
    private static StageProvider provider(String id, PreprocessingStage stage,
            UnaryOperator<Optional<ValueRange>> range) {
        return new StageProvider() {
            @Override
            public Optional<ValueRange> outputRange(Parameters params, Optional<ValueRange> input) {
                return range.apply(input);
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return id;
            }

            @Override
            public List<ParameterSpec> parameters() {
                return List.of();
            }

            @Override
            public PreprocessingStage create(Parameters params) {
                return stage;
            }
        };
    }

    private static List<String> failures(PreprocessingStage stage) {
        return Outcomes.failed(Outcomes.run(StageContract.of(provider("s", stage), Map.of())));
    }

    @Test
    void aWellBehavedStagePasses() {
        PreprocessingStage noisy = (img, ctx) -> {
            var r = ctx.random();
            float[] p = img.pixels();
            for (int i = 0; i < p.length; i++) {
                p[i] += ctx.training() ? (float) r.nextDouble() : 0f;
            }
            return img.withPixels(p);
        };
        assertEquals(List.of(), failures(noisy));
    }

    @Test
    void aStageThatWritesIntoItsInputIsCaught() {
        PreprocessingStage mutating = (img, ctx) -> {
            img.unsafePixels()[0] = 9;
            return img;
        };
        assertEquals(List.of("s never modifies its input"), failures(mutating));
    }

    @Test
    void aStageWithItsOwnRandomnessIsCaught() {
        AtomicLong calls = new AtomicLong();
        PreprocessingStage unseeded = (img, ctx) -> {
            float[] p = img.pixels();
            p[0] += calls.incrementAndGet();
            return img.withPixels(p);
        };
        List<String> failed = failures(unseeded);
        assertEquals(true, failed.contains("s gives the same output for the same seed"), failed.toString());
        assertEquals(true, failed.contains("s is thread-safe"), failed.toString());
    }

    @Test
    void aStageReturningNonFiniteValidPixelsIsCaught() {
        PreprocessingStage nan = (img, ctx) -> {
            float[] p = img.pixels();
            p[p.length - 1] = Float.NaN;
            return GrayImage.of(img.width(), img.height(), p, null);
        };
        assertEquals(List.of("s returns a mask consistent with its pixels"), failures(nan));
    }

    /** Clamps every pixel into [0, 1], as a normalising stage would. */
    private static final PreprocessingStage CLAMP = (img, ctx) -> {
        float[] p = img.pixels();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(1f, Math.max(0f, p[i]));
        }
        return img.withPixels(p);
    };

    private static List<String> failures(StageProvider provider) {
        return Outcomes.failed(Outcomes.run(StageContract.of(provider, Map.of())));
    }

    @Test
    void aStageThatKeepsToItsDeclaredRangePasses() {
        assertEquals(List.of(), failures(provider("s", CLAMP, in -> Optional.of(ValueRange.UNIT))));
        assertEquals(List.of(), failures(provider("s", (img, ctx) -> img, in -> in)), "the identity keeps its input's range");
    }

    @Test
    void aStageLeavingItsDeclaredRangeIsCaught() {
        // declares [0, 1] but doubles the pixels
        PreprocessingStage doubling = (img, ctx) -> {
            float[] p = img.pixels();
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.min(1f, Math.max(0f, p[i])) * 2f;
            }
            return img.withPixels(p);
        };
        var outcomes = Outcomes.run(StageContract.of(provider("s", doubling, in -> Optional.of(ValueRange.UNIT)), Map.of()));
        assertEquals(List.of("s keeps to its declared output range"), Outcomes.failed(outcomes));
        String message = outcomes.get("s keeps to its declared output range");
        assertEquals(true, message.contains("outside the declared output range [0, 1]"), message);
        // declares "keeps the input's range" but sets the first pixel to 0: caught on the inputs whose range lacks 0
        PreprocessingStage zeroing = (img, ctx) -> {
            float[] p = img.pixels();
            p[0] = 0f;
            return img.withPixels(p);
        };
        assertEquals(List.of("s keeps to its declared output range"), failures(provider("s", zeroing, in -> in)));
        assertEquals(List.of(), failures(provider("s", zeroing, in -> in.map(r -> r.including(0)))));
    }
}
