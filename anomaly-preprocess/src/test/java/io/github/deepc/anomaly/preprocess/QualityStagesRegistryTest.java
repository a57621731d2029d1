package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** Discovery, thread safety and native memory of the equalize, clahe, invert, median and augment stages. */
class QualityStagesRegistryTest {
    @Test
    void stagesAreDiscovered() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertTrue(registry.stages().failures().isEmpty(), registry.stages().failures().toString());
        assertInstanceOf(EqualizeStageProvider.class, registry.stages().get("equalize"));
        assertInstanceOf(ClaheStageProvider.class, registry.stages().get("clahe"));
        assertInstanceOf(InvertStageProvider.class, registry.stages().get("invert"));
        assertInstanceOf(MedianStageProvider.class, registry.stages().get("median"));
        assertInstanceOf(AugmentStageProvider.class, registry.stages().get("augment"));
    }

    private static List<PreprocessingStage> stages() {
        PluginRegistry registry = PluginRegistry.load(QualityStagesRegistryTest.class.getClassLoader());
        List<PreprocessingStage> out = new ArrayList<>();
        for (String id : List.of("equalize", "clahe", "invert", "median", "augment")) {
            out.add(registry.stages().get(id).create(Map.of()));
        }
        out.add(new MedianStage(9));
        out.add(new InvertStage(InvertStage.Mode.ALWAYS, 0));
        return out;
    }

    @Test
    void sharedInstancesGiveTheSameResultsInParallel() throws Exception {
        List<PreprocessingStage> stages = stages();
        List<GrayImage> inputs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            inputs.add(i % 3 == 0 ? Radiographs.bodyFilling(30 + i, 50 - i, i, 4000f) : TestImages.random(20 + i, 40 - i, i, 255f, i % 2 == 0 ? 1.0 : 0.7));
        }
        List<GrayImage> expected = new ArrayList<>();
        for (GrayImage in : inputs) {
            for (PreprocessingStage s : stages) {
                expected.add(s.apply(in, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, 11)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<GrayImage>> futures = new ArrayList<>();
            for (GrayImage in : inputs) {
                for (PreprocessingStage s : stages) {
                    futures.add(pool.submit(() -> s.apply(in, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, 11))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(expected.get(i), futures.get(i).get(), "result " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stagesReleaseTheirNativeMemory() {
        List<PreprocessingStage> stages = stages();
        GrayImage img = TestImages.random(50, 30, 3, 100f, 0.8);
        GrayImage full = Radiographs.bodyFilling(40, 40, 1, 255f);
        for (PreprocessingStage s : stages) {
            s.apply(img, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, 1));
            s.apply(full, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, 1));
        }
        long before = Pointer.totalCount();
        for (int i = 0; i < 50; i++) {
            for (PreprocessingStage s : stages) {
                s.apply(img, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, i));
                s.apply(full, io.github.deepc.anomaly.core.pipeline.StageContext.standalone(true, i));
            }
        }
        assertTrue(Pointer.totalCount() <= before, "native pointers left allocated: " + (Pointer.totalCount() - before));
    }
}
