package io.github.deepc.anomaly.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.TestImages;
import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetLayoutTest {
    @TempDir
    Path root;

    @Test
    void classFolderLayoutLabelsAndPatients() throws IOException {
        TestImages.png(root.resolve("NORMAL/IM-0115-0001.jpeg.png"), 8, 1, false);
        TestImages.png(root.resolve("NORMAL/NORMAL2-IM-1427-0001.png"), 8, 2, false);
        TestImages.png(root.resolve("PNEUMONIA/person1000_bacteria_2931.png"), 8, 3, true);
        TestImages.png(root.resolve("PNEUMONIA/person1000_virus_1681.png"), 8, 4, true);
        TestImages.png(root.resolve("loose.png"), 8, 5, false);
        Files.writeString(root.resolve("NORMAL/readme.txt"), "not an image");
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(root);
        assertEquals(5, ds.size());
        assertEquals(2, ds.normals().size());
        assertEquals(2, ds.abnormals().size());
        assertEquals(List.of("0115", "1427"), ds.normals().stream().map(Sample::patientId).toList());
        assertEquals(List.of("person1000", "person1000"), ds.abnormals().stream().map(Sample::patientId).toList());
        Sample loose = ds.samples().stream().filter(s -> s.id().equals("loose.png")).findFirst().orElseThrow();
        assertEquals(Label.UNKNOWN, loose.label());
        GrayImage img = DataSet.load(ds.normals().get(0));
        assertEquals(8, img.width());
        assertEquals(64, img.validCount());
    }

    @Test
    void normalClassMatchesCaseInsensitivelyAndMissingNormalsIsClear() {
        TestImages.png(root.resolve("normal/a.png"), 8, 1, false);
        TestImages.png(root.resolve("fractured/b.png"), 8, 2, true);
        assertEquals(1, ClassFolderLayout.withNormalClass("NORMAL").load(root).normals().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassFolderLayout.withNormalClass("HEALTHY").loadForTraining(root));
        assertTrue(e.getMessage().contains("'HEALTHY'") && e.getMessage().contains("fractured"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ClassFolderLayout.withNormalClass("NORMAL").load(root.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    @Test
    void muraLayoutReadsStudiesAndPatients() {
        TestImages.png(root.resolve("train/XR_HAND/patient00001/study1_negative/image1.png"), 8, 1, false);
        TestImages.png(root.resolve("train/XR_HAND/patient00001/study1_negative/image2.png"), 8, 2, false);
        TestImages.png(root.resolve("train/XR_HAND/patient00002/study1_positive/image1.png"), 8, 3, true);
        TestImages.png(root.resolve("train/XR_ELBOW/patient00003/study1_negative/image1.png"), 8, 4, false);
        TestImages.png(root.resolve("valid/XR_HAND/patient09999/study1_positive/image1.png"), 8, 5, true);
        DataSet hands = new MuraLayout("train", Optional.of("hand")).load(root);
        assertEquals(3, hands.size());
        assertEquals(List.of("00001", "00001"), hands.normals().stream().map(Sample::patientId).toList());
        assertEquals("00002", hands.abnormals().get(0).patientId());
        assertEquals("XR_HAND", hands.abnormals().get(0).className());
        assertEquals(4, new MuraLayout("train", Optional.empty()).load(root).size());
        assertEquals(1, new MuraLayout("valid", Optional.empty()).load(root).size());
        assertEquals(4, DataSets.detect(root, "NORMAL").size(), "detect picks MURA's train split");
        assertThrows(IllegalArgumentException.class, () -> new MuraLayout("test", Optional.empty()));
    }

    @Test
    void patientIdsFromFileNames() {
        assertEquals("0115", PatientIds.fromFileName("IM-0115-0001.jpeg"));
        assertEquals("1427", PatientIds.fromFileName("NORMAL2-IM-1427-0001.jpeg"));
        assertEquals("person1000", PatientIds.fromFileName("person1000_bacteria_2931.jpeg"));
        assertEquals("scan-17", PatientIds.fromFileName("scan-17.png"));
        assertEquals("00001281", PatientIds.fromFileName("00001281_000.jpg"));
        assertEquals("00001281", PatientIds.fromFileName("00001281_012.png"));
        // near misses of the NIH scheme stay their own patient rather than being grouped by accident
        assertEquals("0001281_000", PatientIds.fromFileName("0001281_000.jpg"));
        assertEquals("00001281_0001", PatientIds.fromFileName("00001281_0001.jpg"));
        assertEquals("00001281_000_crop", PatientIds.fromFileName("00001281_000_crop.jpg"));
    }

    @Test
    void adultChestPatientsAreGroupedAcrossClasses() throws IOException {
        Path adult = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"), "data", "adult-chest-xray");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(adult),
                "adult chest X-ray data not found at " + adult.toAbsolutePath() + " (set -Danomaly.shared.dir)");
        DataSet data = ClassFolderLayout.withNormalClass("NORMAL").load(adult);
        java.util.Set<String> normal = new java.util.HashSet<>();
        java.util.Set<String> abnormal = new java.util.HashSet<>();
        for (Sample s : data.samples()) {
            assertTrue(s.patientId().matches("\\d{8}"), s.path() + " -> " + s.patientId());
            (s.isAbnormal() ? abnormal : normal).add(s.patientId());
        }
        // DATA.md: 254 + 268 images; counted from the file names: 163 and 190 patients, 12 of them in both folders
        assertEquals(522, data.size());
        assertEquals(163, normal.size());
        assertEquals(190, abnormal.size());
        normal.retainAll(abnormal);
        assertEquals(12, normal.size());
    }

    @Test
    void unreadableFilesNameTheFile() throws IOException {
        Path empty = Files.createFile(root.resolve("empty.png"));
        Path corrupt = Files.writeString(root.resolve("corrupt.png"), "garbage");
        Sample s1 = new Sample("empty.png", empty, "p", "", Label.UNKNOWN);
        Sample s2 = new Sample("corrupt.png", corrupt, "p", "", Label.UNKNOWN);
        IOException e1 = assertThrows(IOException.class, () -> DataSet.load(s1));
        assertTrue(e1.getMessage().contains("empty.png"), e1.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> DataSet.load(s2));
        assertTrue(e2.getMessage().contains("corrupt.png"), e2.getMessage());
    }
}
