package io.github.deepc.anomaly.models.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepOneClassModelTest {
    private static final int SIZE = 16;
    private static final TrainingContext CONTEXT = new TrainingContext(3, ProgressListener.NONE);

    private static DeepOneClassModel model(String reference, String excludeRoot) {
        return new DeepOneClassModel(reference, excludeRoot, 3, 0.1, 1, 8, 1e-3, 1e-6, 8);
    }

    /** data/NORMAL and data/ABNORMAL class folders with one tiny PNG each. */
    private static Path dataRoot(Path dir) throws IOException {
        Path root = dir.resolve("data");
        writePng(root.resolve("NORMAL/a.png"), 10);
        writePng(root.resolve("ABNORMAL/b.png"), 200);
        return root;
    }

    private static void writePng(Path file, int grey) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                img.getRaster().setSample(x, y, 0, (grey + 7 * x + 3 * y) % 256);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void referenceOverlappingTheTrainingRootIsRefused(@TempDir Path dir) throws IOException {
        Path root = dataRoot(dir);
        String r = root.toString();
        for (String bad : List.of(r, root.resolve("ABNORMAL").toString(), root.resolve("NORMAL").toString(),
                dir.toString(), root.resolve("ABNORMAL/../ABNORMAL").toString())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(bad, r), bad);
            assertTrue(e.getMessage().contains("deep-one-class.reference") && e.getMessage().contains("exclude-root"),
                    e.getMessage());
        }
        // a separate folder, phantoms, or no known root are accepted when the model is created
        model(dir.resolve("elsewhere").toString(), r).close();
        model(ReferenceSet.PHANTOMS, r).close();
        model(root.resolve("ABNORMAL").toString(), "").close();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> model(" ", r));
        assertTrue(empty.getMessage().contains("deep-one-class.reference is empty"), empty.getMessage());
        // the registry path reports the same refusal
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        RuntimeException viaRegistry = assertThrows(RuntimeException.class, () -> registry.models().create(
                PluginSpec.of("deep-one-class", "reference", root.resolve("ABNORMAL").toString(), "exclude-root", r)));
        assertTrue(viaRegistry.getMessage().contains("exclude-root"), viaRegistry.getMessage());
    }

    @Test
    void theRunContextsDataRootReplacesTheInjectedParameter(@TempDir Path dir) throws IOException {
        Path root = dataRoot(dir);
        List<GrayImage> normals = OneClassImages.blobs(2, SIZE, 1);
        // no exclude-root parameter: the data root reaches the model in its training context
        try (DeepOneClassModel m = model(root.resolve("ABNORMAL").toString(), "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(normals, new TrainingContext(3, ProgressListener.NONE, root)));
            assertTrue(e.getMessage().contains("deep-one-class.reference"), e.getMessage());
        }
        // through a detector: Builder.dataRoot (what DetectorRecipe.resolve and experiments set) is that context
        try (io.github.deepc.anomaly.core.detector.AnomalyDetector d = io.github.deepc.anomaly.core.detector.AnomalyDetector
                .builder().pipeline(List.of()).model(PluginSpec.of("deep-one-class", "reference",
                        root.resolve("ABNORMAL").toString(), "epochs", "1")).scorer(PluginSpec.of("distance"))
                .dataRoot(root).build()) {
            assertEquals(false, d.config().model().params().containsKey("exclude-root"), "nothing injected");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.fitImages(normals, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("deep-one-class.reference"), e.getMessage());
        }
    }

    @Test
    void symbolicLinksIntoTheTrainingRootAreRefused(@TempDir Path dir) throws IOException {
        Path root = dataRoot(dir);
        Path link = dir.resolve("looks-separate");
        try {
            Files.createSymbolicLink(link, root.resolve("ABNORMAL"));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links unsupported here: " + e);
        }
        assertThrows(IllegalArgumentException.class, () -> model(link.toString(), root.toString()));
    }

    @Test
    void trainsWithPhantomsAndSavesAndLoadsIdentically() throws IOException {
        List<GrayImage> train = OneClassImages.blobs(8, SIZE, 8);
        try (DeepOneClassModel m = new DeepOneClassModel(ReferenceSet.PHANTOMS, "", 2, 0.1, 1, 8, 1e-3, 1e-6, 8)) {
            TrainingSummary s = m.fit(train, CONTEXT);
            assertEquals(1, s.epochs());
            assertTrue(Double.isFinite(s.finalLoss()) && s.finalLoss() > 0, "loss " + s.finalLoss());
            List<ModelOutput> outs = m.infer(train.subList(0, 4));
            float[] mu = m.centre();
            for (ModelOutput o : outs) {
                assertEquals(8, o.latent().length);
                double d = 0;
                for (int j = 0; j < mu.length; j++) {
                    d += ((double) o.latent()[j] - mu[j]) * ((double) o.latent()[j] - mu[j]);
                }
                assertEquals(d, o.scalar(OutputKind.DISTANCE), 1e-12);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            m.writeState(bytes);
            // loading needs neither the reference set nor the same reference parameter's folder to exist
            try (DeepOneClassModel loaded = new DeepOneClassModel("/nonexistent/reference", "", 2, 0.1, 1, 8, 1e-3,
                    1e-6, 8)) {
                loaded.readState(new ByteArrayInputStream(bytes.toByteArray()));
                List<ModelOutput> again = loaded.infer(train.subList(0, 4));
                for (int i = 0; i < outs.size(); i++) {
                    assertArrayEquals(outs.get(i).latent(), again.get(i).latent());
                    assertEquals(outs.get(i).scalar(OutputKind.DISTANCE), again.get(i).scalar(OutputKind.DISTANCE));
                }
            }
        }
    }

    @Test
    void folderReferenceNeedsTwoClasses(@TempDir Path dir) throws IOException {
        List<GrayImage> train = OneClassImages.blobs(8, SIZE, 9);
        Path one = dir.resolve("one");
        writePng(one.resolve("only/x.png"), 5);
        try (DeepOneClassModel m = model(one.toString(), dir.resolve("data").toString())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(train, CONTEXT));
            assertTrue(e.getMessage().contains("at least 2 class"), e.getMessage());
        }
        Path two = dir.resolve("two");
        writePng(two.resolve("cats/x.png"), 5);
        writePng(two.resolve("dogs/y.png"), 99);
        writePng(two.resolve("dogs/z.png"), 150);
        ReferenceSet ref = ReferenceSet.folder(two, SIZE, SIZE, 10, 1);
        assertEquals(List.of("cats", "dogs"), ref.classes());
        assertArrayEquals(new int[] {0, 1, 1}, ref.labels());
        GrayImage first = ref.images().get(0);
        // 20x12 letterboxed into 16x16: 16x10 valid (scale 0.8, 9.6 rounded), centred, normalised to [0, 1]
        assertEquals(16 * 10, first.validCount());
        assertArrayEquals(new float[] {0f, 1f}, first.validRange(), 1e-6f);
        try (DeepOneClassModel m = model(two.toString(), dir.resolve("data").toString())) {
            assertEquals(1, m.fit(train, CONTEXT).epochs());
        }
    }

    @Test
    void providerDeclaresItsParameters() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertEquals(List.of("reference", "exclude-root", "reference-per-class", "lambda", "epochs", "batch-size",
                        "learning-rate", "weight-decay", "rep-dim", "engine", "inference-batch"),
                registry.models().get("deep-one-class").parameters().stream().map(s -> s.name()).toList());
        try (AnomalyModel m = registry.models().get("deep-one-class").create(Map.of())) {
            assertTrue(m.toString().contains("reference=phantoms"), m.toString());
        }
    }
}
