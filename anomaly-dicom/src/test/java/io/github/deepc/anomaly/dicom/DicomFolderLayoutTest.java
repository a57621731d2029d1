package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomFolderLayoutTest {
    @TempDir
    Path root;

    private void image(String rel, String patient, String study, String sop, String modality, String part, String view)
            throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        DicomWriter.create().bits(8, 8, false).text(0x00100010, "PN", "DOE^JANE")
                .identity(patient, study, sop, modality, part, view).write(f, 2, 2, new int[] {1, 2, 3, 4});
    }

    @BeforeEach
    void tree() throws IOException {
        image("NORMAL/1", "PAT-1", "1.1", "9.1", "DX", "HAND", "PA");
        image("NORMAL/deep/er/2.dcm", "PAT-1", "1.1", "9.2", "CR", "HAND", "AP");
        image("FRACTURE/3", "PAT-2", "1.2", "9.3", "DX", "HAND", "PA");
        image("FRACTURE/4", "", "1.3", "9.4", "DX", "CHEST", "PA"); // no Patient ID: Study Instance UID groups
        image("loose", "PAT-3", "1.4", "9.5", "DX", "HAND", "PA");
        Files.writeString(root.resolve("NORMAL/readme.txt"), "not an image");
        // a structured report: no pixel data
        Path sr = root.resolve("FRACTURE/report");
        DicomWriter.create().text(Tags.SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.88.11").bits(8, 8, false)
                .write(sr, 1, 1, new int[] {0});
        byte[] b = Files.readAllBytes(sr);
        Files.write(sr, Arrays.copyOf(b, indexOf(b, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00})));
        // a broken file: the header ends in the middle of an element
        Path broken = root.resolve("NORMAL/broken");
        image("NORMAL/broken", "PAT-9", "1.9", "9.9", "DX", "HAND", "PA");
        byte[] full = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(full, 200));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static Map<String, Sample> byId(List<Sample> s) {
        return s.stream().collect(Collectors.toMap(Sample::id, Function.identity()));
    }

    @Test
    void classFoldersTagPatientsSkippedObjectsAndFailures() {
        DicomFolderLayout.Result r = DicomFolderLayout.builder("normal").build().load(root);
        Map<String, Sample> s = byId(r.dataSet().samples());
        assertEquals(Set.of("NORMAL/1", "NORMAL/deep/er/2.dcm", "FRACTURE/3", "FRACTURE/4", "loose"), s.keySet());
        assertEquals(Label.NORMAL, s.get("NORMAL/1").label());
        assertEquals(Label.NORMAL, s.get("NORMAL/deep/er/2.dcm").label());
        assertEquals(Label.ABNORMAL, s.get("FRACTURE/3").label());
        assertEquals(Label.UNKNOWN, s.get("loose").label());
        assertEquals("PAT-1", s.get("NORMAL/1").patientId());
        assertEquals("PAT-1", s.get("NORMAL/deep/er/2.dcm").patientId());
        assertEquals("1.3", s.get("FRACTURE/4").patientId());
        assertEquals(List.of("FRACTURE/report"), r.skipped().stream().map(f -> f.item()).toList());
        assertEquals(List.of("NORMAL/broken"), r.failures().stream().map(f -> f.item()).toList());
        assertTrue(r.failures().get(0).reason().contains("broken") && r.failures().get(0).reason().contains("truncated"),
                r.failures().get(0).reason());
    }

    @Test
    void filtersOnModalityBodyPartAndViewPosition() {
        DicomFolderLayout.Result r = DicomFolderLayout.builder("NORMAL").modalities(Set.of("dx"))
                .bodyParts(Set.of("HAND")).viewPositions(Set.of("PA")).build().load(root);
        assertEquals(Set.of("NORMAL/1", "FRACTURE/3", "loose"), byId(r.dataSet().samples()).keySet());
        assertEquals(2, r.filteredOut());
    }

    @Test
    void labelsFromCsvByPathOrSopInstanceUid() throws IOException {
        Path csv = root.resolveSibling(root.getFileName() + "-labels.csv");
        Files.writeString(csv, "path,label\nNORMAL/1,0\n9.3,1\n\"loose\",NORMAL\n9.4,fracture\n");
        try {
            Map<String, Sample> s = byId(DicomFolderLayout.builder("NORMAL").labels(csv).build().load(root).dataSet().samples());
            assertEquals(Label.NORMAL, s.get("NORMAL/1").label());
            assertEquals(Label.ABNORMAL, s.get("FRACTURE/3").label());
            assertEquals(Label.NORMAL, s.get("loose").label());
            assertEquals(Label.ABNORMAL, s.get("FRACTURE/4").label());
            assertEquals("fracture", s.get("FRACTURE/4").className());
            assertEquals(Label.UNKNOWN, s.get("NORMAL/deep/er/2.dcm").label()); // not in the CSV
            Files.writeString(csv, "NORMAL/1;0\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DicomFolderLayout.builder("NORMAL").labels(csv).build().load(root));
            assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("line 1"), e.getMessage());
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    @Test
    void pseudonymsAreStablePerSaltAndHideTheId() throws IOException {
        Path saltFile = root.resolveSibling(root.getFileName() + "-salt/pseudonym-salt");
        try {
            Pseudonymizer p = Pseudonymizer.fromSaltFile(saltFile);
            assertTrue(Files.exists(saltFile));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(saltFile));
            Pseudonymizer again = Pseudonymizer.fromSaltFile(saltFile);
            assertEquals(p.pseudonym("PAT-1"), again.pseudonym("PAT-1"));
            assertNotEquals(p.pseudonym("PAT-1"), p.pseudonym("PAT-2"));
            assertNotEquals(p.pseudonym("PAT-1"), Pseudonymizer.withSalt(new byte[32]).pseudonym("PAT-1"));
            assertTrue(p.pseudonym("PAT-1").matches("anon-[0-9a-f]{16}"));

            Map<String, Sample> s = byId(DicomFolderLayout.builder("NORMAL").pseudonymizer(p).build().load(root)
                    .dataSet().samples());
            assertEquals(p.pseudonym("PAT-1"), s.get("NORMAL/1").patientId());
            assertEquals(s.get("NORMAL/1").patientId(), s.get("NORMAL/deep/er/2.dcm").patientId());
            assertFalse(s.values().stream().anyMatch(x -> x.patientId().contains("PAT")));
        } finally {
            Files.deleteIfExists(saltFile);
            Files.deleteIfExists(saltFile.getParent());
        }
    }

    @Test
    void headerToStringLeavesOutThePatient() throws IOException {
        DicomHeader h = DicomImageReader.readHeader(root.resolve("NORMAL/1"));
        assertEquals("PAT-1", h.patientId());
        assertFalse(h.toString().contains("PAT-1"), h.toString());
    }

    @Test
    void dicomDirOfPydicomsCorpusListsItsImages() throws IOException {
        Path corpus = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/dicomdirtests");
        Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("DICOMDIR")),
                "pydicom's DICOMDIR test tree (Debian python3-pydicom) is absent: skipping");
        List<Path> referenced = DicomDir.referencedFiles(corpus.resolve("DICOMDIR"));
        assertEquals(31, referenced.size(), referenced.toString());
        assertTrue(referenced.stream().allMatch(Files::isRegularFile));
        DicomFolderLayout.Result viaDir = DicomFolderLayout.builder("NORMAL").build().load(corpus);
        assertEquals(31, viaDir.dataSet().size());
        DicomFolderLayout.Result scanned = DicomFolderLayout.builder("NORMAL").useDicomDir(false).build().load(corpus);
        assertEquals(31, scanned.dataSet().size());
        assertEquals(2, viaDir.dataSet().samples().stream().map(Sample::patientId).distinct().count());
        assertEquals(3, DicomFolderLayout.builder("NORMAL").modalities(Set.of("CR")).build().load(corpus).dataSet().size());
    }
}
