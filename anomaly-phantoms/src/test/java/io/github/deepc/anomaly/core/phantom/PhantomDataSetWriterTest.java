package io.github.deepc.anomaly.core.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.PatientIds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomDataSetWriterTest {
    private static final HandPhantomGenerator GEN = HandPhantomGenerator.ofSize(64);

    @Test
    void writesReadableClassFolderPngsWithUniquePatients(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("data");
        PhantomDataSetWriter.Result r = new PhantomDataSetWriter(GEN).write(root, 2, 4, 10);
        assertEquals(6, r.count());
        assertEquals(List.of(root.resolve("NORMAL/phantom-10.png"), root.resolve("NORMAL/phantom-11.png")),
                r.normalFiles());
        assertEquals(List.of(root.resolve("ABNORMAL/phantom-12-fracture.png"),
                root.resolve("ABNORMAL/phantom-13-implant.png"), root.resolve("ABNORMAL/phantom-14-lesion.png"),
                root.resolve("ABNORMAL/phantom-15-fracture.png")), r.abnormalFiles());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(Set.of("NORMAL", "ABNORMAL"),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        Set<String> patients = new HashSet<>();
        for (Path f : r.files()) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, "not readable: " + f);
            assertEquals(64, img.getWidth());
            assertEquals(64, img.getHeight());
            assertEquals(1, img.getRaster().getNumBands());
            assertEquals(8, img.getColorModel().getComponentSize(0));
            assertTrue(patients.add(PatientIds.fromFileName(f.getFileName().toString())), "patient twice: " + f);
        }
        float[] expected = GEN.generate(13, AnomalyKind.IMPLANT).image().pixels();
        BufferedImage back = ImageIO.read(r.abnormalFiles().get(1).toFile());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Math.round(expected[i] * 255), back.getRaster().getSample(i % 64, i / 64, 0));
        }
    }

    @Test
    void writesMasksOutsideTheDataSet(@TempDir Path tmp) throws IOException {
        PhantomDataSetWriter w = new PhantomDataSetWriter(GEN);
        w.write(tmp.resolve("data"), 1, 3, 0);
        PhantomDataSetWriter.Result masks = w.writeMasks(tmp.resolve("masks"), 1, 3, 0);
        assertEquals(List.of(), masks.normalFiles());
        assertEquals(List.of(tmp.resolve("masks/phantom-1-fracture.png"), tmp.resolve("masks/phantom-2-implant.png"),
                tmp.resolve("masks/phantom-3-lesion.png")), masks.abnormalFiles());
        boolean[] truth = GEN.generate(2, AnomalyKind.IMPLANT).anomalyMask();
        BufferedImage m = ImageIO.read(masks.abnormalFiles().get(1).toFile());
        for (int i = 0; i < truth.length; i++) {
            assertEquals(truth[i] ? 255 : 0, m.getRaster().getSample(i % 64, i / 64, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> w.writeMasks(tmp.resolve("data/masks"), 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> w.write(tmp, -1, 0, 0));
    }
}
