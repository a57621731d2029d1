package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.testkit.TestImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.pipeline.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BodyPartCropStageTest {
    /** Two detections: class 1 at (0.25, 0.2)-(0.75, 0.6) with 0.9, class 2 at the top-left quarter with 0.6. */
    private static final float[][] DETECTIONS = {
        {0, 1, 0.9f, 0.25f, 0.2f, 0.75f, 0.6f},
        {0, 2, 0.6f, 0f, 0f, 0.5f, 0.5f},
    };

    @TempDir
    Path dir;

    private BodyPartCropStage dnn(Path model, int channels, double confidence, int classId, double margin) {
        return new BodyPartCropStage(new BodyPartCropStage.Network(model, null, 32, 1.0, 0, channels, confidence, classId),
                margin, 0.005);
    }

    @Test
    void dnnPathCropsToTheBestDetectionOfTheSelfBuiltNetwork() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, DETECTIONS, 7);
        GrayImage img = TestImages.random(200, 100, 5, 1000f, 0.8);
        StageContext ctx = TestImages.ctx();
        GrayImage out = dnn(model, 3, 0.5, -1, 0.0).apply(img, ctx);
        // (0.25, 0.2)-(0.75, 0.6) of 200x100: columns 50..149, rows 20..59
        assertEquals(100, out.width());
        assertEquals(40, out.height());
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 100; x++) {
                assertEquals(img.get(x + 50, y + 20), out.get(x, y), 0f);
                assertEquals(img.isValid(x + 50, y + 20), out.isValid(x, y), "mask at " + x + "," + y);
            }
        }
        assertTrue(ctx.notes().get(0).contains("dnn class 1 confidence 0.9"), ctx.notes().toString());
    }

    @Test
    void classIdSelectsTheDetectionAndMarginGrowsTheBoxClampedToTheImage() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, DETECTIONS, 7);
        GrayImage img = TestImages.ramp(200, 100);
        // class 2: the top-left quarter, columns 0..99, rows 0..49; a 10% margin adds 10 columns and 5 rows on
        // each side, clamped at the image's top-left corner
        CropRegion r = dnn(model, 3, 0.5, 2, 0.1).locate(img).orElseThrow();
        assertEquals(0, r.x());
        assertEquals(0, r.y());
        assertEquals(110, r.width());
        assertEquals(55, r.height());
        // class 1 with a margin: 50..149 grows to 40..159, 20..59 to 16..63
        CropRegion r1 = dnn(model, 3, 0.5, 1, 0.1).locate(img).orElseThrow();
        assertEquals(List.of(40, 16, 120, 48), List.of(r1.x(), r1.y(), r1.width(), r1.height()));
    }

    @Test
    void noDetectionAboveTheConfidenceLeavesTheImageUnchangedWithANote() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, DETECTIONS, 7);
        GrayImage img = TestImages.ramp(64, 48);
        StageContext ctx = TestImages.ctx();
        assertSame(img, dnn(model, 3, 0.95, -1, 0.0).apply(img, ctx));
        assertTrue(ctx.notes().get(0).contains("no detection with confidence >= 0.95"), ctx.notes().toString());
        StageContext ctx3 = TestImages.ctx();
        assertSame(img, dnn(model, 3, 0.5, 3, 0.0).apply(img, ctx3));
        assertTrue(ctx3.notes().get(0).contains("of class 3"), ctx3.notes().toString());
    }

    @Test
    void oneChannelNetworksWorkToo() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("gray.onnx"), 1, 32, DETECTIONS, 7);
        CropRegion r = dnn(model, 1, 0.5, -1, 0).locate(TestImages.ramp(80, 40)).orElseThrow();
        assertEquals(List.of(20, 8, 40, 16), List.of(r.x(), r.y(), r.width(), r.height()));
    }

    @Test
    void theProviderLoadsTheModelFromItsParameters() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, DETECTIONS, 7);
        BodyPartCropStage s = (BodyPartCropStage) new BodyPartCropStageProvider().create(Map.of("model", model.toString(),
                "input-size", "32", "margin", "0", "class-id", "1"));
        assertEquals(model, s.network().orElseThrow().model());
        assertEquals(100, s.apply(TestImages.ramp(200, 100), TestImages.ctx()).width());
        BodyPartCropStage classical = (BodyPartCropStage) new BodyPartCropStageProvider().create(Map.of());
        assertTrue(classical.network().isEmpty());
    }

    @Test
    void badModelFilesFailAtCreationNamingStageParameterAndFile() throws Exception {
        Path missing = dir.resolve("missing.onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dnn(missing, 3, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains("file not found")
                && e.getMessage().contains(missing.toString()), e.getMessage());

        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        e = assertThrows(IllegalArgumentException.class, () -> dnn(empty, 3, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains("empty"), e.getMessage());

        byte[] junk = new byte[4000];
        new java.util.Random(3).nextBytes(junk);
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), junk);
        e = assertThrows(IllegalArgumentException.class, () -> dnn(corrupt, 3, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains(corrupt.toString()), e.getMessage());

        Path unknown = Files.write(dir.resolve("model.xyz"), junk);
        e = assertThrows(IllegalArgumentException.class, () -> dnn(unknown, 3, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains(unknown.toString()), e.getMessage());

        // a network that runs but does not output SSD rows of 7
        Path notSsd = TinyOnnx.detector(dir.resolve("five.onnx"), 3, 32, DETECTIONS, 5);
        e = assertThrows(IllegalArgumentException.class, () -> dnn(notSsd, 3, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains("[1, 1, N, 7]"), e.getMessage());

        // a 3-channel network fed one channel
        Path rgb = TinyOnnx.detector(dir.resolve("rgb.onnx"), 3, 32, DETECTIONS, 7);
        e = assertThrows(IllegalArgumentException.class, () -> dnn(rgb, 1, 0.5, -1, 0));
        assertTrue(e.getMessage().contains("body-part-crop.model") && e.getMessage().contains("1-channel"), e.getMessage());

        // through the provider: a missing config, and a config without a model
        BodyPartCropStageProvider p = new BodyPartCropStageProvider();
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("model", rgb.toString(), "input-size", "32",
                "config", dir.resolve("nope.pbtxt").toString())));
        assertTrue(e.getMessage().contains("body-part-crop.config") && e.getMessage().contains("nope.pbtxt"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("config", "x.pbtxt")));
        assertTrue(e.getMessage().contains("body-part-crop.model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("channels", "2")));
        assertTrue(e.getMessage().contains("body-part-crop.channels"), e.getMessage());
    }

    @Test
    void theNetIsSharedSafelyBetweenThreads() throws Exception {
        Path model = TinyOnnx.detector(dir.resolve("tiny.onnx"), 3, 32, DETECTIONS, 7);
        BodyPartCropStage stage = dnn(model, 3, 0.5, -1, 0.05);
        List<GrayImage> inputs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inputs.add(TestImages.random(60 + 7 * i, 90 - 3 * i, i, 255f, 1.0));
        }
        List<GrayImage> expected = new ArrayList<>();
        for (GrayImage in : inputs) {
            expected.add(stage.apply(in, TestImages.ctx()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<GrayImage>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (GrayImage in : inputs) {
                    futures.add(pool.submit(() -> stage.apply(in, TestImages.ctx())));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(expected.get(i % inputs.size()), futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void classicalFallbackFindsAGeneratedHand() {
        int[] box = new int[4];
        int w = 240;
        int h = 300;
        GrayImage img = GrayImage.of(w, h, Drawn.hand(w, h, 7, box), null);
        BodyPartCropStage stage = new BodyPartCropStage(0.0, 0.005);
        CropRegion r = stage.locate(img).orElseThrow();
        // the crop holds the whole hand (palm, fingers, thumb) and not much more than it and its wrist
        assertTrue(r.x() <= box[0] + 2 && r.y() <= box[1] + 2 && r.x() + r.width() >= box[0] + box[2] - 2
                && r.y() + r.height() >= box[1] + box[3] - 2, "crop " + r + " misses the hand " + java.util.Arrays.toString(box));
        assertTrue(r.width() <= box[2] + 20 && r.y() >= box[1] / 3, "crop " + r + " is much larger than the hand "
                + java.util.Arrays.toString(box));
        // 16-bit: the same crop
        assertEquals(r, stage.locate(Drawn.scaled(img, 257f)).orElseThrow());
        // the crop crops the mask
        GrayImage out = stage.apply(img, TestImages.ctx());
        assertEquals(r.width(), out.width());
        assertEquals(out.size(), out.validCount());
    }

    @Test
    void classicalFallbackIgnoresASmallBrightMarker() {
        int[] box = new int[4];
        int w = 240;
        int h = 300;
        float[] p = Drawn.hand(w, h, 8, box);
        // a bright "L" marker in the top-left corner
        boolean[] letter = Drawn.text(w, h, "L", 12, 40, 22);
        for (int i = 0; i < p.length; i++) {
            if (letter[i]) {
                p[i] = 255;
            }
        }
        CropRegion r = new BodyPartCropStage(0.0, 0.005).locate(GrayImage.of(w, h, p, null)).orElseThrow();
        assertTrue(r.x() > 40, "crop " + r + " reaches for the marker");
    }

    @Test
    void degenerateImagesAreReturnedUnchangedWithANote() {
        BodyPartCropStage stage = new BodyPartCropStage(0.05, 0.005);
        for (GrayImage img : List.of(GrayImage.filled(1, 1, 3f), GrayImage.filled(40, 30, 0f), GrayImage.filled(20, 20, 9f),
                TestImages.ramp(5, 5), GrayImage.of(3, 3, new float[9], new boolean[9]))) {
            StageContext ctx = TestImages.ctx();
            assertSame(img, stage.apply(img, ctx), img.toString());
            assertEquals(1, ctx.notes().size(), img + " " + ctx.notes());
            assertFalse(stage.locate(img).isPresent());
        }
    }

    @Test
    void providerDeclaresTypedParameters() {
        BodyPartCropStageProvider p = new BodyPartCropStageProvider();
        assertEquals("body-part-crop", p.id());
        assertEquals(List.of("model", "config", "confidence", "class-id", "margin", "input-size", "scale", "mean", "channels",
                "min-area"), p.parameters().stream().map(s -> s.name()).toList());
        assertInstanceOf(BodyPartCropStage.class, p.create(Map.of("margin", "0.2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("margin", "3")));
        assertTrue(e.getMessage().contains("body-part-crop.margin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("confidence", "1.5")));
        assertTrue(e.getMessage().contains("body-part-crop.confidence"), e.getMessage());
    }
}
