package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StageConcurrencyTest {
    @Test
    void sharedStageInstancesGiveTheSameResultsInParallel() throws Exception {
        PreprocessingStage resize = new ResizeStage(48, ResizeStage.Interpolation.AUTO);
        PreprocessingStage pad = new PadStage(48, PadStage.Mode.CENTRE, 0);
        PreprocessingStage norm = new NormalizeStage(NormalizeStage.Range.UNIT);
        List<GrayImage> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            inputs.add(TestImages.random(20 + i * 3, 90 - i, i, 1000f, i % 2 == 0 ? 1.0 : 0.7));
        }
        List<GrayImage> expected = new ArrayList<>();
        for (GrayImage in : inputs) {
            expected.add(norm.apply(pad.apply(resize.apply(in, TestImages.ctx()), TestImages.ctx()), TestImages.ctx()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<GrayImage>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (GrayImage in : inputs) {
                    futures.add(pool.submit(() -> norm.apply(pad.apply(resize.apply(in, TestImages.ctx()), TestImages.ctx()),
                            TestImages.ctx())));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                GrayImage got = futures.get(i).get();
                GrayImage want = expected.get(i % inputs.size());
                assertEquals(want, got);
                assertEquals(java.util.Arrays.toString(want.unsafeMask()), java.util.Arrays.toString(got.unsafeMask()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
