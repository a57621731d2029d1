package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionStagesMemoryTest {
    @TempDir
    Path dir;

    @Test
    void theStagesReleaseTheirNativeMemory() throws Exception {
        int w = 96;
        int h = 80;
        float[] p = Drawn.scannedFilm(w, h, new Rectangle2D.Double(15, 10, 66, 60), 60, 200, 1);
        boolean[] letter = Drawn.text(w, h, "L", 20, 30, 12);
        for (int i = 0; i < p.length; i++) {
            if (letter[i]) {
                p[i] = 255;
            }
        }
        GrayImage img = GrayImage.of(w, h, p, null);
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, new float[][] {{0, 1, 0.9f, 0.2f, 0.2f, 0.8f, 0.8f}}, 7);
        // created before counting: the detector's Net lives as long as its stage
        List<PreprocessingStage> stages = List.of(SquareCropStage.defaults(), MarkerRemovalStage.defaults(),
                new BodyPartCropStage(0.05, 0.005),
                new BodyPartCropStage(new BodyPartCropStage.Network(model, null, 32, 1, 0, 3, 0.5, -1), 0.05, 0.005),
                new SegmentStage(SegmentStage.Method.OTSU, 5, 1), new SegmentStage(SegmentStage.Method.GRABCUT, 3, 1));
        for (PreprocessingStage s : stages) {
            s.apply(img, TestImages.ctx());
        }
        long before = Pointer.totalCount();
        for (int i = 0; i < 20; i++) {
            for (PreprocessingStage s : stages) {
                s.apply(img, TestImages.ctx());
            }
        }
        assertTrue(Pointer.totalCount() <= before, "native pointers left allocated: " + (Pointer.totalCount() - before));
    }
}
