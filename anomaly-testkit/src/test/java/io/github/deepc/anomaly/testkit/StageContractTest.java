package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.StageProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stage contract passes a well-behaved stage and catches each kind of broken one. */
class StageContractTest {
    private static StageProvider provider(String id, PreprocessingStage stage) {
        return new StageProvider() {
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
}
